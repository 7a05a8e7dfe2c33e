import type { HealthFacts } from "../app/health.js";
import type { Db } from "./open.js";

/**
 * The health endpoint's facts in three indexed reads. Due outbox rows are counted like delivery picks
 * them (src/db/slack-messages-repo.ts): unsent finding posts whose next attempt is due.
 */
export function loadHealthFacts(db: Db, now: string): HealthFacts {
  const schema = db.prepare("SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations").get() as { version: number };
  const scan = db.prepare("SELECT MAX(finished_at) AS at FROM scans WHERE status IN ('completed', 'partial')").get() as { at: string | null };
  const outbox = db.prepare(`SELECT COUNT(*) AS due, MIN(created_at) AS oldest FROM outbox
    WHERE sent_at IS NULL AND next_attempt_at <= ? AND kind = 'finding.transition'`).get(now) as { due: number; oldest: string | null };
  return { schemaVersion: schema.version, lastScanFinishedAt: scan.at, outboxDue: outbox.due, oldestDueCreatedAt: outbox.oldest };
}
