import type { AuditEntry } from "../core/finding-events.js";
import type { Db } from "./open.js";

/** Appends audit entries (the table's triggers reject UPDATE and DELETE). */
export function createAuditWriter(db: Db): (entry: AuditEntry) => void {
  const insert = db.prepare(`INSERT INTO audit_log (at, actor, action, subject_type, subject_id, finding_id, scan_id, team, details)
    VALUES (@at, @actor, @action, @subjectType, @subjectId, @findingId, @scanId, @team, @details)`);
  return (entry) => void insert.run({ ...entry, details: JSON.stringify(entry.details) });
}

export function persistAuditEntry(db: Db, entry: AuditEntry): void {
  createAuditWriter(db)(entry);
}
