import type { Evidence } from "../../core/condition.js";
import { SEVERITIES, type Severity } from "../../core/rule.js";
import { ACTION_IDS, encodeValue } from "../ids.js";
import { renderEvidenceLines, severityBadge } from "./format.js";
import { actions, button, context, LIMITS, section, type Block, type Message } from "./kit.js";
import { code, codeBlock, escapeMrkdwn, formatDuration, link, md, raw, slackDate, truncate, userMention } from "./text.js";
import { ordinal } from "./finding.js";

/** One transition told in the finding message's thread; the thread is the finding's history. */
export type TransitionReplyView = { findingId: number; resourceName: string; at: string } & (
  | { kind: "resolved"; exposureSeconds?: number }
  | { kind: "resource_deleted"; exposureSeconds?: number }
  | { kind: "account_left"; exposureSeconds?: number }
  | { kind: "reopened"; reopenCount: number; evidence: readonly Evidence[] }
  | { kind: "mute_requested"; requestedBy: string; reason: string; justification: string; until: string | null; requestPermalink?: string }
  | { kind: "mute_denied"; deniedBy: string; comment?: string }
  | { kind: "muted"; requestedBy: string; approvedBy: string; reason: string; justification: string; until: string | null }
  | { kind: "unmuted"; cause: "expired" | "revoked"; by?: string; status: "open" | "resolved"; reason?: string; comment?: string }
  | { kind: "fixed"; by: string; summary: string; fixRunId: number; canUndo: boolean }
  | { kind: "fix_failed"; by: string; reason: string }
  | { kind: "fix_undone"; by: string }
  /** The effective severity moved for `count` findings of the message (1: this one); `reason` is the override's now,
   * absent when no override applies any more (the rule's own severity is back). */
  | { kind: "severity_changed"; from: Severity; to: Severity; count: number; reason?: string }
);

/** Thread reply: one line of what happened, when and who, plus details and the *Undo* after a fix. */
export function renderTransitionReply(view: TransitionReplyView): Message {
  const blocks: Block[] = [section(headline(view))];
  const details = detailsOf(view);
  if (details) blocks.push(details);
  if (view.kind === "fixed" && view.canUndo) {
    blocks.push(actions([button(":leftwards_arrow_with_hook: Undo fix", ACTION_IDS.fixUndo, { value: encodeValue("fixRun", { v: 1, fixRunId: view.fixRunId }), style: "danger" })]));
  }
  return { text: escapeMrkdwn(truncate(`${view.resourceName}: ${view.kind.replace(/_/g, " ")}`, LIMITS.fallbackText)), blocks };
}

function headline(view: TransitionReplyView): string {
  const name = code(truncate(view.resourceName, 150));
  const when = slackDate(view.at);
  switch (view.kind) {
    case "resolved":
      return md`:white_check_mark: *Resolved* ${when}: the check passed on the latest scan for ${name}.${raw(exposure(view.exposureSeconds))}`;
    case "resource_deleted":
      return md`:wastebasket: *Resolved* ${when}: ${name} no longer exists.${raw(exposure(view.exposureSeconds))}`;
    case "account_left":
      return md`:door: *Resolved* ${when}: the account of ${name} left the organisation's scope (closed, suspended, removed or excluded), so Posture no longer scans it.${raw(exposure(view.exposureSeconds))}`;
    case "reopened":
      return md`:repeat: *Reopened* ${when} (${ordinal(view.reopenCount)} time): ${name} fails the check again.`;
    case "mute_requested":
      return md`:hourglass_flowing_sand: *Mute requested* by ${userMention(view.requestedBy)} ${when}${raw(view.requestPermalink ? md`: ${link(view.requestPermalink, "approval request")}` : "")}. An approver decides.`;
    case "mute_denied":
      return md`:no_entry: *Mute denied* by ${userMention(view.deniedBy)} ${when}: the finding stays open.`;
    case "muted":
      return md`:mute: *Muted* ${when} by ${userMention(view.requestedBy)}, approved by ${userMention(view.approvedBy)}, ${raw(until(view.until))}. It no longer counts in the score.`;
    case "unmuted":
      return md`:loud_sound: *Unmuted* ${when}${raw(view.cause === "expired" ? ": the mute expired" : md`: mute revoked${raw(view.by ? md` by ${userMention(view.by)}` : "")}`)}. The finding is ${view.status} again and counts in the score.`;
    case "fixed":
      return md`:hammer_and_wrench: *Fixed* by ${userMention(view.by)} ${when}: ${name} passes the check after the change.`;
    case "fix_failed":
      return md`:x: *Fix did not work* (by ${userMention(view.by)}, ${when}): ${name} still fails. Nothing else was changed.`;
    case "fix_undone":
      return md`:leftwards_arrow_with_hook: *Fix undone* by ${userMention(view.by)} ${when}: the previous configuration of ${name} is restored.`;
    case "severity_changed": {
      const arrow = SEVERITIES.indexOf(view.to) < SEVERITIES.indexOf(view.from) ? ":arrow_up:" : ":arrow_down:";
      const whose = view.count > 1 ? raw(md`${view.count} resources of this message`) : name;
      const why = view.reason === undefined ? md`the severity override was removed, the rule's own severity applies` : md`severity override: ${truncate(view.reason, 300)}`;
      return md`${raw(arrow)} *Severity ${severityBadge(view.to)}* (was ${severityBadge(view.from)}) ${when} for ${whose}: ${raw(why)}.`;
    }
  }
}

function detailsOf(view: TransitionReplyView): Block | undefined {
  switch (view.kind) {
    case "reopened": {
      const lines = renderEvidenceLines(view.evidence, 1000);
      return lines.length > 0 ? section(md`*Why it fails*\n${codeBlock(lines.join("\n"), 1200)}`) : undefined;
    }
    case "mute_requested":
    case "muted":
      return context(md`*${view.reason}*: ${truncate(view.justification, 500)}`);
    case "mute_denied":
      return view.comment ? context(md`"${truncate(view.comment, 500)}"`) : undefined;
    case "unmuted":
      if (!view.reason) return undefined;
      return context(md`*${view.reason}*${raw(view.comment ? md`: "${truncate(view.comment, 500)}"` : "")}`);
    case "fixed":
      return context(md`${truncate(view.summary, 1000)}`);
    case "fix_failed":
      return context(md`${truncate(view.reason, 1000)}`);
    default:
      return undefined;
  }
}

const exposure = (seconds: number | undefined): string => (seconds === undefined ? "" : ` It was open for ${formatDuration(seconds)}.`);
const until = (iso: string | null): string => (iso ? md`until ${slackDate(iso, "{date_short_pretty}")}` : "permanently");
