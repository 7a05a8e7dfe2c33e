import { afterEach, describe, expect, it } from "vitest";
import { runPersistedScan, SCAN_LOCK_TTL_MS, type PersistedScanRequest } from "../../src/app/persisted-scan.js";
import type { Collector } from "../../src/app/ports.js";
import type { Snapshot } from "../../src/core/snapshot.js";
import type { Db } from "../../src/db/open.js";
import { acquireScanLock, createScanLock } from "../../src/db/scan-lock-repo.js";
import { createSqliteStateStore } from "../../src/db/state-store.js";
import { bucket, catalog, ownership, snapshotOf, teams, tempDb } from "../db/fixtures.js";

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((fn) => fn()));
const NOW = new Date("2026-11-02T08:00:00.000Z");
const HOLDER = { holder: "scan-me", pid: 1, host: "here" };

function request(db: Db, source: PersistedScanRequest["source"], clock: () => Date = () => NOW): PersistedScanRequest {
  return {
    rules: catalog.rules, source, now: NOW,
    state: {
      store: createSqliteStateStore(db), lock: createScanLock(db), holder: HOLDER, clock, newScanId: () => "scan-x", trigger: "test",
      ownership, teams, securityChannel: "#security", retentionDays: 90,
    },
  };
}
const rows = (db: Db, table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe("runPersistedScan under the scan lock", () => {
  it("persists, prunes and releases the lease", async () => {
    const { db, cleanup } = tempDb();
    cleanups.push(cleanup);
    const outcome = await runPersistedScan(request(db, { kind: "snapshot", snapshot: snapshotOf([bucket("a", { versioning: false })]) }));
    expect(outcome.persisted).toMatchObject({ written: true, transitions: { new: 1 } });
    expect(outcome.report.findings).toHaveLength(1);
    expect(rows(db, "scan_lock")).toBe(0);
  });

  it("refuses to start while another live scan holds the lease", async () => {
    const { db, cleanup } = tempDb();
    cleanups.push(cleanup);
    acquireScanLock(db, { holder: "other", pid: 2, host: "there" }, NOW, SCAN_LOCK_TTL_MS);
    await expect(runPersistedScan(request(db, { kind: "snapshot", snapshot: snapshotOf([]) }))).rejects.toThrow(/another scan is running \(other, pid 2 on there/);
    expect(rows(db, "scans")).toBe(0);
  });

  it("saves nothing when its lease expired during collection and another scan took it over", async () => {
    const { db, cleanup } = tempDb();
    cleanups.push(cleanup);
    let time = NOW;
    const collector: Collector = {
      async collect(): Promise<Snapshot> {
        time = new Date(NOW.getTime() + SCAN_LOCK_TTL_MS + 1); // a hung collection outlived the lease...
        acquireScanLock(db, { holder: "newer", pid: 3, host: "there" }, time, SCAN_LOCK_TTL_MS); // ...and a newer scan started
        return snapshotOf([bucket("a", { versioning: false })]);
      },
    };
    await expect(runPersistedScan(request(db, { kind: "collector", collector }, () => time))).rejects.toThrow(/lease expired and another scan took it over/);
    expect(rows(db, "findings")).toBe(0);
    expect(db.prepare("SELECT holder FROM scan_lock").get()).toEqual({ holder: "newer" });
  });
});
