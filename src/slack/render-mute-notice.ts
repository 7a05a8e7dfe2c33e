import type { MuteRequestNotice, MuteStepNotice } from "../app/slack-ports.js";
import type { Mute } from "../core/mutes.js";
import type { Message } from "./blocks/kit.js";
import { reasonLabel, unmuteReasonLabel } from "./blocks/mute-modal.js";
import { renderMuteRequestMessage, type MuteRequestState } from "./blocks/mute-request.js";
import { renderTransitionReply } from "./blocks/transition-reply.js";

/** Maps the mute notices of the delivery use case onto the Block Kit renderers. */
export function requestStateOf(mute: Mute): MuteRequestState {
  const comment = (text: string | null | undefined) => (text ? { comment: text } : {});
  if (mute.state === "approved") return { kind: "approved", by: mute.decidedBy ?? "", at: mute.decidedAt ?? "", ...comment(mute.decisionComment) };
  if (mute.state === "denied") return { kind: "denied", by: mute.decidedBy ?? "", at: mute.decidedAt ?? "", ...comment(mute.decisionComment) };
  if (mute.state === "expired") return { kind: "expired", at: mute.expiresAt ?? "" };
  if (mute.state === "revoked") return { kind: "revoked", by: mute.revokedBy ?? "", at: mute.revokedAt ?? "", reason: mute.revokeReason ?? "other", ...comment(mute.revokeComment) };
  return { kind: "pending" };
}

/** Slack's permalink shape for a message, for when chat.getPermalink is not asked (or gives none). */
export const messageLink = (channel: string, ts: string): string => `https://slack.com/archives/${channel}/p${ts.replace(".", "")}`;

/** The approvals-channel message of a mute, in its current state. */
export function renderMuteRequestNotice(notice: MuteRequestNotice): Message {
  const { mute, finding } = notice;
  const findingPermalink = notice.findingMessage ? messageLink(notice.findingMessage.channel, notice.findingMessage.ts) : undefined;
  return renderMuteRequestMessage({
    muteId: Number(mute.id),
    finding: { findingId: finding.id, rule: { id: finding.ruleId, title: finding.title, severity: finding.severity },
      ...(finding.severityOverride ? { severityOverride: finding.severityOverride } : {}), resource: finding.resource, team: finding.team },
    requestedBy: mute.requestedBy, requestedAt: mute.requestedAt, reason: mute.reason, justification: mute.justification, expiresAt: mute.expiresAt,
    scope: mute.scope.kind === "finding" ? { kind: "finding" } : { kind: "rule_tag", tag: mute.scope.tag }, state: requestStateOf(mute),
    ...(findingPermalink ? { findingPermalink } : {}),
  });
}

/** The one thread reply of a mute step: who approved, denied, revoked (and why), or that it expired. */
export function renderMuteStepReply(notice: MuteStepNotice): Message {
  const { mute, finding, step } = notice;
  const base = { findingId: finding.id, resourceName: finding.resource.name };
  const status = notice.status === "resolved" ? "resolved" : "open";
  switch (step) {
    case "requested":
      return renderTransitionReply({
        ...base, at: mute.requestedAt, kind: "mute_requested", requestedBy: mute.requestedBy, reason: reasonLabel(mute.reason), justification: mute.justification,
        until: mute.expiresAt, ...(mute.permalink ? { requestPermalink: mute.permalink } : {}),
      });
    case "approved": {
      const comment = mute.decisionComment ? ` (approver's comment: ${mute.decisionComment})` : "";
      return renderTransitionReply({
        ...base, at: mute.decidedAt ?? mute.requestedAt, kind: "muted", requestedBy: mute.requestedBy, approvedBy: mute.decidedBy ?? "",
        reason: reasonLabel(mute.reason), justification: `${mute.justification}${comment}`, until: mute.expiresAt,
      });
    }
    case "denied":
      return renderTransitionReply({ ...base, at: mute.decidedAt ?? mute.requestedAt, kind: "mute_denied", deniedBy: mute.decidedBy ?? "", ...(mute.decisionComment ? { comment: mute.decisionComment } : {}) });
    case "revoked":
      return renderTransitionReply({
        ...base, at: mute.revokedAt ?? mute.requestedAt, kind: "unmuted", cause: "revoked", status, ...(mute.revokedBy ? { by: mute.revokedBy } : {}),
        reason: unmuteReasonLabel(mute.revokeReason ?? "other"), ...(mute.revokeComment ? { comment: mute.revokeComment } : {}),
      });
    case "expired":
      return renderTransitionReply({ ...base, at: mute.expiresAt ?? mute.requestedAt, kind: "unmuted", cause: "expired", status });
  }
}
