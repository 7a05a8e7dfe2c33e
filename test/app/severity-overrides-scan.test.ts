import { describe, expect, it } from "vitest";
import { reconcileScan } from "../../src/app/reconcile-scan.js";
import { evaluateToReport } from "../../src/app/scan.js";
import type { SeverityOverride } from "../../src/core/severity-overrides.js";
import { emptyTally, scoreOf } from "../../src/core/score.js";
import type { Snapshot } from "../../src/core/snapshot.js";
import { loadScore } from "../../src/db/score-queries.js";
import { createSqliteStateStore } from "../../src/db/state-store.js";
import type { Db } from "../../src/db/open.js";
import { ACCOUNT, bucket, catalog, ownership, snapshotOf, teams, tempDbsPerTest } from "../db/fixtures.js";

const newDb = tempDbsPerTest();
const DAY1 = "2026-11-02T08:00:00.000Z";
const DAY2 = "2026-11-03T08:00:00.000Z";

// versioning is critical in the fixture catalog; buckets tagged public=intended count it as low.
const publicSites: SeverityOverride[] = [{ severity: "low", rules: ["versioning"], tags: { public: "intended" }, reason: "public website, reviewed by security" }];

const scan = (db: Db, snapshot: Snapshot, at: string, severityOverrides: SeverityOverride[]) => reconcileScan(createSqliteStateStore(db), {
  scanId: `scan-${at}`, trigger: "test", rules: catalog.rules, ruleScope: "all", snapshot, startedAt: new Date(at), now: new Date(at),
  ownership, teams, securityChannel: "#security", severityOverrides,
});

const snapshot = snapshotOf([
  bucket("site", { versioning: false, tags: { Public: "Intended" } }),
  bucket("site-ok", { tags: { public: "intended" } }),
  bucket("app", { versioning: false }),
]);

interface FindingRow { resource_name: string; severity: string; severity_rank: number; rule_severity: string | null; severity_reason: string | null }
const versioningFindings = (db: Db) => db.prepare(`SELECT resource_name, severity, severity_rank, rule_severity, severity_reason FROM findings
  WHERE rule_id = 'versioning' ORDER BY resource_name`).all() as FindingRow[];

describe("severity overrides through a persisted scan (SQLite)", () => {
  it("the finding stores its effective severity and why, and the score counts pass and fail under it", async () => {
    const db = newDb();
    const { report } = await scan(db, snapshot, DAY1, publicSites);

    expect(versioningFindings(db)).toEqual([
      { resource_name: "app", severity: "critical", severity_rank: 0, rule_severity: null, severity_reason: null },
      { resource_name: "site", severity: "low", severity_rank: 3, rule_severity: "critical", severity_reason: "public website, reviewed by security" },
    ]);
    // versioning: app fails critical; site fails low and site-ok passes low. logging (high) passes 3; encryption (low) passes 3.
    const expected = emptyTally();
    expected.critical = { pass: 0, fail: 1 };
    expected.high = { pass: 3, fail: 0 };
    expected.low = { pass: 4, fail: 1 };
    expect(report.tally).toEqual(expected);
    const stored = loadScore(db, "org", new Date(DAY1));
    expect(stored.tally).toEqual(expected);
    expect(stored.score).toBeCloseTo(scoreOf(expected)!, 6);
    expect(report.findings.find((f) => f.resource.name === "site")).toMatchObject({ severity: "low", severityOverride: { ruleSeverity: "critical", reason: "public website, reviewed by security" } });
    // One rule in one account and scope, two severities: two stored count rows.
    expect(db.prepare("SELECT severity, pass, fail FROM scan_counts WHERE scope = 'org' AND rule_id = 'versioning' ORDER BY severity").all())
      .toEqual([{ severity: "critical", pass: 0, fail: 1 }, { severity: "low", pass: 1, fail: 1 }]);
    // "Fix first": the rule's impact is what passing both its critical and its low failures gains.
    const fixed = structuredClone(expected);
    fixed.critical = { pass: 1, fail: 0 };
    fixed.low = { pass: 5, fail: 0 };
    const versioning = stored.topRules.find((r) => r.ruleId === "versioning");
    expect(versioning).toMatchObject({ fail: 2 });
    expect(versioning!.impact).toBeCloseTo(scoreOf(fixed)! - scoreOf(expected)!, 6);
    expect(report.rules.find((r) => r.ruleId === "versioning")!.impact).toBeCloseTo(versioning!.impact, 6);
    // The plain scan (no database) agrees with the persisted one.
    expect(evaluateToReport(catalog.rules, snapshot, new Date(DAY1), undefined, [ACCOUNT], publicSites).tally).toEqual(expected);
  });

  it("when the override changes, the finding's severity and the score follow at the next scan", async () => {
    const db = newDb();
    await scan(db, snapshot, DAY1, publicSites);
    await scan(db, snapshot, DAY2, []);

    expect(versioningFindings(db)).toEqual([
      { resource_name: "app", severity: "critical", severity_rank: 0, rule_severity: null, severity_reason: null },
      { resource_name: "site", severity: "critical", severity_rank: 0, rule_severity: null, severity_reason: null },
    ]);
    const stored = loadScore(db, "org", new Date(DAY2));
    expect(stored.tally.critical).toEqual({ pass: 1, fail: 2 });
    expect(stored.tally.low).toEqual({ pass: 3, fail: 0 });

    // A new reason alone (same severity) is written too: people read it next to the severity.
    const reworded: SeverityOverride[] = [{ ...publicSites[0]!, severity: "medium", reason: "marketing site" }];
    await scan(db, snapshot, "2026-11-04T08:00:00.000Z", reworded);
    await scan(db, snapshot, "2026-11-05T08:00:00.000Z", [{ ...reworded[0]!, reason: "marketing site, approved in SEC-12" }]);
    expect(versioningFindings(db)[1]).toEqual({ resource_name: "site", severity: "medium", severity_rank: 2, rule_severity: "critical", severity_reason: "marketing site, approved in SEC-12" });
  });

  it("an override naming an account raises every finding there, and does not touch other accounts", async () => {
    const db = newDb();
    const other = "444455556666";
    const production: SeverityOverride[] = [{ severity: "critical", accounts: [ACCOUNT], reason: "production account" }];
    await scan(db, snapshotOf([bucket("prod", { encryption: false }), bucket("dev", { encryption: false, account: other })]), DAY1, production);
    expect(db.prepare("SELECT resource_name, severity, severity_reason FROM findings WHERE rule_id = 'encryption' ORDER BY resource_name").all()).toEqual([
      { resource_name: "dev", severity: "low", severity_reason: null },
      { resource_name: "prod", severity: "critical", severity_reason: "production account" },
    ]);
  });
});

describe("an override that raises a never-posted finding into the notified severities", () => {
  const outbox = (db: Db) => db.prepare("SELECT idempotency_key AS key, json_extract(payload, '$.transition') AS transition, json_extract(payload, '$.severity') AS severity FROM outbox ORDER BY id").all();
  const encryption = (db: Db) => db.prepare("SELECT id FROM findings WHERE rule_id = 'encryption' AND resource_name = 'vault'").pluck().get() as number;
  const vault = snapshotOf([bucket("vault", { encryption: false })]);
  const raised: SeverityOverride[] = [{ severity: "high", rules: ["encryption"], reason: "customer data" }];

  it("is announced once (escalated), and not again while it stays raised; lowering it queues nothing", async () => {
    const db = newDb();
    await scan(db, vault, DAY1, []);
    // encryption is low in the fixture catalog: stored, never queued.
    expect(outbox(db)).toEqual([]);

    await scan(db, vault, DAY2, raised);
    const id = encryption(db);
    expect(outbox(db)).toEqual([{ key: `finding:${id}:escalated:scan-${DAY2}`, transition: "escalated", severity: "high" }]);

    await scan(db, vault, "2026-11-04T08:00:00.000Z", raised);
    await scan(db, vault, "2026-11-05T08:00:00.000Z", []);
    expect(outbox(db)).toHaveLength(1);
  });
});
