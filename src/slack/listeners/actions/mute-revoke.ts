import type { RespondFn, webApi } from "@slack/bolt";
import { decideWithFreshGroups } from "../../../app/memberships.js";
import { authorizeMuteRevocation } from "../../../core/mutes.js";
import { renderMuteRevokeModal } from "../../blocks/mute-revoke-modal.js";
import { decodeValue } from "../../ids.js";
import type { ButtonActionPayload } from "../../payloads.js";
import type { SlackDeps } from "../deps.js";
import { clickActor, muteRefusalEntry } from "../mute-thread.js";

interface Io { client: webApi.WebClient; respond: RespondFn }

const ephemeral = (respond: RespondFn, text: string) => respond({ response_type: "ephemeral", replace_original: false, text });
const OUT_OF_DATE = "This button is out of date: the mute or its finding is no longer known. Try `/posture mutes`.";

/**
 * *Unmute…* on a muted finding or an approved request: the mute named by the button is re-read and the
 * clicking user checked (security team, mute still active) before the modal opens. Refusals are
 * answered only to the user and audited.
 */
export async function openMuteRevoke(payload: ButtonActionPayload, io: Io, deps: SlackDeps): Promise<void> {
  const mutes = deps.mutes;
  if (!mutes) return void (await ephemeral(io.respond, "Mutes are not set up on this Posture."));
  const user = payload.user.id;
  const now = deps.clock();
  const value = decodeValue("muteRequest", payload.actions[0]!.value);
  const mute = value.ok ? await mutes.mute.store.loadMute(String(value.value.muteId)) : undefined;
  if (!mute) {
    const subject = value.ok ? String(value.value.muteId) : "unreadable";
    await mutes.mute.store.appendAudit(muteRefusalEntry(now, clickActor(payload), { type: "mute", id: subject }, null, null, "mute.revoke", { code: "unknown_mute", reason: value.ok ? "unknown mute" : value.error }));
    deps.logger.warn({ user, error: value.ok ? "unknown mute" : value.error }, "unmute refused: unknown mute");
    return void (await ephemeral(io.respond, OUT_OF_DATE));
  }
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
      muteId: Number(mute.id), rule: { id: rule.id, title: rule.title, severity: rule.severity }, resourceName: finding.resource.name,
      requestedBy: mute.requestedBy, approvedBy: mute.decidedBy ?? "", reason: mute.reason, justification: mute.justification, expiresAt: mute.expiresAt,
      scope: mute.scope.kind === "finding" ? { kind: "finding" } : { kind: "rule_tag", tag: mute.scope.tag },
    }) as never,
  });
}
