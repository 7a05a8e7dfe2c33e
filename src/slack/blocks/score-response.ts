import { SEVERITIES } from "../../core/rule.js";
import type { CoverageSummary } from "../../core/digest.js";
import type { RuleImpact, Scope } from "../../core/scope-counts.js";
import { SLASH_COMMAND, SUBCOMMANDS } from "../ids.js";
import { coverageBlocks } from "./coverage.js";
import { formatDeltas, formatScore, frameworkLabel, renderSparkline, SEVERITY_STYLE } from "./format.js";
import type { ScoreCard } from "./home.js";
import { context, fields, LIMITS, packLines, section, type Block, type Message } from "./kit.js";
import { code, escapeMrkdwn, md, plural, raw, truncate } from "./text.js";

/** `loadScore`'s `ScoreView` plus its `loadScoreSeries`, and the titles of the rules it ranks. */
export interface ScoreResponseModel extends ScoreCard {
  scope: Scope;
  topRules: readonly RuleImpact[];
  ruleTitles: Readonly<Record<string, string>>;
  /** Per-account coverage of the latest scans: a score over accounts that could not be read is stale there. */
  coverage?: CoverageSummary | null;
}

/** "Organisation", "Team payments", "Unowned resources", "CIS 7.0". */
export function scopeLabel(scope: Scope): string {
  if (scope === "org") return "Organisation";
  if (scope === "unowned") return "Unowned resources";
  if (scope.startsWith("team:")) return `Team ${scope.slice(5)}`;
  return frameworkLabel(scope.slice("framework:".length));
}

/** The team whose accounts a scope's coverage lists (null: the unowned); undefined for the organisation and frameworks. */
function teamOf(scope: Scope): string | null | undefined {
  if (scope === "unowned") return null;
  return scope.startsWith("team:") ? scope.slice("team:".length) : undefined;
}

/** `/posture score [team|framework]`: score, deltas, failing per severity, the rules to fix first. */
export function renderScoreResponse(model: ScoreResponseModel, now: Date): Message {
  const label = scopeLabel(model.scope);
  if (model.score === null) {
    return {
      text: escapeMrkdwn(`${label}: no score yet`),
      blocks: [
        section(md`*${label}*: no score yet. Nothing in this scope has been evaluated; scores appear after the next scan (${code(`${SLASH_COMMAND} ${SUBCOMMANDS.scan}`)}).`),
        ...coverageBlocks(model.coverage, teamOf(model.scope)),
      ],
    };
  }
  const spark = renderSparkline(model.series, now);
  const blocks: Block[] = [
    section(md`*${label}*   *${formatScore(model.score)}*   ${formatDeltas(model.delta1d, model.delta7d)}${raw(spark ? md`\n${code(spark)} last 30 days` : "")}`),
    severityFields(model),
    ...topRules(model),
    ...coverageBlocks(model.coverage, teamOf(model.scope)),
    context(md`Datadog's posture score: passing checks per severity, weighted critical 8 (squared), high 6, medium 3, low 2, info 1; muted findings left out. Impact = points gained if that rule's failures passed.`),
  ];
  return { text: escapeMrkdwn(`${label}: ${formatScore(model.score)} (${formatDeltas(model.delta1d, model.delta7d)})`), blocks };
}

function severityFields(model: ScoreResponseModel): Block {
  const present = SEVERITIES.filter((s) => model.tally[s].pass + model.tally[s].fail > 0);
  const items = present.map((s) => {
    const { pass, fail } = model.tally[s];
    return md`${raw(SEVERITY_STYLE[s].emoji)} *${SEVERITY_STYLE[s].label}*\n${plural(fail, "failing check")} of ${(pass + fail).toLocaleString("en-US")}`;
  });
  return items.length > 0 ? fields(items) : context("No checks evaluated.");
}

function topRules(model: ScoreResponseModel): Block[] {
  if (model.topRules.length === 0) return [section(md`:white_check_mark: Nothing failing: no rule to fix first.`)];
  const lines = model.topRules.map((r) => {
    const title = model.ruleTitles[r.ruleId] ?? r.ruleId;
    return md`${code(`+${r.impact.toFixed(1)} pts`)} ${raw(SEVERITY_STYLE[r.severity].emoji)} ${truncate(title, 150)} (${code(r.ruleId)}) · ${plural(r.fail, "failing resource")}`;
  });
  const { blocks } = packLines([md`*Fix first*`, ...lines], 3, LIMITS.messageChars / 2);
  return blocks;
}
