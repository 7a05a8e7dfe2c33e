import { accessSync, constants, existsSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { DatabaseStatus } from "../app/doctor.js";
import type { HealthFacts } from "../app/health.js";
import { loadMigrations } from "./migrate.js";
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

/**
 * What `posture doctor` says about the database file without creating or migrating it: whether it (or
 * the folder it would be created in) is writable, and its schema version against the bundled migrations.
 */
export function inspectDatabaseFile(path: string, shownAs: string = path): DatabaseStatus {
  const latest = loadMigrations().length;
  if (path === ":memory:") return { path: shownAs, exists: true, writable: true, version: latest, latest };
  if (!existsSync(path)) return { path: shownAs, exists: false, writable: nearestFolderWritable(dirname(path)), version: 0, latest };
  const writable = isWritable(path) && isWritable(dirname(path));
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
    const version = table === undefined ? 0 : (db.prepare("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations").get() as { v: number }).v;
    return { path: shownAs, exists: true, writable, version, latest };
  } catch (error) {
    return { path: shownAs, exists: true, writable, version: 0, latest, error: (error as { code?: string }).code ?? (error as Error).message };
  } finally {
    db?.close();
  }
}

function isWritable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** openDatabase creates missing folders: what matters is the closest one that exists. */
function nearestFolderWritable(folder: string): boolean {
  let current = folder;
  while (!existsSync(current)) {
    const parent = dirname(current);
    if (parent === current) return false;
    current = parent;
  }
  return isWritable(current);
}
