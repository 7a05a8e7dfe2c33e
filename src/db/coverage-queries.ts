import { z } from "zod";
import { TARGETED_SCAN_MARK } from "../app/scan.js";
import { DISCOVERY_COVERAGE_ID, summarizeCoverage, type AccountCoverageLine, type CoverageSummary } from "../core/digest.js";
import { parseJsonColumn } from "./json-columns.js";
import type { Db } from "./open.js";

const errorsColumn = z.array(z.object({ code: z.string(), message: z.string() }).loose());

/** Both walk scans_by_time from the newest end, then scan_accounts by its primary key (test/db/coverage-queries.test.ts checks the plans). */
export const COVERAGE_SQL = {
  latestFullScan: "SELECT id, finished_at FROM scans WHERE instr(trigger, ?) = 0 ORDER BY finished_at DESC LIMIT 1",
  accountsSince: `SELECT s.id AS scan_id, s.finished_at, a.account_id, a.name, a.status, a.errors
    FROM scans s JOIN scan_accounts a ON a.scan_id = s.id WHERE s.finished_at >= ? ORDER BY s.finished_at, s.id`,
} as const;

interface Row {
  scan_id: string;
  finished_at: string;
  account_id: string;
  name: string | null;
  status: AccountCoverageLine["status"];
  errors: string;
}

/**
 * Coverage from the latest scan over every account, with later scans of chosen accounts (`/posture scan
 * <account>`) replacing those accounts' lines. Two indexed reads: the scan by scans_by_time, then the
 * scan_accounts rows of the few scans since by their primary key; the findings are never read. An account
 * that left the organization drops out with the next full scan. null before the first scan.
 */
export function loadCoverage(db: Db): CoverageSummary | null {
  const latest = loadCoverageLines(db);
  return latest ? summarizeCoverage(latest.scan, latest.lines) : null;
}

/**
 * `loadCoverage` narrowed to the accounts where a team (null: the unowned) owns evaluated resources
 * (`loadTeamAccounts`), plus a failed discovery: `/posture score <team>`. Indexed like both.
 */
export function loadTeamCoverage(db: Db, team: string | null): CoverageSummary | null {
  const latest = loadCoverageLines(db);
  if (!latest) return null;
  const accounts = loadTeamAccounts(db, team);
  return summarizeCoverage(latest.scan, latest.lines.filter((line) => accounts.has(line.accountId) || line.accountId === DISCOVERY_COVERAGE_ID));
}

/** The accounts of the latest scans with their names (ListAccounts' or the configured ones), for `/posture scan <account>`. */
export function loadScannedAccounts(db: Db): { id: string; name?: string }[] {
  const lines = loadCoverageLines(db)?.lines ?? [];
  return lines.filter((line) => /^\d{12}$/.test(line.accountId)).map((line) => (line.name ? { id: line.accountId, name: line.name } : { id: line.accountId }));
}

/** The per-account lines behind `loadCoverage` (the daily digests count and list them themselves). */
export function loadCoverageLines(db: Db): { scan: { scanId: string; finishedAt: string }; lines: AccountCoverageLine[] } | null {
  const base = db.prepare(COVERAGE_SQL.latestFullScan).get(TARGETED_SCAN_MARK) as { id: string; finished_at: string } | undefined;
  if (!base) return null;
  const rows = db.prepare(COVERAGE_SQL.accountsSince).all(base.finished_at) as Row[];
  const latest = new Map<string, Row>();
  for (const row of rows) latest.set(row.account_id, row);
  const newest = rows.at(-1) ?? { scan_id: base.id, finished_at: base.finished_at };
  return { scan: { scanId: newest.scan_id, finishedAt: newest.finished_at }, lines: [...latest.values()].map(lineOf) };
}

function lineOf(row: Row): AccountCoverageLine {
  const first = parseJsonColumn(errorsColumn, row.errors, `scan_accounts(${row.scan_id}, ${row.account_id}).errors`)[0];
  return { accountId: row.account_id, name: row.name, status: row.status, error: first ? `${first.code}: ${first.message}` : null };
}

/**
 * Per account of account_latest (one row per account), one probe of scan_counts_by_scope on its full key:
 * CROSS JOIN keeps that order, so the scope's rows of older scans are never read (test/db/team-coverage.test.ts).
 */
export const TEAM_ACCOUNTS_SQL = `SELECT DISTINCT c.account_id FROM account_latest l
  CROSS JOIN scan_counts c ON c.scope = ? AND c.account_id = l.account_id AND c.scan_id = l.scan_id`;

/** Accounts where a team owns evaluated resources, from the current per-account counts (scan_counts_by_scope). */
export function loadTeamAccounts(db: Db, team: string | null): Set<string> {
  const scope = team === null ? "unowned" : `team:${team}`;
  const ids = db.prepare(TEAM_ACCOUNTS_SQL).pluck().all(scope) as string[];
  return new Set(ids);
}
