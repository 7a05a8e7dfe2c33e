import type { ActivityQuery, DigestReader } from "../app/digest-ports.js";
import { emptyActivity, type AccountCoverageLine, type DigestTransition, type FindingBrief, type ScopeActivity } from "../core/digest.js";
import { SEVERITIES, type Severity } from "../core/rule.js";
import { z } from "zod";
import { loadCoverageLines, loadTeamAccounts } from "./coverage-queries.js";
import type { Db } from "./open.js";
import { parseJsonColumn } from "./json-columns.js";
import { loadScore, loadScoreSeries } from "./score-queries.js";

/**
 * The digest's reads, each one pass over all teams (100 teams cost what one costs):
 * transitions from the audit log's time index, open and overdue counts from the findings' status indexes.
 */
type TeamKey = string | null;
interface CountRow { team: TeamKey; severity: string; n: number }
interface BriefRow { team: TeamKey; id: number; rule_id: string; severity: Severity; resource_name: string; account_id: string; first_seen: string }

const TRANSITION_ACTIONS = ["finding.new", "finding.reopened", "finding.resolved"] as const;

/** Every team's activity in the window; teams with nothing are absent from the map. */
export function loadDigestActivity(db: Db, query: ActivityQuery): Map<TeamKey, ScopeActivity> {
  const byTeam = new Map<TeamKey, ScopeActivity>();
  const of = (team: TeamKey) => {
    let activity = byTeam.get(team);
    if (!activity) byTeam.set(team, (activity = emptyActivity()));
    return activity;
  };
  for (const row of loadTransitionCounts(db, query)) {
    if (isSeverity(row.severity)) of(row.team).transitions[row.kind][row.severity] += row.n;
  }
  for (const row of loadTransitionExamples(db, query)) of(row.team).examples[row.kind].push(briefOf(row));
  for (const row of loadOpenCounts(db)) if (isSeverity(row.severity)) of(row.team).open[row.severity] += row.n;
  const overdue = loadOverdue(db, query);
  for (const row of overdue.counts) if (isSeverity(row.severity)) of(row.team).overdue[row.severity] += row.n;
  for (const row of overdue.oldest) of(row.team).oldestOverdue.push(briefOf(row));
  return byTeam;
}

/** The audit log keeps the severity in `details`: grouped by it, a scan's 100k new findings are a few rows. */
function loadTransitionCounts(db: Db, query: ActivityQuery): (CountRow & { kind: DigestTransition })[] {
  return db.prepare(`SELECT team, substr(action, 9) AS kind, json_extract(details, '$.severity') AS severity, COUNT(*) AS n
    FROM audit_log WHERE at > @since AND at <= @until AND action IN (${TRANSITION_ACTIONS.map((a) => `'${a}'`).join(", ")})
    GROUP BY team, action, severity`).all({ since: query.since, until: query.until }) as (CountRow & { kind: DigestTransition })[];
}

function loadTransitionExamples(db: Db, query: ActivityQuery): (BriefRow & { kind: "new" | "reopened" })[] {
  return db.prepare(`SELECT * FROM (
      SELECT a.team, substr(a.action, 9) AS kind, f.id, f.rule_id, f.severity, f.resource_name, f.account_id, f.first_seen,
        ROW_NUMBER() OVER (PARTITION BY a.team, a.action ORDER BY f.severity_rank, a.id) AS rn
      FROM audit_log a JOIN findings f ON f.id = a.finding_id
      WHERE a.at > @since AND a.at <= @until AND a.action IN ('finding.new', 'finding.reopened'))
    WHERE rn <= @limit ORDER BY team, kind, rn`).all({ since: query.since, until: query.until, limit: query.examples }) as (BriefRow & { kind: "new" | "reopened" })[];
}

/** Served by findings_by_team (status, team, severity_rank, id) without reading the table. */
function loadOpenCounts(db: Db): CountRow[] {
  const rows = db.prepare("SELECT team, severity_rank AS rank, COUNT(*) AS n FROM findings WHERE status = 'open' GROUP BY team, severity_rank").all() as { team: TeamKey; rank: number; n: number }[];
  return rows.map((r) => ({ team: r.team, severity: SEVERITIES[r.rank] ?? "unknown", n: r.n }));
}

/**
 * Open findings first seen before their severity's cutoff: one range per severity on the partial index
 * findings_open_by_age (migration 0004), joined by UNION ALL (an OR of ranges makes SQLite pick a scan).
 */
function loadOverdue(db: Db, query: ActivityQuery): { counts: CountRow[]; oldest: BriefRow[] } {
  const ranked = SEVERITIES.map((severity, rank) => ({ rank, cutoff: query.overdueBefore[severity] })).filter((s): s is { rank: number; cutoff: string } => s.cutoff !== null);
  if (ranked.length === 0) return { counts: [], oldest: [] };
  const overdue = ranked.map((s) => `SELECT team, id, rule_id, severity, severity_rank, resource_name, account_id, first_seen FROM findings
    WHERE status = 'open' AND severity_rank = ${s.rank} AND first_seen < @c${s.rank}`).join(" UNION ALL ");
  const params = Object.fromEntries(ranked.map((s) => [`c${s.rank}`, s.cutoff]));
  const counts = db.prepare(`SELECT team, severity, COUNT(*) AS n FROM (${overdue}) GROUP BY team, severity`).all(params) as CountRow[];
  const oldest = db.prepare(`SELECT * FROM (
      SELECT *, ROW_NUMBER() OVER (PARTITION BY team ORDER BY severity_rank, first_seen, id) AS rn FROM (${overdue}))
    WHERE rn <= @limit ORDER BY team, rn`).all({ ...params, limit: query.examples }) as BriefRow[];
  return { counts, oldest };
}

const errorsColumn = z.array(z.object({ code: z.string(), message: z.string() }).loose());

/** Each account's row in the latest scan that covered it (a failed account shows its failure, not an old success). */
export function loadAccountCoverage(db: Db): AccountCoverageLine[] {
  const rows = db.prepare(`SELECT account_id, name, status, errors FROM (
      SELECT sa.account_id, sa.name, sa.status, sa.errors, ROW_NUMBER() OVER (PARTITION BY sa.account_id ORDER BY s.finished_at DESC, s.id DESC) AS rn
      FROM scan_accounts sa JOIN scans s ON s.id = sa.scan_id)
    WHERE rn = 1 ORDER BY account_id`).all() as { account_id: string; name: string | null; status: AccountCoverageLine["status"]; errors: string }[];
  return rows.map((r) => {
    const first = parseJsonColumn(errorsColumn, r.errors, `scan_accounts(${r.account_id}).errors`)[0];
    return { accountId: r.account_id, name: r.name, status: r.status, error: first ? `${first.code}: ${first.message}` : null };
  });
}

const isSeverity = (value: string): value is Severity => (SEVERITIES as readonly string[]).includes(value);

function briefOf(r: BriefRow): FindingBrief {
  return { id: r.id, ruleId: r.rule_id, severity: r.severity, resourceName: r.resource_name, accountId: r.account_id, firstSeen: r.first_seen };
}

/** The DigestReader port on a SQLite connection. */
export function createSqliteDigestReader(db: Db): DigestReader {
  return {
    loadScore: async (scope, now, topN) => {
      const view = loadScore(db, scope, now, topN);
      return { score: view.score, delta1d: view.delta1d, delta7d: view.delta7d, topRules: view.topRules };
    },
    loadScoreSeries: async (scope, now, days) => loadScoreSeries(db, scope, now, days).map((p) => ({ day: p.day, score: p.score })),
    loadActivity: async (query) => loadDigestActivity(db, query),
    // The latest full scan's accounts (coverage-queries.ts): indexed, and an account that left the organization drops out.
    loadCoverage: async () => loadCoverageLines(db)?.lines ?? [],
    loadTeamAccounts: async (team) => loadTeamAccounts(db, team),
  };
}
