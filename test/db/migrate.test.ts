import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { applyMigrations, loadMigrations, MigrationError } from "../../src/db/migrate.js";
import { openDatabase } from "../../src/db/open.js";
import { tempDb } from "./fixtures.js";

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((fn) => fn()));
const fresh = () => {
  const t = tempDb();
  cleanups.push(t.cleanup);
  return t;
};

describe("migrations", () => {
  it("creates the folder, applies every migration on a fresh file and records it, with WAL and foreign keys on", () => {
    const { db } = fresh();
    const versions = db.prepare("SELECT version, name FROM schema_migrations").all();
    expect(versions).toEqual(loadMigrations().map((m) => ({ version: m.version, name: m.name })));
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(["scans", "scan_accounts", "resources", "findings", "scan_counts", "score_snapshots", "teams", "ownership_overrides", "audit_log", "outbox", "scan_lock"]));
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
  });

  it("is idempotent: opening again applies nothing", () => {
    const { db, path } = fresh();
    db.close();
    const again = openDatabase(path);
    expect(again.migration?.applied).toEqual([]);
    expect(again.db.prepare("SELECT COUNT(*) AS n FROM schema_migrations").get()).toEqual({ n: loadMigrations().length });
    again.db.close();
  });

  it("refuses a database migrated by a newer Posture, naming both versions", () => {
    const { db, path } = fresh();
    db.prepare("INSERT INTO schema_migrations VALUES (99, 'from-the-future', '2030-01-01T00:00:00Z')").run();
    db.close();
    const known = loadMigrations().at(-1)!.version;
    expect(() => openDatabase(path)).toThrow(`schema version 99, newer than this Posture (which knows ${known})`);
  });

  it("applies each migration in its own transaction: a failing one leaves the previous version intact", () => {
    const { db, dir } = fresh();
    const migrations = join(dir, "migrations");
    mkdirSync(migrations);
    const shipped = loadMigrations();
    for (const m of shipped) writeFileSync(join(migrations, `${String(m.version).padStart(4, "0")}-${m.name}.sql`), m.sql);
    const last = shipped.at(-1)!.version;
    writeFileSync(join(migrations, `${String(last + 1).padStart(4, "0")}-broken.sql`), "CREATE TABLE half_done (x INTEGER);\nINSERT INTO no_such_table VALUES (1);");
    expect(() => applyMigrations(db, loadMigrations(migrations))).toThrow(/no such table/);
    expect(db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get()).toEqual({ v: last });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
  });

  it.each([
    ["a name without the number", "mutes.sql", /expected a name such as 0002-add-mutes.sql/],
    ["a gap in the numbering", "0003-mutes.sql", /expected migration 0002, found 0003-mutes.sql/],
  ])("rejects %s", (_name, file, message) => {
    const { dir } = fresh();
    const migrations = join(dir, "m");
    mkdirSync(migrations);
    writeFileSync(join(migrations, "0001-state.sql"), "SELECT 1;");
    writeFileSync(join(migrations, file), "SELECT 1;");
    expect(() => loadMigrations(migrations)).toThrow(MigrationError);
    expect(() => loadMigrations(migrations)).toThrow(message);
  });
});

describe("audit_log is append-only", () => {
  it.each([
    ["UPDATE", "UPDATE audit_log SET actor = 'someone-else'"],
    ["DELETE", "DELETE FROM audit_log"],
  ])("rejects %s", (verb, sql) => {
    const { db } = fresh();
    db.prepare("INSERT INTO audit_log (at, actor, action, subject_type, subject_id, details) VALUES ('2026-11-02T00:00:00Z', 'U1', 'mute.requested', 'finding', '1', '{}')").run();
    expect(() => db.prepare(sql).run()).toThrow(`audit_log is append-only: ${verb} is not allowed`);
    expect(db.prepare("SELECT actor FROM audit_log").all()).toEqual([{ actor: "U1" }]);
  });
});
