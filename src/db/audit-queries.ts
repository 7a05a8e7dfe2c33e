import type { Db } from "./open.js";
import { detailsColumn, parseJsonColumn } from "./json-columns.js";

export interface AuditFilter {
  /** ISO time: entries at or after it. */
  since: string;
  /** ISO time: entries before it (absent: up to now). */
  until?: string;
  team?: string;
  /** An exact action (`mute.approved`), or a family ending in `.*` (`mute.*`). */
  action?: string;
  /** A mute or revoke reason key, or a resolution reason: matches the entry's `reason` or its mute's `muteReason`. */
  reason?: string;
}

export interface AuditRecord {
  id: number;
  at: string;
  actor: string;
  /** The actor's name as Slack gave it (null: a system actor, or not known when it was written). */
  actorName: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  findingId: number | null;
  scanId: string | null;
  team: string | null;
  /** The Slack message the action was taken on (null: none, e.g. a scan). */
  permalink: string | null;
  details: Record<string, unknown>;
}

interface Row { id: number; at: string; actor: string; action: string; subject_type: string; subject_id: string; finding_id: number | null; scan_id: string | null; team: string | null; details: string }

const textOf = (value: unknown): string | null => (typeof value === "string" && value.length > 0 ? value : null);

/** Streams the audit log in order (an export of a year is millions of rows: never all in memory). */
export function* loadAuditEntries(db: Db, filter: AuditFilter): Generator<AuditRecord> {
  const where = ["at >= @since"];
  const params: Record<string, string> = { since: filter.since };
  const add = (clause: string, key: string, value: string | undefined) => {
    if (value === undefined) return;
    where.push(clause);
    params[key] = value;
  };
  add("at < @until", "until", filter.until);
  add("team = @team", "team", filter.team);
  if (filter.action?.endsWith(".*")) add("action LIKE @action ESCAPE '\\'", "action", `${filter.action.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  else add("action = @action", "action", filter.action);
  add("(json_extract(details, '$.reason') = @reason OR json_extract(details, '$.muteReason') = @reason)", "reason", filter.reason);
  const rows = db.prepare(`SELECT * FROM audit_log WHERE ${where.join(" AND ")} ORDER BY at, id`).iterate(params) as IterableIterator<Row>;
  for (const r of rows) {
    const details = parseJsonColumn(detailsColumn, r.details, `audit_log(${r.id}).details`);
    yield {
      id: r.id, at: r.at, actor: r.actor, actorName: textOf(details.actorName), action: r.action, subjectType: r.subject_type, subjectId: r.subject_id,
      findingId: r.finding_id, scanId: r.scan_id, team: r.team, permalink: textOf(details.permalink), details,
    };
  }
}
