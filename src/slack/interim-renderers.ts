import { ACTION_IDS, encodeValue, resourceBlockId, VALUE_LIMITS } from "./ids.js";
import type { FindingMessageView } from "./blocks/finding.js";
import { severityBadge, teamLabel } from "./blocks/format.js";
import { context, header, overflow, section, type Block, type Message } from "./blocks/kit.js";
import { code, escapeMrkdwn, md, slackDate, truncate } from "./blocks/text.js";

/*
 * Interim renderers until src/slack/blocks (owned by the Block Kit engineer) has its grouped message and
 * thread reply: built from that folder's kit helpers, so every limit and escape is theirs. Replace the
 * two imports in render-notice.ts when renderGroupedMessage / renderTransitionReply land, then delete this file.
 */

/** One message per rule: a section per resource, each with the finding's menu (steps, fix, mute). */
export function renderGroupedMessage(views: readonly FindingMessageView[], _now: Date): Message {
  const first = views[0]!;
  const open = views.filter((v) => v.state.kind !== "resolved" && v.state.kind !== "fixed").length;
  const blocks: Block[] = [
    header(`${first.rule.title}`),
    context(md`*${severityBadge(first.rule.severity)}*`, md`${code(first.rule.id)} · ${views.length} resources · ${open} open`),
  ];
  for (const view of views.slice(0, 45)) {
    const closed = view.state.kind === "resolved" || view.state.kind === "fixed";
    const line = md`${closed ? ":white_check_mark:" : ":red_circle:"} ${code(view.resource.name)} · ${view.resource.accountId} · ${view.resource.region} · ${teamLabel(view.team)} · #${view.findingId}`;
    const menu = overflow(ACTION_IDS.findingMenu, [
      { text: "Remediation steps", value: encodeValue("findingMenu", { v: 1, action: "remediation", findingId: view.findingId }, VALUE_LIMITS.option) },
      ...(view.rule.hasFixer && !closed ? [{ text: "Fix it", value: encodeValue("findingMenu", { v: 1, action: "fix", findingId: view.findingId }, VALUE_LIMITS.option) }] : []),
      ...(!closed ? [{ text: "Mute…", value: encodeValue("findingMenu", { v: 1, action: "mute", findingId: view.findingId }, VALUE_LIMITS.option) }] : []),
    ]);
    blocks.push(section(line, { accessory: menu, blockId: resourceBlockId(view.findingId) }));
  }
  const text = escapeMrkdwn(truncate(`${first.rule.severity}: ${first.rule.title}: ${views.length} resources (${open} open)`, 300));
  return { text, blocks };
}

const VERB: Record<string, string> = { resolved: ":white_check_mark: Resolved", reopened: ":repeat: Reopened", muted: ":mute: Muted", unmuted: ":loud_sound: Unmuted" };

/** The thread reply of one transition. */
export function renderTransitionReply(transition: string, view: FindingMessageView, at: string, _now: Date): Message {
  const why = transition === "resolved" ? (view.state.kind === "resolved" && view.state.reason === "resource deleted" ? "the resource no longer exists" : "the check passed on the latest scan") : "the check failed again";
  const text = md`${VERB[transition] ?? transition} ${slackDate(at)}: ${code(view.resource.name)} (${why}).`;
  return { text: escapeMrkdwn(`${transition}: ${view.resource.name}`), blocks: [section(text)] };
}
