import type { Evidence } from "./condition.js";
import type { RuleResult } from "./engine.js";
import { SEVERITIES, type Severity } from "./rule.js";
import type { AppliedOverride } from "./severity-overrides.js";
import { addToTally, emptyTally, scoreImpact, scoreOf, type Tally } from "./score.js";
import type { AccountCoverage, CollectionError, ResourceType } from "./snapshot.js";

/** One failing rule x resource evaluation, as shown to people and written to JSON / CSV. */
export interface Finding {
  ruleId: string;
  /** Effective severity (after `severityOverrides`). */
  severity: Severity;
  /** Present when an override changed the rule's severity: the rule's own and why. */
  severityOverride?: AppliedOverride;
  title: string;
  resource: { arn: string; name: string; type: ResourceType; accountId: string; region: string };
  evidence: Evidence[];
  qualifiers?: string[];
}

export interface RuleSummary {
  ruleId: string;
  title: string;
  severity: Severity;
  pass: number;
  fail: number;
  notEvaluated: number;
  /** Points the posture score would gain if this rule's failures passed ("what to fix first"). */
  impact: number;
}

export interface CountBy {
  key: string;
  count: number;
}

export interface AccountCollection {
  accountId: string;
  name?: string;
  status: AccountCoverage["status"];
  errors: CollectionError[];
}

export interface Coverage {
  /** Rule x resource evaluations that were not possible (AccessDenied, throttling, not collected...). */
  notEvaluated: number;
  byReason: CountBy[];
  byRule: CountBy[];
  byAccount: CountBy[];
  /** Collection status of every account of the snapshot, errors included. */
  accounts: AccountCollection[];
}

export interface ScanReport {
  /** The evaluation clock (ISO). */
  evaluatedAt: string;
  collectedAt: string;
  score: number | null;
  tally: Tally;
  evaluations: number;
  /** Failing findings, most severe first, then by rule and resource. */
  findings: Finding[];
  /** Rules with at least one evaluation, by score impact (highest first). */
  rules: RuleSummary[];
  coverage: Coverage;
}

/** Distinct coverage reasons kept; the rest are counted under one "other" entry (bounded memory). */
const MAX_REASONS = 200;
const OTHER_REASONS = "other reasons";

/**
 * Folds the engine's stream of results into a report. Passing results only bump counters, so a
 * 400,000-resource scan keeps failing findings and tallies, never millions of result objects.
 */
export interface ReportAccumulator {
  add(result: RuleResult): void;
  build(context: { evaluatedAt: Date; collectedAt: string; accounts: readonly AccountCoverage[] }): ScanReport;
}

interface RuleCounts { title: string; severity: Severity; pass: number; fail: number; notEvaluated: number; failsBySeverity: Partial<Record<Severity, number>> }

export function createReportAccumulator(): ReportAccumulator {
  const tally = emptyTally();
  const findings: Finding[] = [];
  const rules = new Map<string, RuleCounts>();
  const reasons = new Map<string, number>();
  const byRule = new Map<string, number>();
  const byAccount = new Map<string, number>();
  let evaluations = 0;
  let notEvaluated = 0;
  const intern = createInterner();

  const add = (result: RuleResult) => {
    evaluations += 1;
    const { rule, resource } = result;
    let counts = rules.get(rule.id);
    if (!counts) {
      counts = { title: rule.title, severity: rule.severity, pass: 0, fail: 0, notEvaluated: 0, failsBySeverity: {} };
      rules.set(rule.id, counts);
    }
    if (result.status === "not_evaluated") {
      counts.notEvaluated += 1;
      notEvaluated += 1;
      countReason(reasons, groupingReason(result.reason ?? "unknown reason"));
      increment(byRule, rule.id);
      increment(byAccount, resource.accountId);
      return;
    }
    counts[result.status] += 1;
    if (result.status === "fail") counts.failsBySeverity[result.severity] = (counts.failsBySeverity[result.severity] ?? 0) + 1;
    addToTally(tally, result.severity, result.status);
    if (result.status === "fail") findings.push(findingOf(result, intern));
  };

  // Called once, at the end of a scan: it sorts the findings in place rather than copying a million of them.
  const build: ReportAccumulator["build"] = ({ evaluatedAt, collectedAt, accounts }) => ({
    evaluatedAt: evaluatedAt.toISOString(),
    collectedAt,
    score: scoreOf(tally),
    tally: structuredClone(tally),
    evaluations,
    findings: findings.sort(compareFindings),
    rules: summarizeRules(rules, tally),
    coverage: {
      notEvaluated,
      byReason: sortedCounts(reasons),
      byRule: sortedCounts(byRule),
      byAccount: sortedCounts(byAccount),
      accounts: accounts.map(accountCollectionOf),
    },
  });

  return { add, build };
}

/** Convenience for tests and small inputs: one report from a finite list of results. */
export function buildReport(results: Iterable<RuleResult>, context: Parameters<ReportAccumulator["build"]>[0]): ScanReport {
  const accumulator = createReportAccumulator();
  for (const result of results) accumulator.add(result);
  return accumulator.build(context);
}

function findingOf(result: RuleResult, intern: (text: string) => string): Finding {
  const { rule, resource } = result;
  const finding: Finding = {
    ruleId: rule.id,
    severity: result.severity,
    title: rule.title,
    resource: { arn: resource.arn, name: resource.name, type: resource.type, accountId: resource.accountId, region: resource.region },
    evidence: result.evidence.map((e) => ({ path: intern(e.path), expected: intern(e.expected), observed: e.observed })),
  };
  if (result.qualifiers && result.qualifiers.length > 0) finding.qualifiers = result.qualifiers;
  if (result.severityOverride) finding.severityOverride = result.severityOverride;
  return finding;
}

/**
 * Collectors' messages often name the resource ("... on resource arn:aws:s3:::bucket-7"): ARNs are
 * masked so that 800 AccessDenied answers for 800 buckets group into one line instead of 800.
 */
export function groupingReason(reason: string): string {
  return reason.replace(/arn:aws[a-z-]*:[^\s"',)]+/g, "<arn>").replace(/\s+/g, " ").trim();
}

/**
 * The engine builds evidence strings per evaluation ("versioning.status", "equals \"Enabled\"");
 * a big scan keeps a million failing findings whose evidence repeats a few hundred distinct strings.
 * Sharing one copy of each roughly halves the report's memory. Bounded, so odd strings stay copies.
 */
function createInterner(limit = 100_000): (text: string) => string {
  const strings = new Map<string, string>();
  return (text) => {
    const known = strings.get(text);
    if (known !== undefined) return known;
    if (strings.size < limit && text.length <= 200) strings.set(text, text);
    return text;
  };
}

function countReason(reasons: Map<string, number>, reason: string): void {
  if (reasons.has(reason) || reasons.size < MAX_REASONS) increment(reasons, reason);
  else increment(reasons, OTHER_REASONS);
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function sortedCounts(map: ReadonlyMap<string, number>): CountBy[] {
  return [...map].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || compareText(a.key, b.key));
}

function summarizeRules(rules: ReadonlyMap<string, RuleCounts>, tally: Tally): RuleSummary[] {
  return [...rules]
    .map(([ruleId, { failsBySeverity, ...c }]) => ({ ruleId, ...c, impact: impactOf(tally, failsBySeverity) }))
    .sort((a, b) => b.impact - a.impact || b.fail - a.fail || compareText(a.ruleId, b.ruleId));
}

/** A rule whose failures fall under several effective severities (overrides) gains what passing all of them gains. */
function impactOf(tally: Tally, failsBySeverity: Partial<Record<Severity, number>>): number {
  const entries = Object.entries(failsBySeverity) as [Severity, number][];
  if (entries.length <= 1) return entries.length === 0 ? 0 : scoreImpact(tally, entries[0]![0], entries[0]![1]);
  const before = scoreOf(tally);
  if (before === null) return 0;
  const after = structuredClone(tally);
  for (const [severity, failing] of entries) {
    after[severity].fail -= failing;
    after[severity].pass += failing;
  }
  return (scoreOf(after) ?? before) - before;
}

const RANKS = Object.fromEntries(SEVERITIES.map((severity, index) => [severity, index])) as Record<Severity, number>;

export function severityRank(severity: Severity): number {
  return RANKS[severity];
}

// Plain code-unit comparison: localeCompare is ~20x slower and a big scan sorts a million findings.
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function compareFindings(a: Finding, b: Finding): number {
  return severityRank(a.severity) - severityRank(b.severity)
    || compareText(a.ruleId, b.ruleId)
    || compareText(a.resource.accountId, b.resource.accountId)
    || compareText(a.resource.name, b.resource.name)
    || compareText(a.resource.arn, b.resource.arn);
}

function accountCollectionOf(account: AccountCoverage): AccountCollection {
  const collection: AccountCollection = { accountId: account.accountId, status: account.status, errors: account.errors };
  if (account.name !== undefined) collection.name = account.name;
  return collection;
}

/** Failing findings at or above `threshold` (for `--fail-on`). */
export function countFailingAtOrAbove(report: Pick<ScanReport, "tally">, threshold: Severity): number {
  return SEVERITIES.slice(0, severityRank(threshold) + 1).reduce((sum, s) => sum + report.tally[s].fail, 0);
}
