import type { FindingStatus, LastResult } from "./findings.js";
import type { Rule, Severity } from "./rule.js";
import { frameworkScope, ORG, teamScope, type Scope, type ScopeCount } from "./scope-counts.js";

/**
 * A mute starting or ending changes the score at once (issue 5, DESIGN 5), not at the next scan. The
 * invariant kept: the current counts = the latest scan's evaluations, excluding the findings muted now.
 * A scan keeps it by recounting from scratch; a mute step keeps it by adjusting the rows below.
 */
export interface CountedFinding {
  accountId: string;
  ruleId: string;
  team: string | null;
  /** The finding's stored severity: a row the adjustment has to create gets it. */
  severity: Severity;
  lastResult: LastResult;
  /** The scan that last wrote its result (a failure, or the pass or deletion that resolved it); not evaluated leaves it. */
  lastScanId: string;
}

/** What one finding contributes to its account's latest counts in a status: a muted one nothing. */
export function countedAs(status: FindingStatus, lastResult: LastResult): "pass" | "fail" | null {
  if (status === "muted" || lastResult === "deleted") return null;
  return lastResult;
}

export interface CountDelta {
  pass: number;
  fail: number;
}

/**
 * How a status change moves the finding's account's latest counts. Null when it does not: the status
 * change leaves what is counted alone, or the latest counts of the account (`latestScanId`) did not
 * evaluate the finding (a deleted resource, a scan that could not reach it, a --rule subset scan since):
 * then they never held it, and the next scan recounts.
 */
export function muteCountDelta(finding: CountedFinding, change: { from: FindingStatus; to: FindingStatus }, latestScanId: string | undefined): CountDelta | null {
  if (latestScanId === undefined || finding.lastScanId !== latestScanId) return null;
  const before = countedAs(change.from, finding.lastResult);
  const after = countedAs(change.to, finding.lastResult);
  if (before === after) return null;
  const delta: CountDelta = { pass: 0, fail: 0 };
  if (before) delta[before] -= 1;
  if (after) delta[after] += 1;
  return delta;
}

/** One scan_counts row to adjust, by its primary key (scan, account, scope, rule). */
export interface CountRowDelta extends CountDelta {
  scanId: string;
  accountId: string;
  scope: Scope;
  ruleId: string;
  severity: Severity;
}

/**
 * The rows a finding's delta lands on: the organisation, its team (or unowned) and every framework its
 * rule maps to, exactly the rows the scan's counter bumps for one evaluation (`createScopeCounter`).
 */
export function countRowDeltas(finding: CountedFinding, scanId: string, delta: CountDelta, frameworks: readonly string[]): CountRowDelta[] {
  const scopes: Scope[] = [ORG, teamScope(finding.team), ...frameworks.map(frameworkScope)];
  return scopes.map((scope) => ({ scanId, accountId: finding.accountId, scope, ruleId: finding.ruleId, severity: finding.severity, ...delta }));
}

/** The frameworks each rule maps to, as the scan's counter reads them (the keys of its `compliance`). */
export function frameworksOfRules(rules: readonly Pick<Rule, "id" | "compliance">[]): (ruleId: string) => string[] | undefined {
  const byRule = new Map(rules.map((rule) => [rule.id, Object.keys(rule.compliance)]));
  return (ruleId) => byRule.get(ruleId);
}

/** A failing evaluation of the scan whose muted-or-not changed when its change was rebased on a mute step. */
export interface FailCorrection {
  accountId: string;
  ruleId: string;
  severity: Severity;
  team: string | null;
  frameworks: readonly string[];
  /** +1: counted now (unmuted during the scan); -1: left out now (muted during the scan). */
  fail: 1 | -1;
}

/**
 * The scan's counts with the failures a mute step muted or unmuted during the scan moved in or out, so
 * they hold what a recount against the current statuses gives (counted iff not muted now). A row created
 * here is one the scan's counter would have created; a row left with nothing is dropped as it would never exist.
 */
export function correctScanCounts(rows: readonly ScopeCount[], corrections: readonly FailCorrection[]): ScopeCount[] {
  if (corrections.length === 0) return [...rows];
  const key = (accountId: string, scope: Scope, ruleId: string, severity: Severity) => `${accountId}\u0000${scope}\u0000${ruleId}\u0000${severity}`;
  const byKey = new Map(rows.map((row) => [key(row.accountId, row.scope, row.ruleId, row.severity), { ...row }]));
  for (const c of corrections) {
    for (const scope of [ORG, teamScope(c.team), ...c.frameworks.map(frameworkScope)]) {
      const k = key(c.accountId, scope, c.ruleId, c.severity);
      let row = byKey.get(k);
      if (!row) byKey.set(k, (row = { accountId: c.accountId, scope, ruleId: c.ruleId, severity: c.severity, pass: 0, fail: 0, notEvaluated: 0 }));
      row.fail = Math.max(row.fail + c.fail, 0);
    }
  }
  return [...byKey.values()].filter((row) => row.pass + row.fail + row.notEvaluated > 0);
}
