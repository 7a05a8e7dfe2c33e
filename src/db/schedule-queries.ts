import type { DigestLog } from "../app/post-digests.js";
import type { Db } from "./open.js";

/** When the last completed (or partial) scan finished; failed scans do not count as fresh data. */
export function loadLastScanFinishedAt(db: Db): string | undefined {
  const row = db.prepare("SELECT MAX(finished_at) AS at FROM scans WHERE status IN ('completed', 'partial')").get() as { at: string | null };
  return row.at ?? undefined;
}

/**
 * Posted digests are outbox rows of kind `digest.posted`, born sent (delivery only reads
 * `finding.transition` rows), under the UNIQUE key `digest:<scope>:<day>`: a restart on the same day
 * finds them and does not post again. No new table, so no migration.
 */
export function createSqliteDigestLog(db: Db): DigestLog {
  const find = db.prepare("SELECT 1 FROM outbox WHERE idempotency_key = ?");
  const insert = db.prepare(`INSERT INTO outbox (idempotency_key, kind, channel, payload, attempts, next_attempt_at, sent_at, created_at)
    VALUES (?, 'digest.posted', ?, ?, 1, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`);
  return {
    isPosted: async (key) => find.get(key) !== undefined,
    async recordPosted(key, ref, at) {
      insert.run(key, ref.channel, JSON.stringify({ ts: ref.ts }), at, at, at);
    },
  };
}
