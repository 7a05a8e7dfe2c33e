import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type Database from "better-sqlite3";

/** The bundled migrations/ folder (two levels up from src/db). */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations/", import.meta.url));

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export class MigrationError extends Error {
  readonly code = "POSTURE_DB_MIGRATION";
}

const FILE_NAME = /^(\d{4})-([a-z0-9-]+)\.sql$/;

/** Reads `NNNN-name.sql` files; numbering must start at 1 and have no gaps (a gap is a lost file). */
export function loadMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir).filter((file) => file.endsWith(".sql")).sort();
  const migrations = files.map((file) => {
    const match = FILE_NAME.exec(file);
    if (!match) throw new MigrationError(`${join(dir, file)}: expected a name such as 0002-add-mutes.sql (four digits, dash, kebab-case)`);
    return { version: Number(match[1]), name: match[2]!, sql: readFileSync(join(dir, file), "utf8") };
  });
  migrations.forEach((migration, i) => {
    if (migration.version !== i + 1) throw new MigrationError(`${dir}: expected migration ${String(i + 1).padStart(4, "0")}, found ${String(migration.version).padStart(4, "0")}-${migration.name}.sql`);
  });
  return migrations;
}

export interface MigrateResult {
  applied: Migration[];
  version: number;
}

/**
 * Applies the pending migrations, each in its own transaction together with its schema_migrations
 * row, so a failure leaves the database at the previous version. A database migrated by a newer
 * Posture is refused: its tables may mean things this code does not know.
 */
export function applyMigrations(db: Database.Database, migrations: readonly Migration[], location = db.name): MigrateResult {
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT");
  const applied = db.prepare("SELECT version, name FROM schema_migrations ORDER BY version").all() as { version: number; name: string }[];
  const latestKnown = migrations.length;
  const newest = applied.at(-1)?.version ?? 0;
  if (newest > latestKnown) {
    throw new MigrationError(`database ${location} is at schema version ${newest}, newer than this Posture (which knows ${latestKnown}): upgrade Posture, or set POSTURE_DB_PATH to another file; nothing was changed`);
  }
  for (const row of applied) {
    const known = migrations[row.version - 1];
    if (known && known.name !== row.name) {
      throw new MigrationError(`database ${location}: migration ${row.version} was applied as "${row.name}" but this Posture calls it "${known.name}": the migrations folder was edited after release`);
    }
  }
  const pending = migrations.filter((migration) => migration.version > newest);
  const record = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
  for (const migration of pending) {
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    }).immediate();
  }
  return { applied: pending, version: Math.max(newest, latestKnown) };
}
