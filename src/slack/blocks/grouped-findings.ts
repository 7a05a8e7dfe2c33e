import { SLASH_COMMAND, SUBCOMMANDS, ACTION_IDS, encodeValue, resourceBlockId, VALUE_LIMITS, type FindingMenuAction } from "../ids.js";
import { renderRoutingNote, type FindingMessageView, type RoutingNote, type RuleSummary } from "./finding.js";
import { formatCompliance, renderEvidenceLines, severityBadge, severityOverrideNote, SEVERITY_STYLE, teamLabel } from "./format.js";
import { button, context, divider, header, LIMITS, overflow, section, type Block, type ButtonElement, type Message, type OverflowElement, type SectionBlock } from "./kit.js";
import { code, escapeMrkdwn, md, plural, raw, slackDate, truncate } from "./text.js";

/** One resource of a grouped message: a `FindingMessageView` fits as is. */
export type GroupedFinding = Pick<FindingMessageView, "findingId" | "resource" | "evidence" | "state" | "severityOverride"> & {
  /** The finding's effective severity when it is not the group's (`rule.severity`): its line says it. */
  rule?: Pick<RuleSummary, "severity">;
};

export interface GroupedFindingsView {
  /** `rule.severity` is the group's effective severity (delivery groups findings by rule and severity). */
  rule: RuleSummary;
  /** The team whose channel gets the message (null: unowned, in the security channel). */
  team: string | null;
  /** In a stable order: a later `chat.update` keeps every resource where it was. */
  findings: readonly GroupedFinding[];
  routingNote?: RoutingNote;
}

/** Header, summary, compliance, divider and the "and N more" footer, plus an optional routing note. */
const FIXED_BLOCKS = 6;

/**
 * Many findings of one rule for one channel in one scan (DESIGN 2.2): one message with a line and an
 * action menu per resource, instead of flooding the channel. Past Slack's 50 blocks it lists the first
 * resources and says how to see the rest with `/posture findings`.
 */
export function renderGroupedFindingsMessage(view: GroupedFindingsView): Message {
  const room = LIMITS.messageBlocks - FIXED_BLOCKS - (view.routingNote ? 1 : 0);
  const shown = view.findings.slice(0, room);
  const blocks: Block[] = [
    ...(view.routingNote ? [renderRoutingNote(view.routingNote)] : []),
    header(`${SEVERITY_STYLE[view.rule.severity].emoji} ${view.rule.title}`),
    context(md`*${severityBadge(view.rule.severity)}*${raw(sharedOverrideNote(view))}`, md`${code(view.rule.id)} · ${raw(summaryOf(view.findings))}`),
    section(md`*${plural(view.findings.length, "resource")}* of *${teamLabel(view.team)}* failed this check in one scan. Each has its own actions in the ⋯ menu next to it.`),
    context(md`:scroll: ${raw(formatCompliance(view.rule.compliance))}`),
    divider(),
    ...shown.map((finding) => resourceSection(finding, view.rule)),
  ];
  const hidden = view.findings.length - shown.length;
  if (hidden > 0) blocks.push(context(md`…and ${plural(hidden, "more resource")}. See them all with ${code(findingsCommand(view))}.`));
  return { text: fallbackText(view), blocks };
}

const STATE_ICON: Record<GroupedFinding["state"]["kind"], string> = {
  new: ":new:",
  reopened: ":repeat:",
  mute_pending: ":hourglass_flowing_sand:",
  muted: ":mute:",
  resolved: ":white_check_mark:",
  fixed: ":hammer_and_wrench:",
};

/** " (rule default: critical) — reason" when one override set the group's severity on every line. */
function sharedOverrideNote(view: GroupedFindingsView): string {
  const first = view.findings[0]?.severityOverride;
  if (!first) return "";
  const shared = view.findings.every((f) => f.severityOverride?.reason === first.reason && lineSeverity(f, view.rule) === view.rule.severity);
  return shared ? severityOverrideNote(first) : "";
}

const lineSeverity = (finding: GroupedFinding, rule: RuleSummary) => finding.rule?.severity ?? rule.severity;

/** "10 new · 2 reopened · 1 resolved": counts per state, in a fixed order. */
function summaryOf(findings: readonly GroupedFinding[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.state.kind, (counts.get(f.state.kind) ?? 0) + 1);
  return Object.keys(STATE_ICON).filter((k) => counts.has(k)).map((k) => `${counts.get(k)} ${k.replace("_", " ")}`).join(" · ");
}

function resourceSection(finding: GroupedFinding, rule: RuleSummary): SectionBlock {
  const { resource, state } = finding;
  const why = renderEvidenceLines(finding.evidence, 120)[0];
  const status = state.kind === "resolved" || state.kind === "fixed" ? md` · ${state.kind} ${slackDate(state.at, "{date_short}")}` : "";
  // An override changed after the post can leave a line with another severity than the header's: it says its own.
  const severity = lineSeverity(finding, rule) === rule.severity ? "" : md` · *${severityBadge(lineSeverity(finding, rule))}*${raw(finding.severityOverride ? md` (${truncate(finding.severityOverride.reason, 80)})` : "")}`;
  const line = md`${raw(STATE_ICON[state.kind])} ${code(truncate(resource.name, 100))} · ${resource.accountId} · ${resource.region}${raw(status)}${raw(severity)}`;
  const detail = why ? md`\n${code(truncate(why, 120))}` : "";
  return section(line + detail, { blockId: resourceBlockId(finding.findingId), accessory: accessoryOf(finding, rule) });
}

/** Open: steps, fix (with a fixer) and mute in a menu; muted: only the steps; closed: nothing left to do. */
function accessoryOf(finding: GroupedFinding, rule: RuleSummary): ButtonElement | OverflowElement | undefined {
  const kind = finding.state.kind;
  if (kind === "resolved" || kind === "fixed") return undefined;
  const menu: [FindingMenuAction, string][] = [["remediation", "Remediation steps"]];
  if (rule.hasFixer && kind !== "muted") menu.push(["fix", "Fix it"]);
  if (kind === "new" || kind === "reopened") menu.push(["mute", "Mute…"]);
  // A one-item menu hides its only action behind a click: a plain button says what it does.
  if (menu.length === 1) return button("Remediation steps", ACTION_IDS.remediationSteps, { value: encodeValue("finding", { v: 1, findingId: finding.findingId }) });
  return overflow(ACTION_IDS.findingMenu, menu.map(([action, text]) => ({ text, value: encodeValue("findingMenu", { v: 1, action, findingId: finding.findingId }, VALUE_LIMITS.option) })));
}

/** `/posture findings <team> <severity> <rule>`: the command that lists what did not fit. */
function findingsCommand(view: GroupedFindingsView): string {
  return `${SLASH_COMMAND} ${SUBCOMMANDS.findings} ${teamLabel(view.team)} ${view.rule.severity} ${view.rule.id}`;
}

function fallbackText(view: GroupedFindingsView): string {
  const names = view.findings.slice(0, 3).map((f) => f.resource.name).join(", ");
  const more = view.findings.length > 3 ? ` and ${view.findings.length - 3} more` : "";
  return escapeMrkdwn(truncate(`${SEVERITY_STYLE[view.rule.severity].label}: ${view.rule.title}: ${plural(view.findings.length, "resource")} (${names}${more})`, LIMITS.fallbackText));
}
