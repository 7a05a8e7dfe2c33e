import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { applyMigrations, loadMigrations } from "../../src/db/migrate.js";
import { createSqliteDeliveryStore } from "../../src/db/slack-messages-repo.js";
import { bucket, reconcile, snapshotOf } from "./fixtures.js";

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((fn) => fn()));

describe("migration 0009 (slack_messages.shown_severity)", () => {
  it("takes every existing message to show its finding's current severity: an upgrade re-tells nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "posture-0009-"));
    const db = new Database(join(dir, "posture.db"));
    cleanups.push(() => { db.close(); rmSync(dir, { recursive: true, force: true }); });
    db.pragma("foreign_keys = ON");
    applyMigrations(db, loadMigrations().filter((m) => m.version <= 8));
    await reconcile(db, snapshotOf([bucket("pay-a", { versioning: false, logging: false })]), "2026-11-02T08:00:00.000Z");
    // Messages posted by the previous build: no shown_severity column yet.
    db.prepare(`INSERT INTO slack_messages (finding_id, channel, ts, rule_id, grouped, shown_status, posted_at)
      SELECT id, '#payments', '1700000000.000001', rule_id, 1, status, '2026-11-02T08:00:01.000Z' FROM findings`).run();

    applyMigrations(db, loadMigrations());

    expect(db.prepare("SELECT f.severity, m.shown_severity FROM slack_messages m JOIN findings f ON f.id = m.finding_id ORDER BY f.rule_id").all())
      .toEqual([{ severity: "high", shown_severity: "high" }, { severity: "critical", shown_severity: "critical" }]);
    expect(await createSqliteDeliveryStore(db).loadStatusChanges("2026-11-03T00:00:00.000Z", 100)).toEqual([]);
  });
});
