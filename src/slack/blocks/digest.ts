import { type Digest, type FindingBrief, type SeverityCounts, type TeamLine } from "../../core/digest.js";
import { SEVERITIES } from "../../core/rule.js";
import { SLASH_COMMAND } from "../ids.js";
import { formatDelta, formatDeltas, formatScore, SEVERITY_STYLE } from "./format.js";
import { context, divider, fields, header, LIMITS, packLines, section, type Block, type Message } from "./kit.js";
import { code, escapeMrkdwn, md, plural, raw, slackDate, truncate } from "./text.js";

/** The image posted with the digest (files.uploadV2 in the same channel), named in the text. */
export interface DigestChartRef {
  filename: string;
  title: string;
}

const MAX_TEAM_LINES = 15;
const LIST_CHARS = 2_500;

/** The daily digest (DESIGN 2.7): a one-line all clear, or the report. */
export function renderDigestMessage(digest: Digest, chart: DigestChartRef | null = null): Message {
  if (digest.kind === "all-clear") return renderAllClear(digest);
  const blocks: Block[] = [
    header(`Daily posture digest: ${digest.label}`),
    context(md`${digest.dateLabel} · last 24 hours, ${digest.windowLabel}`),
    section(md`*Score*   *${formatScore(digest.score.score)}*   ${formatDeltas(digest.score.delta1d, digest.score.delta7d)}${raw(chart ? md`\n:chart_with_upwards_trend: 30-day trend: ${chart.title}` : "")}`),
    fields([
      md`*Last 24 hours*\n${raw(changesLine(digest))}`,
      md`*Open now*\n${raw(SEVERITY_STYLE.critical.emoji)} ${plural(digest.open.critical, "critical", "critical")} · ${raw(SEVERITY_STYLE.high.emoji)} ${plural(digest.open.high, "high", "high")}`,
      md`*Overdue* (SLA from first seen)\n${raw(overdueLine(digest))}`,
    ]),
    ...listBlocks("New and reopened", [...digest.examples.new.map((f) => exampleLine(f, "new")), ...digest.examples.reopened.map((f) => exampleLine(f, "reopened"))]),
    ...listBlocks("Overdue, most severe and oldest first", digest.overdue.oldest.map((f) => md`${raw(SEVERITY_STYLE[f.severity].emoji)} ${code(f.ruleId)} on ${truncate(f.resourceName, 80)}: ${f.overdueBy} past the ${f.slaDays}-day SLA (first seen ${slackDate(f.firstSeen, "{date_short}")})`)),
    ...mutesBlocks(digest),
    ...listBlocks("Fix first: rules whose fix raises the score most", digest.topRules.map((r) => md`${code(`+${r.impact.toFixed(1)} pts`)} ${raw(SEVERITY_STYLE[r.severity].emoji)} ${truncate(r.title, 150)} (${code(r.ruleId)}) · ${plural(r.fail, "failing resource")}`)),
    ...teamBlocks(digest.teams),
    ...coverageBlocks(digest.coverage, digest.scope),
    divider(),
    context(md`${code(`${SLASH_COMMAND} findings${digest.scope.startsWith("team:") ? ` ${digest.scope.slice(5)}` : ""}`)} lists the open findings · times in ${digest.timeZone}`),
  ];
  return { text: escapeMrkdwn(fallbackOf(digest)), blocks: blocks.slice(0, LIMITS.messageBlocks) };
}

function renderAllClear(digest: Digest): Message {
  const line = md`:white_check_mark: *${digest.label}*: all clear on ${digest.dateLabel}. Score ${formatScore(digest.score.score)} (${formatDelta(digest.score.delta1d)} in a day); nothing new, nothing urgent, nothing overdue.`;
  // The org digest is posted even when quiet: accounts that could not be read must still show (unknown is not clear).
  const blind = digest.coverage !== null && (digest.coverage.incomplete.length > 0 || digest.coverage.discovery !== undefined);
  return { text: escapeMrkdwn(`${digest.label}: all clear, score ${formatScore(digest.score.score)}`), blocks: [section(line), ...(blind ? coverageBlocks(digest.coverage, digest.scope) : [])] };
}

function fallbackOf(d: Digest): string {
  return truncate(`${d.label} daily digest: score ${formatScore(d.score.score)}, ${d.changes.new.total} new, ${d.changes.resolved.total} resolved, ${d.open.critical} critical and ${d.open.high} high open, ${d.overdue.total} overdue`, LIMITS.fallbackText);
}

function changesLine(d: Digest): string {
  return `${plural(d.changes.new.total, "new", "new")} · ${plural(d.changes.reopened.total, "reopened", "reopened")} · ${plural(d.changes.resolved.total, "resolved", "resolved")}`;
}

function overdueLine(d: Digest): string {
  if (d.overdue.total === 0) return ":white_check_mark: none";
  return `${plural(d.overdue.total, "finding")}: ${severityParts(d.overdue.bySeverity, (s) => (d.slaDays[s] === null ? "" : ` (${d.slaDays[s]} d)`))}`;
}

/** "🔴 1 critical (7 d) · 🟡 2 medium (90 d)", zeros left out. */
function severityParts(counts: SeverityCounts, suffix: (s: keyof SeverityCounts) => string): string {
  return SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${SEVERITY_STYLE[s].emoji} ${counts[s].toLocaleString("en-US")} ${s}${suffix(s)}`).join(" · ");
}

function exampleLine(f: FindingBrief, kind: "new" | "reopened"): string {
  return md`${raw(SEVERITY_STYLE[f.severity].emoji)} ${kind === "new" ? "New" : "Reopened"}: ${code(f.ruleId)} on ${truncate(f.resourceName, 80)} (account ${f.accountId})`;
}

function mutesBlocks(d: Digest): Block[] {
  if (d.mutesExpiring === null) return [];
  if (d.mutesExpiring.length === 0) return [context(md`:zzz: No mute expires this week.`)];
  return listBlocks("Mutes expiring this week", d.mutesExpiring.map((m) => md`:zzz: ${code(m.ruleId)} on ${truncate(m.resourceName, 80)}: expires ${m.expiresIn} (${m.expiresLabel}); the finding counts again then`));
}

function teamBlocks(teams: readonly TeamLine[] | null): Block[] {
  if (teams === null || teams.length === 0) return [];
  const lines = teams.slice(0, MAX_TEAM_LINES).map((t) => md`*${truncate(t.label, 60)}*  ${formatScore(t.score)}  ${formatDelta(t.delta7d)} (7 d) · ${t.openCritical} critical · ${t.openHigh} high open · ${t.newCount} new · ${t.overdue} overdue`);
  const more = teams.length - MAX_TEAM_LINES;
  return [...listBlocks("Teams, needing attention first", lines), ...(more > 0 ? [context(md`…and ${more} more teams: ${code(`${SLASH_COMMAND} score <team>`)}`)] : [])];
}

function coverageBlocks(coverage: Digest["coverage"], scope: Digest["scope"]): Block[] {
  if (coverage === null || (coverage.total === 0 && coverage.discovery === undefined)) return [];
  const complete = coverage.total - coverage.incomplete.length;
  const whose = scope.startsWith("team:") ? " (the accounts this team owns resources in; findings there may be out of date)" : "";
  const head = md`*Coverage*: ${complete} of ${plural(coverage.total, "account")} collected completely by their latest scan${whose}`;
  const discovery = coverage.discovery === undefined ? [] : [md`:warning: AWS Organizations discovery failed, so only the configured accounts were scanned: ${truncate(coverage.discovery, 200)}`];
  const lines = coverage.incomplete.map((a) => md`:warning: ${a.accountId}${a.name ? ` (${truncate(a.name, 60)})` : ""}: ${a.status}${a.error ? `: ${truncate(a.error, 200)}` : ""}`);
  const { blocks, omitted } = packLines([head, ...discovery, ...lines], 2, LIST_CHARS);
  return [divider(), ...blocks, ...(omitted > 0 ? [context(md`…and ${omitted} more accounts`)] : [])];
}

/** A titled list; nothing when empty. Lines past the budget are counted, never cut mid-line. */
function listBlocks(title: string, lines: readonly string[]): Block[] {
  if (lines.length === 0) return [];
  const { blocks, omitted } = packLines([md`*${title}*`, ...lines], 2, LIST_CHARS);
  return [divider(), ...blocks, ...(omitted > 0 ? [context(md`…and ${omitted} more`)] : [])];
}

