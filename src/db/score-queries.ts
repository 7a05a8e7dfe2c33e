import { rankRuleImpacts, tallyOf, type RuleImpact, type Scope } from "../core/scope-counts.js";
import { scoreOf, type Tally } from "../core/score.js";
import type { Severity } from "../core/rule.js";
import type { Db } from "./open.js";
import { parseJsonColumn, tallyColumn } from "./json-columns.js";

export interface ScoreView {
  scope: Scope;
  /** Current score (percent) from each account's latest counts; null when nothing was evaluated. */
  score: number | null;
  tally: Tally;
  /** Differences in points against the snapshot of one and seven days before `now` (null: no snapshot then). */
  delta1d: number | null;
  delta7d: number | null;
  topRules: RuleImpact[];
}

/**
 * The score of one scope with its trend. Reads only stored aggregates (account_latest x scan_counts
 * and score_snapshots), never the findings, so it stays fast with a million findings stored.
 */
export function loadScore(db: Db, scope: Scope, now: Date, topN = 5): ScoreView {
  const rows = db.prepare(`SELECT c.rule_id AS ruleId, c.severity AS severity, SUM(c.pass) AS pass, SUM(c.fail) AS fail
    FROM account_latest a JOIN scan_counts c ON c.scope = @scope AND c.account_id = a.account_id AND c.scan_id = a.scan_id
    GROUP BY c.rule_id, c.severity`).all({ scope }) as { ruleId: string; severity: Severity; pass: number; fail: number }[];
  const tally = tallyOf(rows);
  const score = scoreOf(tally);
  const before = (days: number) => snapshotScoreOnOrBefore(db, scope, dayOf(now, -days));
  const delta = (past: number | null | undefined) => (score === null || past === null || past === undefined ? null : score - past);
  return { scope, score, tally, delta1d: delta(before(1)), delta7d: delta(before(7)), topRules: rankRuleImpacts(rows).slice(0, topN) };
}

/** undefined: no snapshot on or before that day; null: a snapshot with nothing evaluated. */
function snapshotScoreOnOrBefore(db: Db, scope: string, day: string): number | null | undefined {
  const row = db.prepare("SELECT score FROM score_snapshots WHERE scope = ? AND day <= ? ORDER BY day DESC LIMIT 1").get(scope, day) as { score: number | null } | undefined;
  return row?.score;
}

export interface ScorePoint {
  day: string;
  score: number | null;
  tally: Tally;
}

/** The daily series of a scope over the last `days` days (30 for the dashboard). */
export function loadScoreSeries(db: Db, scope: Scope, now: Date, days = 30): ScorePoint[] {
  const rows = db.prepare("SELECT day, score, tally FROM score_snapshots WHERE scope = ? AND day > ? AND day <= ? ORDER BY day")
    .all(scope, dayOf(now, -days), dayOf(now, 0)) as { day: string; score: number | null; tally: string }[];
  return rows.map((r) => ({ day: r.day, score: r.score, tally: parseJsonColumn(tallyColumn, r.tally, `score_snapshots(${scope}, ${r.day}).tally`) as Tally }));
}

/** Scopes that have current counts (for listings and `posture score` without arguments). */
export function loadScopes(db: Db): Scope[] {
  const rows = db.prepare(`SELECT DISTINCT c.scope AS scope FROM account_latest a JOIN scan_counts c ON c.account_id = a.account_id AND c.scan_id = a.scan_id ORDER BY c.scope`).all() as { scope: Scope }[];
  return rows.map((r) => r.scope);
}

function dayOf(now: Date, offsetDays: number): string {
  return new Date(now.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}
