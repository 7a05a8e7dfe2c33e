import { describe, expect, it } from "vitest";
import { checkDatabase, type DatabaseStatus } from "../../src/app/doctor.js";
import { evaluateHealth, httpStatusOf, type HealthFacts } from "../../src/app/health.js";

const NOW = new Date("2026-11-27T08:00:00.000Z");
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();
const facts = (patch: Partial<HealthFacts> = {}): HealthFacts => ({ schemaVersion: 6, lastScanFinishedAt: minutesAgo(10), outboxDue: 0, oldestDueCreatedAt: null, ...patch });
const hourly = { cron: "0 * * * *", maxAgeMinutes: 60 };

describe("evaluateHealth", () => {
  it.each([
    ["a fresh scan and an empty outbox", facts(), hourly, "ok", []],
    ["a scan just past maxAgeMinutes", facts({ lastScanFinishedAt: minutesAgo(61) }), hourly, "degraded", ["last scan older than maxAgeMinutes"]],
    ["a scan exactly 3x maxAgeMinutes old", facts({ lastScanFinishedAt: minutesAgo(180) }), hourly, "degraded", ["last scan older than maxAgeMinutes"]],
    ["a scan older than 3x maxAgeMinutes", facts({ lastScanFinishedAt: minutesAgo(181) }), hourly, "failing", ["last scan older than 3x maxAgeMinutes"]],
    ["no completed scan yet (the start-up scan may be running)", facts({ lastScanFinishedAt: null }), hourly, "degraded", ["no completed scan yet"]],
    ["scheduled scans off: the age is not judged", facts({ lastScanFinishedAt: minutesAgo(10_000) }), { cron: "off", maxAgeMinutes: 60 }, "ok", []],
    ["Slack posts due for 16 minutes", facts({ outboxDue: 3, oldestDueCreatedAt: minutesAgo(16) }), hourly, "degraded", ["Slack posts due for over 15 minutes"]],
    ["Slack posts due for 5 minutes (delivery retries)", facts({ outboxDue: 3, oldestDueCreatedAt: minutesAgo(5) }), hourly, "ok", []],
  ] as const)("%s", (_name, given, scan, status, problems) => {
    const report = evaluateHealth({ now: NOW, version: "1.2.3", facts: given, scan, jobs: [] });
    expect(report.status).toBe(status);
    expect(report.problems).toEqual(problems);
    expect(httpStatusOf(report)).toBe(status === "failing" ? 503 : 200);
  });

  it("an unreachable database is failing (503) and says nothing of the error", () => {
    const report = evaluateHealth({ now: NOW, version: "1.2.3", facts: { error: "SQLITE_CANTOPEN: /secret/path/posture.db" }, scan: hourly, jobs: [] });
    expect(report).toMatchObject({ status: "failing", database: { reachable: false, schemaVersion: null }, problems: ["database unreachable"] });
    expect(JSON.stringify(report)).not.toContain("/secret/path");
    expect(httpStatusOf(report)).toBe(503);
  });

  it("reports ages in whole minutes and the oldest due post", () => {
    const report = evaluateHealth({ now: NOW, version: "1.2.3", facts: facts({ lastScanFinishedAt: minutesAgo(42.5), outboxDue: 2, oldestDueCreatedAt: minutesAgo(3) }), scan: hourly, jobs: [] });
    expect(report.lastScan).toEqual({ finishedAt: minutesAgo(42.5), ageMinutes: 42, maxAgeMinutes: 60, scheduled: true });
    expect(report.outbox).toEqual({ due: 2, oldestDueAgeMinutes: 3 });
  });
});

describe("checkDatabase (doctor)", () => {
  const db = (patch: Partial<DatabaseStatus>): DatabaseStatus => ({ path: "data/posture.db", exists: true, writable: true, version: 6, latest: 6, ...patch });
  it.each([
    ["up to date", db({}), "pass", "data/posture.db is writable, schema version 6 (up to date)"],
    ["pending migrations", db({ version: 4 }), "warn", "data/posture.db is at schema version 4, 2 migration(s) pending: `posture migrate` or `npm start` applies them"],
    ["newer than the code", db({ version: 7 }), "fail", "data/posture.db is at schema version 7, newer than this Posture (6): upgrade Posture, or set POSTURE_DB_PATH to another file"],
    ["not writable", db({ writable: false }), "fail", "data/posture.db is not writable: give this user write access to it and its folder, or set POSTURE_DB_PATH"],
    ["not created yet", db({ exists: false, version: 0 }), "warn", "data/posture.db does not exist yet (its folder is writable): `posture migrate` or `npm start` creates it"],
    ["unreadable", db({ error: "SQLITE_NOTADB" }), "fail", "data/posture.db cannot be read (SQLITE_NOTADB): check the file and POSTURE_DB_PATH"],
  ] as const)("%s", (_name, status, expected, text) => {
    expect(checkDatabase(status)).toEqual([{ section: "database", status: expected, text }]);
  });
});
