import type { LockHolder, LockResult, ScanLock } from "../app/state-ports.js";
import type { Db } from "./open.js";

interface LockRow { holder: string; pid: number; host: string; acquired_at: string; expires_at: string }

/**
 * The scan lease lives in the database (not a pid file) so that every process on the file sees it.
 * BEGIN IMMEDIATE takes SQLite's write lock first, so two acquirers cannot both read "free".
 */
export function acquireScanLock(db: Db, holder: LockHolder, now: Date, ttlMs: number): LockResult {
  return db.transaction((): LockResult => {
    const row = db.prepare("SELECT holder, pid, host, acquired_at, expires_at FROM scan_lock WHERE id = 1").get() as LockRow | undefined;
    const nowIso = now.toISOString();
    if (row && row.holder !== holder.holder && row.expires_at > nowIso) {
      return { acquired: false, heldBy: { holder: row.holder, pid: row.pid, host: row.host, acquiredAt: row.acquired_at, expiresAt: row.expires_at } };
    }
    db.prepare(`INSERT INTO scan_lock (id, holder, pid, host, acquired_at, heartbeat_at, expires_at) VALUES (1, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, pid = excluded.pid, host = excluded.host,
        acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at`)
      .run(holder.holder, holder.pid, holder.host, nowIso, nowIso, new Date(now.getTime() + ttlMs).toISOString());
    if (row && row.holder !== holder.holder) return { acquired: true, tookOverFrom: { holder: row.holder, pid: row.pid, host: row.host, expiresAt: row.expires_at } };
    return { acquired: true };
  }).immediate();
}

export function heartbeatScanLock(db: Db, holder: LockHolder, now: Date, ttlMs: number): boolean {
  const result = db.prepare("UPDATE scan_lock SET heartbeat_at = ?, expires_at = ? WHERE id = 1 AND holder = ?")
    .run(now.toISOString(), new Date(now.getTime() + ttlMs).toISOString(), holder.holder);
  return result.changes === 1;
}

export function releaseScanLock(db: Db, holder: LockHolder): void {
  db.prepare("DELETE FROM scan_lock WHERE id = 1 AND holder = ?").run(holder.holder);
}

export function createScanLock(db: Db): ScanLock {
  return {
    acquire: async (holder, now, ttlMs) => acquireScanLock(db, holder, now, ttlMs),
    heartbeat: async (holder, now, ttlMs) => heartbeatScanLock(db, holder, now, ttlMs),
    release: async (holder) => releaseScanLock(db, holder),
  };
}
