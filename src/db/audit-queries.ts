import type { Db } from "./open.js";
import { detailsColumn, parseJsonColumn } from "./json-columns.js";

export interface AuditFilter {
  /** ISO time or date: entries at or after it. */
  since: string;
  team?: string;
  action?: string;
}

export interface AuditRecord {
  id: number;
  at: string;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  findingId: number | null;
  scanId: string | null;
  team: string | null;
  details: Record<string, unknown>;
}

interface Row { id: number; at: string; actor: string; action: string; subject_type: string; subject_id: string; finding_id: number | null; scan_id: string | null; team: string | null; details: string }

/** Streams the audit log in order (an export of a year is millions of rows: never all in memory). */
export function* loadAuditEntries(db: Db, filter: AuditFilter): Generator<AuditRecord> {
  const where = ["at >= @since"];
  const params: Record<string, string> = { since: filter.since };
  if (filter.team !== undefined) {
    where.push("team = @team");
    params.team = filter.team;
  }
  if (filter.action !== undefined) {
    where.push("action = @action");
    params.action = filter.action;
  }
  const rows = db.prepare(`SELECT * FROM audit_log WHERE ${where.join(" AND ")} ORDER BY at, id`).iterate(params) as IterableIterator<Row>;
  for (const r of rows) {
    yield {
      id: r.id, at: r.at, actor: r.actor, action: r.action, subjectType: r.subject_type, subjectId: r.subject_id, findingId: r.finding_id,
      scanId: r.scan_id, team: r.team, details: parseJsonColumn(detailsColumn, r.details, `audit_log(${r.id}).details`),
    };
  }
}
