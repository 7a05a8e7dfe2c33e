import type { AnyNamedCheck } from "../core/checks/check.js";
import { namedChecks } from "../core/checks/index.js";
import { evaluateSnapshot } from "../core/engine.js";
import { createReportAccumulator, type ScanReport } from "../core/report.js";
import { SEVERITIES, type Rule, type Severity } from "../core/rule.js";
import { compileSeverityOverrides, type SeverityOverride } from "../core/severity-overrides.js";
import type { Snapshot } from "../core/snapshot.js";
import type { CollectProgress, Collector } from "./ports.js";

/** Which rules a scan evaluates. Empty / absent fields select everything. */
export interface RuleFilters {
  /** Only these severities. */
  severities?: readonly Severity[];
  /** Only these rule ids. */
  ruleIds?: readonly string[];
  /** Rule ids switched off in configuration: never evaluated, and their attributes never collected. */
  disabled?: readonly string[];
}

/**
 * Marks the trigger of a scan limited to chosen accounts ("slack:U123 accounts=111122223333"): coverage
 * comes from the latest scan over every account, with such later scans replacing only their accounts.
 */
export const TARGETED_SCAN_MARK = " accounts=";

export function scanTriggerOf(trigger: string, accounts: readonly string[] | undefined): string {
  return accounts !== undefined && accounts.length > 0 ? `${trigger}${TARGETED_SCAN_MARK}${accounts.join(",")}` : trigger;
}

export type SnapshotSource =
  | { kind: "collector"; collector: Collector; accounts?: readonly string[]; onProgress?: CollectProgress }
  | { kind: "snapshot"; snapshot: Snapshot };

export interface ScanRequest {
  rules: readonly Rule[];
  source: SnapshotSource;
  now: Date;
  filters?: RuleFilters;
  checks?: ReadonlyMap<string, AnyNamedCheck>;
  /** The organisation's accounts beyond the scanned ones (e.g. every configured account). */
  trustedAccounts?: readonly string[];
  /** `severityOverrides` of the configuration: findings and the score take the effective severity. */
  severityOverrides?: readonly SeverityOverride[];
}

export interface ScanOutcome {
  report: ScanReport;
  /** The rules that were evaluated (after filters). */
  rules: Rule[];
}

/** The scan use case: select rules, get a snapshot (collecting only what they read), evaluate, report. */
export async function runScan(request: ScanRequest): Promise<ScanOutcome> {
  const rules = selectRules(request.rules, request.filters ?? {});
  const snapshot = await snapshotFor(request.source, rules);
  const trustedAccounts = organisationAccounts(snapshot, request.trustedAccounts);
  return { report: evaluateToReport(rules, snapshot, request.now, request.checks ?? namedChecks, trustedAccounts, request.severityOverrides), rules };
}

export function evaluateToReport(
  rules: readonly Rule[], snapshot: Snapshot, now: Date, checks: ReadonlyMap<string, AnyNamedCheck> = namedChecks,
  trustedAccounts: readonly string[] = organisationAccounts(snapshot), severityOverrides: readonly SeverityOverride[] = [],
): ScanReport {
  const accumulator = createReportAccumulator();
  evaluateSnapshot(rules, snapshot, { now, checks, trustedAccounts, ...(severityOverrides.length > 0 ? { severityOf: compileSeverityOverrides(severityOverrides) } : {}) }, accumulator.add);
  return accumulator.build({ evaluatedAt: now, collectedAt: snapshot.collectedAt, accounts: snapshot.accounts });
}

/**
 * The scanned accounts plus any others named as the organisation's: access granted to them is
 * not cross-account exposure (a prod role trusted by staging is not a third party).
 */
export function organisationAccounts(snapshot: Pick<Snapshot, "accounts">, extra: readonly string[] = []): string[] {
  const ids = [...snapshot.accounts.map((account) => account.accountId), ...extra].filter((id) => /^\d{12}$/.test(id));
  return [...new Set(ids)];
}

export function selectRules(rules: readonly Rule[], filters: RuleFilters): Rule[] {
  const disabled = new Set(filters.disabled ?? []);
  const ids = filters.ruleIds && filters.ruleIds.length > 0 ? new Set(filters.ruleIds) : undefined;
  const severities = filters.severities && filters.severities.length > 0 ? new Set(filters.severities) : undefined;
  return rules.filter((rule) => !disabled.has(rule.id) && (!ids || ids.has(rule.id)) && (!severities || severities.has(rule.severity)));
}

/**
 * What to ask the collector for: the top-level attributes the rules read, per resource type, plus
 * `tags` everywhere (ownership routing needs them even when no rule reads them).
 */
export function readsOf(rules: readonly Rule[]): Map<string, Set<string>> {
  const reads = new Map<string, Set<string>>();
  for (const rule of rules) {
    const set = reads.get(rule.resource) ?? new Set(["tags"]);
    rule.reads.forEach((attribute) => set.add(attribute));
    reads.set(rule.resource, set);
  }
  return reads;
}

async function snapshotFor(source: SnapshotSource, rules: readonly Rule[]): Promise<Snapshot> {
  if (source.kind === "snapshot") return source.snapshot;
  return source.collector.collect({ reads: readsOf(rules), accounts: source.accounts, onProgress: source.onProgress });
}

/** Severities at or above `minimum` ("high" gives critical and high). */
export function severitiesAtOrAbove(minimum: Severity): Severity[] {
  return SEVERITIES.slice(0, SEVERITIES.indexOf(minimum) + 1);
}
