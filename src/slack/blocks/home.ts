import type { CoverageSummary } from "../../core/digest.js";
import type { Severity } from "../../core/rule.js";
import type { Tally } from "../../core/score.js";
import { SLASH_COMMAND } from "../ids.js";
import { coverageBlocks } from "./coverage.js";
import { formatDelta, formatDeltas, formatFailing, formatScore, frameworkLabel, renderSparkline, SEVERITY_STYLE, teamLabel } from "./format.js";
import { context, divider, header, LIMITS, packLines, section, type Block, type HomeView } from "./kit.js";
import { code, formatAgo, md, plural, raw, slackDate, truncate } from "./text.js";

/** One scope's score with its trend: a `ScoreView` plus its `loadScoreSeries`. */
export interface ScoreCard {
  score: number | null;
  tally: Tally;
  delta1d: number | null;
  delta7d: number | null;
  /** Daily points of the last 30 days (`ScorePoint[]` fits). */
  series: readonly { day: string; score: number | null }[];
}

export interface TeamCard extends ScoreCard {
  /** null: the unowned resources. */
  team: string | null;
}

export interface FrameworkCard {
  id: string;
  score: number | null;
  delta7d: number | null;
}

/** A `RuleImpact` with the rule's title. */
export interface TopRule {
  ruleId: string;
  title: string;
  severity: Severity;
  fail: number;
  impact: number;
}

export interface HomeModel {
  /** The viewer's team, shown first; null: the viewer is in no team. */
  viewerTeam: string | null;
  /** The latest finished scan; null before the first one (the empty state). */
  lastScan: { at: string; accounts: number } | null;
  org: ScoreCard;
  teams: readonly TeamCard[];
  topRules: readonly TopRule[];
  frameworks: readonly FrameworkCard[];
  /** Per-account coverage of the latest scans (absent: not shown). */
  coverage?: CoverageSummary | null;
}

/** The App Home dashboard (DESIGN 2.8), published on app_home_opened and after each scan. */
export function renderHomeView(model: HomeModel, now: Date): HomeView {
  if (!model.lastScan) return { type: "home", blocks: emptyState() };
  const viewer = model.viewerTeam === null ? undefined : model.teams.find((t) => t.team === model.viewerTeam);
  const blocks: Block[] = [
    header("Security posture"),
    context(md`Last scan ${slackDate(model.lastScan.at)} (${formatAgo(model.lastScan.at, now)}) · ${plural(model.lastScan.accounts, "account")}`),
    ...coverageBlocks(model.coverage),
    ...scoreCard("Organisation", model.org, now),
    ...(viewer ? [divider(), ...scoreCard(`Your team: ${teamLabel(viewer.team)}`, viewer, now)] : []),
    ...listSection("Teams, lowest score first", teamLines(model.teams, model.viewerTeam, now), 8, `${SLASH_COMMAND} score <team>`),
    ...listSection("Fix first: rules by score impact", ruleLines(model.topRules), 3, `${SLASH_COMMAND} findings`),
    ...listSection("Compliance frameworks", frameworkLines(model.frameworks), 3, `${SLASH_COMMAND} score <framework>`),
    divider(),
    context(md`${code(`${SLASH_COMMAND} help`)} lists every command. Scores follow Datadog's posture score: the share of passing checks, weighted by severity.`),
  ];
  return { type: "home", blocks: blocks.slice(0, LIMITS.surfaceBlocks) };
}

function scoreCard(title: string, card: ScoreCard, now: Date): Block[] {
  const spark = renderSparkline(card.series, now);
  return [
    section(md`*${title}*   *${formatScore(card.score)}*   ${formatDeltas(card.delta1d, card.delta7d)}${raw(spark ? md`\n${code(spark)} last 30 days` : "")}`),
    context(formatFailing(card.tally)),
  ];
}

/** Teams worst first (they need attention), unscored last; compact: 7-day trend and critical / high counts. */
function teamLines(teams: readonly TeamCard[], viewerTeam: string | null, now: Date): string[] {
  const sorted = [...teams].sort((a, b) => (a.score ?? Infinity) - (b.score ?? Infinity) || teamLabel(a.team).localeCompare(teamLabel(b.team)));
  return sorted.map((t) => {
    const spark = renderSparkline(t.series, now, 14);
    const mine = t.team !== null && t.team === viewerTeam ? " (your team)" : "";
    const urgent = `${t.tally.critical.fail} critical · ${t.tally.high.fail} high failing`;
    return md`*${truncate(teamLabel(t.team), 60)}*${mine}  ${formatScore(t.score)}  ${formatDelta(t.delta7d)} (7 d)${raw(spark ? md`  ${code(spark)}` : "")}  ${urgent}`;
  });
}

function ruleLines(rules: readonly TopRule[]): string[] {
  return rules.map((r) => md`${code(`+${r.impact.toFixed(1)} pts`)} ${raw(SEVERITY_STYLE[r.severity].emoji)} ${truncate(r.title, 150)} (${code(r.ruleId)}) · ${plural(r.fail, "failing resource")}`);
}

function frameworkLines(frameworks: readonly FrameworkCard[]): string[] {
  return frameworks.map((f) => md`*${frameworkLabel(f.id)}*  ${formatScore(f.score)}  ${formatDelta(f.delta7d)} (7 d)`);
}

/** A titled list packed into sections; what does not fit is named with the command that shows it. */
function listSection(title: string, lines: readonly string[], maxBlocks: number, command: string): Block[] {
  if (lines.length === 0) return [];
  const { blocks, omitted } = packLines(lines, maxBlocks, 8_000);
  const more = omitted > 0 ? [context(md`…and ${omitted} more: ${code(command)}`)] : [];
  return [divider(), header(title), ...blocks, ...more];
}

function emptyState(): Block[] {
  return [
    header("Welcome to Posture"),
    section(md`Posture checks your AWS accounts for risky S3 and IAM settings, sends each finding to the team that owns the resource, and helps you fix it or knowingly accept the risk, right here in Slack.`),
    section(md`:hourglass_flowing_sand: *No scan has finished yet.* Start one with ${code(`${SLASH_COMMAND} scan`)}, or wait for the scheduled scan. This tab then shows:`),
    section(md`• the organisation's posture score and its 30-day trend\n• your team's score first, then every team's\n• failing findings by severity\n• the rules whose fix would raise the score most\n• scores per compliance framework (CIS, PCI DSS, HIPAA, SOC 2, NIST)`),
    context(md`${code(`${SLASH_COMMAND} help`)} lists every command.`),
  ];
}
