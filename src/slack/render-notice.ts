import type { FindingView, Notice, TransitionNotice } from "../app/slack-ports.js";
import { RESOLVED_ACCOUNT_LEFT } from "../core/findings.js";
import { renderFindingMessage, type FindingMessageView, type FindingState } from "./blocks/finding.js";
import { renderGroupedFindingsMessage } from "./blocks/grouped-findings.js";
import type { Message } from "./blocks/kit.js";
import { reasonLabel } from "./blocks/mute-modal.js";
import { renderTransitionReply, type TransitionReplyView } from "./blocks/transition-reply.js";

/** Maps the delivery use case's notices onto the Block Kit renderers of src/slack/blocks. */
export function findingMessageViewOf(finding: FindingView): FindingMessageView {
  return {
    findingId: finding.id,
    rule: { id: finding.ruleId, title: finding.title, severity: finding.severity, compliance: finding.compliance, hasFixer: finding.hasFix },
    resource: finding.resource,
    team: finding.team,
    ownerReason: finding.ownerReason,
    evidence: finding.evidence,
    qualifiers: finding.qualifiers,
    firstSeen: finding.firstSeen,
    state: stateOf(finding),
    ...(finding.severityOverride ? { severityOverride: finding.severityOverride } : {}),
  };
}

function stateOf(finding: FindingView): FindingState {
  const mute = finding.mute;
  if (finding.status === "muted" && mute?.kind === "active") {
    return { kind: "muted", approvedBy: mute.approvedBy, reason: reasonLabel(mute.reason), until: mute.until, muteId: Number(mute.muteId) };
  }
  if (finding.status === "open" && mute?.kind === "pending") return { kind: "mute_pending", requestedBy: mute.requestedBy };
  if (finding.status === "resolved") {
    return { kind: "resolved", at: finding.resolvedAt ?? finding.firstSeen, reason: resolvedReasonOf(finding.resolvedReason) };
  }
  return finding.reopenCount > 0 ? { kind: "reopened", reopenCount: finding.reopenCount } : { kind: "new" };
}

function resolvedReasonOf(reason: string | null): "passed" | "resource deleted" | typeof RESOLVED_ACCOUNT_LEFT {
  return reason === "resource deleted" || reason === RESOLVED_ACCOUNT_LEFT ? reason : "passed";
}

export function renderNotice(notice: Notice, now: Date): Message {
  if (notice.kind === "finding") return renderFindingMessage({ ...findingMessageViewOf(notice.finding), routingNote: notice.hint }, now);
  const first = notice.findings[0]!;
  const view = findingMessageViewOf(first);
  return renderGroupedFindingsMessage({
    rule: { ...view.rule, severity: notice.severity }, team: first.team, findings: notice.findings.map(findingMessageViewOf), routingNote: notice.hint,
  });
}

/** The thread reply; undefined when there is nothing to tell beyond the edited message (a mute without its request). */
export function renderTransition(notice: TransitionNotice): Message | undefined {
  const view = transitionViewOf(notice);
  return view ? renderTransitionReply(view) : undefined;
}

function transitionViewOf(notice: TransitionNotice): TransitionReplyView | undefined {
  const { finding, at } = notice;
  const base = { findingId: finding.id, resourceName: finding.resource.name, at };
  switch (notice.transition) {
    case "severity":
      return { ...base, kind: "severity_changed", from: notice.from, to: finding.severity, count: notice.count, ...(finding.severityOverride ? { reason: finding.severityOverride.reason } : {}) };
    case "resolved":
      if (finding.resolvedReason === RESOLVED_ACCOUNT_LEFT) return { ...base, kind: "account_left" };
      return finding.resolvedReason === "resource deleted" ? { ...base, kind: "resource_deleted" } : { ...base, kind: "resolved" };
    case "reopened":
      return { ...base, kind: "reopened", reopenCount: Math.max(finding.reopenCount, 1), evidence: finding.evidence };
    case "unmuted":
      return { ...base, kind: "unmuted", cause: "expired", status: finding.status === "resolved" ? "resolved" : "open" };
    case "muted":
      // Mutes (issue 5) write their own replies with requester and approver; the status sync only edits the message.
      return undefined;
  }
}
