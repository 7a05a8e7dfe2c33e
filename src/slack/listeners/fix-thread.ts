import type { webApi } from "@slack/bolt";
import type { AuditEntry } from "../../core/finding-events.js";
import type { Rule } from "../../core/rule.js";
import type { FindingView, StoredFindingView } from "../../app/slack-ports.js";
import { renderFindingMessage, type FindingState } from "../blocks/finding.js";
import type { Message } from "../blocks/kit.js";
import { findingMessageViewOf } from "../render-notice.js";
import type { FixSlackDeps } from "./fix-deps.js";

/**
 * After a fix or an undo: the finding's message shows the new state (`chat.update`) and its thread
 * the record (DESIGN 2.2). A grouped message lists several findings, so only its thread is written.
 */
export async function publishFixOutcome(
  client: webApi.WebClient, fixes: FixSlackDeps, finding: StoredFindingView, rule: Rule,
  outcome: { state?: FindingState; reply: Message }, now: Date,
): Promise<void> {
  const where = await fixes.messageOf(finding.id);
  if (!where) return;
  if (!where.grouped) {
    const view = findingMessageViewOf(findingViewOf(finding, rule));
    const message = renderFindingMessage({ ...view, ...(outcome.state ? { state: outcome.state } : {}) }, now);
    await client.chat.update({ channel: where.ref.channel, ts: where.ref.ts, text: message.text, blocks: message.blocks });
  }
  await client.chat.postMessage({ channel: where.ref.channel, thread_ts: where.ref.ts, text: outcome.reply.text, blocks: outcome.reply.blocks, unfurl_links: false });
}

export function findingViewOf(finding: StoredFindingView, rule: Rule): FindingView {
  return { ...finding, title: rule.title, compliance: rule.compliance, hasFix: rule.fix !== undefined };
}

/** A refusal is a step of the flow too: who tried, on what, and why not (DESIGN 2.4, STYLE habit 11). */
export function refusalEntry(finding: Pick<StoredFindingView, "id" | "team" | "ruleId" | "resource">, actor: string, at: Date, step: string, reason: string): AuditEntry {
  return {
    at: at.toISOString(), actor, action: "fix.refused", subjectType: "finding", subjectId: String(finding.id), findingId: finding.id, scanId: null,
    team: finding.team, details: { step, reason, ruleId: finding.ruleId, resourceArn: finding.resource.arn },
  };
}
