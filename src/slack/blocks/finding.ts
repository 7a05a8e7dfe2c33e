import type { Evidence } from "../../core/condition.js";
import type { Severity } from "../../core/rule.js";
import { ACTION_IDS, BLOCK_IDS, encodeValue } from "../ids.js";
import { formatCompliance, formatTags, renderEvidenceLines, severityBadge, severityOverrideNote, SEVERITY_STYLE, teamLabel, type SeverityOverrideView } from "./format.js";
import { actions, button, context, fields, header, LIMITS, section, type Block, type ButtonElement, type Message } from "./kit.js";
import { code, codeBlock, escapeMrkdwn, formatAgo, md, raw, slackDate, truncate, userMention } from "./text.js";

/** What a message needs to know about the rule (from the catalog's `Rule`). */
export interface RuleSummary {
  id: string;
  title: string;
  severity: Severity;
  compliance: Readonly<Record<string, readonly string[]>>;
  /** The rule has a fixer: the message offers *Fix it*. */
  hasFixer: boolean;
}

export interface FindingResource {
  arn: string;
  type: string;
  name: string;
  accountId: string;
  region: string;
  /** The resource's tags when known (null / absent: none or not collected). */
  tags?: Readonly<Record<string, string>> | null;
}

/**
 * Where the finding stands; the message shows it and offers the buttons that make sense in it.
 * Slack user ids (`U…`) are shown as mentions.
 */
export type FindingState =
  | { kind: "new" }
  | { kind: "reopened"; reopenCount: number }
  | { kind: "mute_pending"; requestedBy: string }
  | { kind: "muted"; approvedBy: string; reason: string; until: string | null; muteId?: number }
  | { kind: "resolved"; at: string; reason: "passed" | "resource deleted" | "account left the organisation's scope" }
  | { kind: "fixed"; by: string; at: string };

export interface FindingMessageView {
  findingId: number;
  rule: RuleSummary;
  resource: FindingResource;
  team: string | null;
  /** Why that team owns it ("tag team=payments"). */
  ownerReason: string;
  evidence: readonly Evidence[];
  qualifiers: readonly string[];
  /** ISO time the finding was first seen. */
  firstSeen: string;
  state: FindingState;
  /** Set when a severity override replaced the rule's severity: `rule.severity` is then the effective one. */
  severityOverride?: SeverityOverrideView;
  /** Set when the message lands in the security channel because the team's channel refused it. */
  routingNote?: RoutingNote;
}

/** Why a message is in the security channel instead of the owning team's (not_in_channel, archived). */
export interface RoutingNote {
  /** Channel id (C…) or "#name". */
  intendedChannel: string;
  reason: string;
}

/** The note on top of a rerouted message, with the fix: invite the bot. */
export function renderRoutingNote(note: RoutingNote): Block {
  const where = /^[CG][A-Z0-9]{2,20}$/.test(note.intendedChannel) ? raw(`<#${note.intendedChannel}>`) : code(note.intendedChannel);
  return context(md`:warning: Meant for ${where}, but Posture cannot post there (${truncate(note.reason, 200)}). Invite it there with ${code("/invite @Posture")}.`);
}

const STATE_LABEL: Record<FindingState["kind"], string> = {
  new: ":new: New",
  reopened: ":repeat: Reopened",
  mute_pending: ":hourglass_flowing_sand: Mute requested",
  muted: ":mute: Muted",
  resolved: ":white_check_mark: Resolved",
  fixed: ":hammer_and_wrench: Fixed",
};

/** The channel message of DESIGN 2.2, for its first post and every later `chat.update`. */
export function renderFindingMessage(view: FindingMessageView, now: Date): Message {
  const closed = view.state.kind === "resolved" || view.state.kind === "fixed";
  const blocks: Block[] = [
    ...(view.routingNote ? [renderRoutingNote(view.routingNote)] : []),
    header(`${closed ? "✅" : SEVERITY_STYLE[view.rule.severity].emoji} ${view.rule.title}`),
    context(md`*${severityBadge(view.rule.severity)}*${raw(severityOverrideNote(view.severityOverride))}`, md`${raw(stateLabel(view.state))}`, md`${code(view.rule.id)} · finding #${view.findingId}`),
    resourceFields(view, now),
    section(md`*ARN* ${code(truncate(view.resource.arn, 500))}${raw(tagsLine(view.resource.tags))}`),
    evidenceSection(view),
    context(md`:scroll: ${raw(formatCompliance(view.rule.compliance))}`),
  ];
  const buttons = findingButtons(view);
  if (buttons.length > 0) blocks.push(actions(buttons, BLOCK_IDS.findingActions));
  const note = stateNote(view.state);
  if (note) blocks.push(context(note));
  return { text: fallbackText(view), blocks };
}

function stateLabel(state: FindingState): string {
  if (state.kind === "reopened") return `${STATE_LABEL.reopened} (${ordinal(state.reopenCount)} time)`;
  return STATE_LABEL[state.kind];
}

function resourceFields(view: FindingMessageView, now: Date): Block {
  const { resource } = view;
  return fields([
    md`*Resource*\n${code(truncate(resource.name, 200))}\n${resource.type}`,
    md`*Account · region*\n${code(resource.accountId)} · ${resource.region}`,
    md`*Owner*\n*${teamLabel(view.team)}* (${truncate(view.ownerReason, 300)})`,
    md`*First seen*\n${slackDate(view.firstSeen)} (${formatAgo(view.firstSeen, now)})`,
  ]);
}

function tagsLine(tags: FindingResource["tags"]): string {
  const formatted = formatTags(tags);
  return formatted ? `\n*Tags* ${formatted.text}` : "";
}

/** Evidence is the observed values: shown as code so long JSON stays readable, cut at 1,500 characters. */
function evidenceSection(view: FindingMessageView): Block {
  const lines = renderEvidenceLines(view.evidence);
  const body = lines.length > 0 ? codeBlock(lines.join("\n"), 1500) : raw("_no evidence recorded_");
  const qualifiers = view.qualifiers.length > 0 ? md`\n_Qualified: ${truncate(view.qualifiers.join("; "), 500)}_` : "";
  return section(md`*Why it failed*\n${body}${raw(qualifiers)}`);
}

/** Open findings get the three actions; a pending mute hides *Mute…*; closed or muted ones keep only the steps. */
function findingButtons(view: FindingMessageView): ButtonElement[] {
  const value = encodeValue("finding", { v: 1, findingId: view.findingId });
  const steps = button(":book: Remediation steps", ACTION_IDS.remediationSteps, { value });
  const fix = button(":hammer_and_wrench: Fix it", ACTION_IDS.fixIt, { value, style: "primary" });
  const mute = button(":mute: Mute…", ACTION_IDS.mute, { value });
  const state = view.state;
  switch (view.state.kind) {
    case "new":
    case "reopened":
      return view.rule.hasFixer ? [steps, fix, mute] : [steps, mute];
    case "mute_pending":
      return view.rule.hasFixer ? [steps, fix] : [steps];
    case "muted":
      // Only the security team may unmute: the listener checks the clicking user, the button is for everyone.
      return state.kind === "muted" && state.muteId !== undefined
        ? [steps, button(":loud_sound: Unmute…", ACTION_IDS.muteRevoke, { value: encodeValue("muteRequest", { v: 1, muteId: state.muteId }) })]
        : [steps];
    case "resolved":
    case "fixed":
      return [];
  }
}

function stateNote(state: FindingState): string | undefined {
  switch (state.kind) {
    case "mute_pending":
      return md`:hourglass_flowing_sand: Mute requested by ${userMention(state.requestedBy)}, waiting for an approver (see the thread).`;
    case "muted":
      return md`:mute: Muted (${truncate(state.reason, 100)}), approved by ${userMention(state.approvedBy)}, ${raw(state.until ? md`until ${slackDate(state.until, "{date_short_pretty}")}` : "permanently")}. It is left out of the score.`;
    case "resolved":
      if (state.reason === "account left the organisation's scope") return md`:door: Resolved ${slackDate(state.at)}: the account left the organisation's scope and is no longer scanned.`;
      return state.reason === "resource deleted"
        ? md`:wastebasket: Resolved ${slackDate(state.at)}: the resource no longer exists.`
        : md`:white_check_mark: Resolved ${slackDate(state.at)}: the check passed on the latest scan.`;
    case "fixed":
      return md`:hammer_and_wrench: Fixed by ${userMention(state.by)} ${slackDate(state.at)}. Undo is in the thread.`;
    default:
      return undefined;
  }
}

/** The notification line: severity, state, title, resource, owner; escaped (Slack parses `text` as mrkdwn). */
function fallbackText(view: FindingMessageView): string {
  const line = `${SEVERITY_STYLE[view.rule.severity].label} (${view.state.kind.replace("_", " ")}): ${view.rule.title}: ${view.resource.name} in ${view.resource.accountId} (${teamLabel(view.team)})`;
  return escapeMrkdwn(truncate(line, LIMITS.fallbackText));
}

export function ordinal(n: number): string {
  const mod100 = n % 100;
  const suffix = mod100 >= 11 && mod100 <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th";
  return `${n}${suffix}`;
}
