import type { FallbackHint, FindingView, Notice, TransitionNotice } from "../app/slack-ports.js";
import { renderFindingMessage, type FindingMessageView, type FindingState } from "./blocks/finding.js";
import { context, type Message } from "./blocks/kit.js";
import { md, raw } from "./blocks/text.js";
import * as blocks from "./interim-renderers.js";

/**
 * Maps the delivery use case's notices onto the Block Kit renderers of src/slack/blocks. Where a
 * renderer is missing, a minimal fallback built from the kit helpers stands in (see the report).
 */
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
  };
}

function stateOf(finding: FindingView): FindingState {
  if (finding.status === "resolved") {
    return { kind: "resolved", at: finding.resolvedAt ?? finding.firstSeen, reason: finding.resolvedReason === "resource deleted" ? "resource deleted" : "passed" };
  }
  return finding.reopenCount > 0 ? { kind: "reopened", reopenCount: finding.reopenCount } : { kind: "new" };
}

export function renderNotice(notice: Notice, now: Date): Message {
  const message = notice.kind === "finding"
    ? renderFindingMessage(findingMessageViewOf(notice.finding), now)
    : blocks.renderGroupedMessage(notice.findings.map(findingMessageViewOf), now);
  return notice.hint ? withHint(message, notice.hint) : message;
}

/** The fallback note on top of a message posted to the security channel instead of the team's. */
function withHint(message: Message, hint: FallbackHint): Message {
  const where = hint.intendedChannel.startsWith("#") ? md`${hint.intendedChannel}` : `<#${hint.intendedChannel}>`;
  const note = context(md`:warning: Meant for ${raw(where)}, but the bot cannot post there (${hint.reason}): invite it with \`/invite @Posture\` in that channel.`);
  return { text: message.text, blocks: [note, ...message.blocks].slice(0, 50) };
}

export function renderTransition(notice: TransitionNotice, now: Date): Message {
  return blocks.renderTransitionReply(notice.transition, findingMessageViewOf(notice.finding), notice.at, now);
}
