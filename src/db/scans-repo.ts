import type { ScanAccountRecord, ScanRecord } from "../app/state-ports.js";
import { scoreOf, type Tally } from "../core/score.js";
import { tallyOf, type ScopeCount } from "../core/scope-counts.js";
import type { Severity } from "../core/rule.js";
import type { Db } from "./open.js";

/** At most this many collection errors are kept per account and scan (the counts are exact). */
const ERRORS_KEPT = 50;

export function scanExists(db: Db, scanId: string): boolean {
  return db.prepare("SELECT 1 FROM scans WHERE id = ?").get(scanId) !== undefined;
}

export function persistScan(db: Db, scan: ScanRecord, accounts: readonly ScanAccountRecord[], persistedAt: string): void {
  db.prepare(`INSERT INTO scans (id, started_at, finished_at, persisted_at, status, trigger, rule_scope, rule_count, resource_count, evaluations,
      pass_count, fail_count, not_evaluated_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(scan.id, scan.startedAt, scan.finishedAt, persistedAt, scan.status, scan.trigger, scan.ruleScope, scan.ruleCount, scan.resourceCount,
      scan.evaluations, scan.pass, scan.fail, scan.notEvaluated);
  const insert = db.prepare(`INSERT INTO scan_accounts (scan_id, account_id, name, status, resource_count, error_count, not_evaluated_count, errors)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  for (const a of accounts) {
    insert.run(scan.id, a.accountId, a.name ?? null, a.status, a.resourceCount, a.errors.length, a.notEvaluated, JSON.stringify(a.errors.slice(0, ERRORS_KEPT)));
  }
}

/**
 * Stores the scan's counts and makes them current for its accounts, except accounts whose collection
 * failed: their previous counts stay current rather than an empty tally.
 */
export function persistScopeCounts(db: Db, scanId: string, counts: readonly ScopeCount[], accounts: readonly ScanAccountRecord[]): void {
  const insert = db.prepare(`INSERT INTO scan_counts (scan_id, account_id, scope, rule_id, severity, pass, fail, not_evaluated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  for (const c of counts) insert.run(scanId, c.accountId, c.scope, c.ruleId, c.severity, c.pass, c.fail, c.notEvaluated);
  const latest = db.prepare("INSERT INTO account_latest (account_id, scan_id) VALUES (?, ?) ON CONFLICT (account_id) DO UPDATE SET scan_id = excluded.scan_id");
  const counted = new Set(counts.map((c) => c.accountId));
  for (const a of accounts) {
    if (a.status !== "failed") latest.run(a.accountId, scanId);
  }
  for (const accountId of counted) {
    if (!accounts.some((a) => a.accountId === accountId)) latest.run(accountId, scanId);
  }
}

/** Current tallies of every scope, from the stored aggregates of each account's latest scan. */
export function loadCurrentTallies(db: Db): Map<string, Tally> {
  const rows = db.prepare(`SELECT c.scope AS scope, c.severity AS severity, SUM(c.pass) AS pass, SUM(c.fail) AS fail
    FROM account_latest a JOIN scan_counts c ON c.scan_id = a.scan_id AND c.account_id = a.account_id GROUP BY c.scope, c.severity`)
    .all() as { scope: string; severity: Severity; pass: number; fail: number }[];
  const byScope = new Map<string, { severity: Severity; pass: number; fail: number }[]>();
  for (const row of rows) byScope.set(row.scope, [...(byScope.get(row.scope) ?? []), row]);
  return new Map([...byScope].map(([scope, list]) => [scope, tallyOf(list)]));
}

/** One snapshot per scope per day (the day's latest scan wins), so trends come from the database. */
export function persistScoreSnapshots(db: Db, tallies: ReadonlyMap<string, Tally>, scanId: string, at: string): number {
  const upsert = db.prepare(`INSERT INTO score_snapshots (scope, day, score, tally, scan_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (scope, day) DO UPDATE SET score = excluded.score, tally = excluded.tally, scan_id = excluded.scan_id, updated_at = excluded.updated_at`);
  for (const [scope, tally] of tallies) upsert.run(scope, at.slice(0, 10), scoreOf(tally), JSON.stringify(tally), scanId, at);
  return tallies.size;
}

/**
 * Retention: per-scan evaluation details (counts, account coverage) of scans finished before `before`
 * go, except the counts that are still current for an account. Scans, findings and the audit log stay.
 */
export function pruneEvaluationDetails(db: Db, before: string): number {
  return db.transaction(() => {
    const old = "SELECT id FROM scans WHERE finished_at < @before";
    const counts = db.prepare(`DELETE FROM scan_counts WHERE scan_id IN (${old})
      AND NOT EXISTS (SELECT 1 FROM account_latest a WHERE a.scan_id = scan_counts.scan_id AND a.account_id = scan_counts.account_id)`).run({ before }).changes;
    const accounts = db.prepare(`DELETE FROM scan_accounts WHERE scan_id IN (${old})
      AND NOT EXISTS (SELECT 1 FROM account_latest a WHERE a.scan_id = scan_accounts.scan_id AND a.account_id = scan_accounts.account_id)`).run({ before }).changes;
    return counts + accounts;
  }).immediate();
}
