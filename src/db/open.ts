import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { applyMigrations, loadMigrations, type MigrateResult } from "./migrate.js";

export type Db = Database.Database;

export interface OpenOptions {
  /** Apply pending migrations (start-up and `posture migrate` do). Default true. */
  migrate?: boolean;
  migrationsDir?: string;
  /** How long a writer waits for another connection's lock before SQLITE_BUSY (ms). */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating it and its folder) the SQLite file: WAL so readers never block the scan's writer,
 * foreign keys on (SQLite's default is off), a busy timeout instead of immediate SQLITE_BUSY.
 */
export function openDatabase(path: string, options: OpenOptions = {}): { db: Db; migration?: MigrateResult } {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    // NORMAL is durable against process crashes in WAL mode; only an OS crash can lose the last commit.
    db.pragma("synchronous = NORMAL");
    // A scan's transaction touches hundreds of thousands of rows: a 64 MB page cache (default 2 MB)
    // keeps it from spilling dirty pages into the WAL over and over before COMMIT.
    db.pragma("cache_size = -65536");
    if (options.migrate === false) return { db };
    return { db, migration: applyMigrations(db, loadMigrations(options.migrationsDir), path) };
  } catch (error) {
    db.close();
    throw error;
  }
}
