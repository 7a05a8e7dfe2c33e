import { afterEach, describe, expect, it } from "vitest";
import { acquireScanLock, heartbeatScanLock, releaseScanLock } from "../../src/db/scan-lock-repo.js";
import { openDatabase } from "../../src/db/open.js";
import { tempDb } from "./fixtures.js";

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((fn) => fn()));
const A = { holder: "scan-a", pid: 101, host: "host-a" };
const B = { holder: "scan-b", pid: 202, host: "host-b" };
const T0 = new Date("2026-11-02T08:00:00.000Z");
const later = (ms: number) => new Date(T0.getTime() + ms);
const TTL = 60_000;

describe("scan lock", () => {
  it("refuses a second acquirer (another connection) while the lease is live, naming the holder", () => {
    const { db, path, cleanup } = tempDb();
    cleanups.push(cleanup);
    const other = openDatabase(path).db;
    cleanups.push(() => other.close());
    expect(acquireScanLock(db, A, T0, TTL)).toEqual({ acquired: true });
    expect(acquireScanLock(other, B, later(30_000), TTL)).toEqual({ acquired: false, heldBy: { ...A, acquiredAt: T0.toISOString(), expiresAt: later(TTL).toISOString() } });
  });

  it("lets a heartbeat extend the lease", () => {
    const { db, cleanup } = tempDb();
    cleanups.push(cleanup);
    acquireScanLock(db, A, T0, TTL);
    expect(heartbeatScanLock(db, A, later(50_000), TTL)).toBe(true);
    expect(acquireScanLock(db, B, later(90_000), TTL).acquired).toBe(false);
  });

  it("hands an expired lease (a crashed holder) to the next acquirer, and the old holder learns it lost it", () => {
    const { db, cleanup } = tempDb();
    cleanups.push(cleanup);
    acquireScanLock(db, A, T0, TTL);
    expect(acquireScanLock(db, B, later(TTL + 1), TTL)).toEqual({ acquired: true, tookOverFrom: { ...A, expiresAt: later(TTL).toISOString() } });
    expect(heartbeatScanLock(db, A, later(TTL + 2), TTL)).toBe(false);
    releaseScanLock(db, A); // releasing a lease one no longer holds does nothing
    expect(acquireScanLock(db, A, later(TTL + 3), TTL).acquired).toBe(false);
  });

  it("is free again after release", () => {
    const { db, cleanup } = tempDb();
    cleanups.push(cleanup);
    acquireScanLock(db, A, T0, TTL);
    releaseScanLock(db, A);
    expect(acquireScanLock(db, B, later(1), TTL)).toEqual({ acquired: true });
  });
});
