import type { RespondFn, webApi } from "@slack/bolt";
import { decideWithFreshGroups } from "../../../app/memberships.js";
import { authorizeMuteDecision } from "../../../core/mutes.js";
import { renderMuteDecisionModal, type MuteDecision } from "../../blocks/mute-decision-modal.js";
import type { ButtonActionPayload } from "../../payloads.js";
import type { SlackDeps } from "../deps.js";
import { clickActor, ephemeral, loadClickedMute, muteRefusalEntry } from "../mute-thread.js";

interface Io { client: webApi.WebClient; respond: RespondFn }

const OUT_OF_DATE = "This request is out of date: the mute or its finding is no longer known.";

/**
 * *Approve* / *Deny* on a request: the mute named by the button is re-read and the clicking user checked
 * (not the requester, a configured approver, still pending) before the decision modal opens.
 */
export async function openMuteDecision(decision: MuteDecision, payload: ButtonActionPayload, io: Io, deps: SlackDeps): Promise<void> {
  const clicked = await loadClickedMute(payload, io.respond, deps, `mute.${decision}`, OUT_OF_DATE);
  if (!clicked) return;
  const { mutes, mute, now } = clicked;
  const user = payload.user.id;
  const auth = await decideWithFreshGroups(() => authorizeMuteDecision(mutes.mute.policy, user, mute), deps.userGroups);
  if (!auth.ok) {
    await mutes.mute.store.appendAudit(muteRefusalEntry(now, clickActor(payload), { type: "mute", id: mute.id }, mute.findingId, mute.team, `mute.${decision}`, auth));
    deps.logger.info({ user, muteId: mute.id, code: auth.code }, "mute decision refused");
    return void (await ephemeral(io.respond, `:no_entry: ${auth.reason}`));
  }
  const finding = await deps.findings.load(mute.findingId);
  const rule = finding ? deps.rules.get(finding.ruleId) : undefined;
  if (!finding || !rule) return void (await ephemeral(io.respond, OUT_OF_DATE));
  await io.client.views.open({
    trigger_id: payload.trigger_id,
    view: renderMuteDecisionModal({
      muteId: Number(mute.id), decision, rule: { id: rule.id, title: rule.title, severity: finding.severity }, ...(finding.severityOverride ? { severityOverride: finding.severityOverride } : {}), resourceName: finding.resource.name,
      requestedBy: mute.requestedBy, reason: mute.reason, justification: mute.justification, expiresAt: mute.expiresAt,
      scope: mute.scope.kind === "finding" ? { kind: "finding" } : { kind: "rule_tag", tag: mute.scope.tag },
    }) as never,
  });
}
