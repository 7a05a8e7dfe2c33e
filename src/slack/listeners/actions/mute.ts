import { tzOffset } from "@date-fns/tz";
import type { RespondFn, webApi } from "@slack/bolt";
import { decideWithFreshGroups } from "../../../app/memberships.js";
import { authorizeMuteRequest } from "../../../core/mutes.js";
import { renderMuteModal } from "../../blocks/mute-modal.js";
import type { ButtonActionPayload } from "../../payloads.js";
import type { SlackDeps } from "../deps.js";
import { clickActor, ephemeral, muteRefusalEntry, requesterTimeZone } from "../mute-thread.js";

interface Io { client: webApi.WebClient; respond: RespondFn }

const OUT_OF_DATE = "This button is out of date: the finding or its rule is no longer known. Try `/posture findings`.";

/**
 * *Mute…* (button or overflow option): the clicking user is checked against the finding's *current*
 * team with requestMute's rules before the modal opens; a refusal is answered and audited.
 */
export async function openMuteModal(findingId: number | undefined, payload: ButtonActionPayload, io: Io, deps: SlackDeps): Promise<void> {
  const mutes = deps.mutes;
  if (!mutes) return void (await ephemeral(io.respond, "Mutes are not set up on this Posture."));
  const finding = findingId === undefined ? undefined : await deps.findings.load(findingId);
  const rule = finding ? deps.rules.get(finding.ruleId) : undefined;
  if (!finding || !rule) return void (await ephemeral(io.respond, OUT_OF_DATE));
  const user = payload.user.id;
  const now = deps.clock();
  const auth = await decideWithFreshGroups(() => authorizeMuteRequest(mutes.mute.policy, user, finding.team), deps.userGroups);
  if (!auth.ok) {
    await mutes.mute.store.appendAudit(muteRefusalEntry(now, clickActor(payload), { type: "finding", id: String(finding.id) }, finding.id, finding.team, "mute.open", auth));
    deps.logger.info({ user, findingId: finding.id }, "mute refused: not the owning team or the security team");
    return void (await ephemeral(io.respond, `:no_entry: ${auth.reason}`));
  }
  // The default date is today + 30 in the requester's zone, the zone the submitted date is read in too.
  const timeZone = await requesterTimeZone(io.client, user, mutes.defaultTimeZone, deps.logger);
  const channelId = payload.container?.channel_id ?? payload.channel?.id;
  const messageTs = payload.container?.message_ts;
  await io.client.views.open({
    trigger_id: payload.trigger_id,
    view: renderMuteModal({
      findingId: finding.id, rule: { id: rule.id, title: rule.title, severity: finding.severity }, ...(finding.severityOverride ? { severityOverride: finding.severityOverride } : {}), resource: finding.resource, team: finding.team,
      ...(finding.resource.tags ? { tags: finding.resource.tags } : {}), now, tzOffsetSeconds: tzOffset(timeZone, now) * 60,
      maxDays: mutes.mute.policy.maxDays, allowPermanent: mutes.mute.policy.allowPermanent,
      ...(channelId ? { channelId } : {}), ...(messageTs ? { messageTs } : {}),
    }) as never,
  });
}
