import type { RespondFn, webApi } from "@slack/bolt";
import { decideWithFreshGroups } from "../../../app/memberships.js";
import { authorizeMuteRevocation } from "../../../core/mutes.js";
import { renderMuteRevokeModal } from "../../blocks/mute-revoke-modal.js";
import type { ButtonActionPayload } from "../../payloads.js";
import type { SlackDeps } from "../deps.js";
import { clickActor, ephemeral, loadClickedMute, muteRefusalEntry } from "../mute-thread.js";

interface Io { client: webApi.WebClient; respond: RespondFn }

const OUT_OF_DATE = "This button is out of date: the mute or its finding is no longer known. Try `/posture mutes`.";

/**
 * *Unmute…* on a muted finding or an approved request: the mute named by the button is re-read and the
 * clicking user checked (security team, mute still active) before the modal opens. Refusals are
 * answered only to the user and audited.
 */
export async function openMuteRevoke(payload: ButtonActionPayload, io: Io, deps: SlackDeps): Promise<void> {
  const clicked = await loadClickedMute(payload, io.respond, deps, "mute.revoke", OUT_OF_DATE);
  if (!clicked) return;
  const { mutes, mute, now } = clicked;
  const user = payload.user.id;
  const auth = await decideWithFreshGroups(() => authorizeMuteRevocation(mutes.mute.policy, user, mute), deps.userGroups);
  if (!auth.ok) {
    await mutes.mute.store.appendAudit(muteRefusalEntry(now, clickActor(payload), { type: "mute", id: mute.id }, mute.findingId, mute.team, "mute.revoke", auth));
    deps.logger.info({ user, muteId: mute.id, code: auth.code }, "unmute refused");
    return void (await ephemeral(io.respond, `:no_entry: Sorry, you cannot unmute this. ${auth.reason}`));
  }
  const finding = await deps.findings.load(mute.findingId);
  const rule = finding ? deps.rules.get(finding.ruleId) : undefined;
  if (!finding || !rule) return void (await ephemeral(io.respond, OUT_OF_DATE));
  await io.client.views.open({
    trigger_id: payload.trigger_id,
    view: renderMuteRevokeModal({
      muteId: Number(mute.id), rule: { id: rule.id, title: rule.title, severity: finding.severity }, ...(finding.severityOverride ? { severityOverride: finding.severityOverride } : {}), resourceName: finding.resource.name,
      requestedBy: mute.requestedBy, approvedBy: mute.decidedBy ?? "", reason: mute.reason, justification: mute.justification, expiresAt: mute.expiresAt,
      scope: mute.scope.kind === "finding" ? { kind: "finding" } : { kind: "rule_tag", tag: mute.scope.tag },
    }) as never,
  });
}
