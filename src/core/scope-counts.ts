import type { EvaluationStatus } from "./engine.js";
import type { Severity } from "./rule.js";
import { addToTally, emptyTally, scoreImpact, scoreOf, type Tally } from "./score.js";

/**
 * Scopes a score is computed for: the organisation, each team (and the unowned resources), each
 * compliance framework a rule maps to (DESIGN section 5).
 */
export type Scope = "org" | "unowned" | `team:${string}` | `framework:${string}`;

export const ORG: Scope = "org";
export const UNOWNED: Scope = "unowned";
export const teamScope = (team: string | null): Scope => (team === null ? UNOWNED : `team:${team}`);
export const frameworkScope = (framework: string): Scope => `framework:${framework}`;

/**
 * Evaluations of one rule in one account for one scope at one effective severity (a severity override
 * can split a rule's evaluations): the stored aggregate the score is computed from.
 */
export interface ScopeCount {
  accountId: string;
  scope: Scope;
  ruleId: string;
  severity: Severity;
  pass: number;
  fail: number;
  notEvaluated: number;
}

export interface CountedEvaluation {
  accountId: string;
  ruleId: string;
  severity: Severity;
  frameworks: readonly string[];
  team: string | null;
  status: EvaluationStatus;
  /** Muted findings leave the score entirely (neither pass nor fail). */
  muted: boolean;
}

/**
 * Folds a scan's evaluations into per account x scope x rule counts (a few thousand rows, whatever the
 * scan size). The rows one evaluation bumps are cached per account, team and rule: no string keys are
 * built per evaluation (a 400,000-resource scan has millions of them).
 */
export function createScopeCounter(): { add(evaluation: CountedEvaluation): void; rows(): ScopeCount[] } {
  const counts = new Map<string, ScopeCount>();
  const targets = new Map<string, Map<string | null, Map<string, Map<Severity, ScopeCount[]>>>>();
  const rowFor = (e: CountedEvaluation, scope: Scope) => {
    const key = `${e.accountId}\u0000${scope}\u0000${e.ruleId}\u0000${e.severity}`;
    let row = counts.get(key);
    if (!row) {
      row = { accountId: e.accountId, scope, ruleId: e.ruleId, severity: e.severity, pass: 0, fail: 0, notEvaluated: 0 };
      counts.set(key, row);
    }
    return row;
  };
  const rowsFor = (e: CountedEvaluation) => {
    let byTeam = targets.get(e.accountId);
    if (!byTeam) targets.set(e.accountId, (byTeam = new Map()));
    let byRule = byTeam.get(e.team);
    if (!byRule) byTeam.set(e.team, (byRule = new Map()));
    let bySeverity = byRule.get(e.ruleId);
    if (!bySeverity) byRule.set(e.ruleId, (bySeverity = new Map()));
    let rows = bySeverity.get(e.severity);
    if (!rows) bySeverity.set(e.severity, (rows = [ORG, teamScope(e.team), ...e.frameworks.map(frameworkScope)].map((scope) => rowFor(e, scope))));
    return rows;
  };
  return {
    add(evaluation) {
      if (evaluation.muted) return;
      for (const row of rowsFor(evaluation)) {
        if (evaluation.status === "not_evaluated") row.notEvaluated += 1;
        else row[evaluation.status] += 1;
      }
    },
    rows: () => [...counts.values()],
  };
}

/** The tally of a set of counts (one scope's rows): not evaluated results stay out of it. */
export function tallyOf(rows: Iterable<Pick<ScopeCount, "severity" | "pass" | "fail">>): Tally {
  const tally = emptyTally();
  for (const row of rows) {
    addToTally(tally, row.severity, "pass", row.pass);
    addToTally(tally, row.severity, "fail", row.fail);
  }
  return tally;
}

export interface RuleImpact {
  ruleId: string;
  severity: Severity;
  fail: number;
  /** Points the scope's score would gain if this rule's failures passed. */
  impact: number;
}

/**
 * Per-rule score impact within one scope, highest first (ties: more failures, then rule id). A rule whose
 * evaluations a severity override split over several severities gains what passing all of them gains;
 * its listed severity is the one most of its failures have.
 */
export function rankRuleImpacts(rows: readonly Pick<ScopeCount, "ruleId" | "severity" | "pass" | "fail">[]): RuleImpact[] {
  const tally = tallyOf(rows);
  const byRule = new Map<string, { ruleId: string; fails: Map<Severity, number> }>();
  for (const row of rows) {
    const entry = byRule.get(row.ruleId) ?? { ruleId: row.ruleId, fails: new Map<Severity, number>() };
    entry.fails.set(row.severity, (entry.fails.get(row.severity) ?? 0) + row.fail);
    byRule.set(row.ruleId, entry);
  }
  const impacts = [...byRule.values()].map(({ ruleId, fails }) => impactOf(tally, ruleId, fails)).filter((r) => r.fail > 0);
  return impacts.sort((a, b) => b.impact - a.impact || b.fail - a.fail || (a.ruleId < b.ruleId ? -1 : 1));
}

function impactOf(tally: Tally, ruleId: string, fails: ReadonlyMap<Severity, number>): RuleImpact {
  const failing = [...fails].filter(([, n]) => n > 0);
  const fail = failing.reduce((sum, [, n]) => sum + n, 0);
  const severity = failing.reduce<[Severity, number] | undefined>((top, entry) => (!top || entry[1] > top[1] ? entry : top), undefined)?.[0] ?? [...fails.keys()][0]!;
  if (failing.length <= 1) return { ruleId, severity, fail, impact: fail === 0 ? 0 : scoreImpact(tally, severity, fail) };
  const before = scoreOf(tally) ?? 0;
  const after = structuredClone(tally);
  for (const [s, n] of failing) {
    after[s].fail -= n;
    after[s].pass += n;
  }
  return { ruleId, severity, fail, impact: (scoreOf(after) ?? before) - before };
}

export { scoreOf };
