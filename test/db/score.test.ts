import { describe, expect, it } from "vitest";
import { loadScore, loadScoreSeries, loadScopes } from "../../src/db/score-queries.js";
import { pruneEvaluationDetails } from "../../src/db/scans-repo.js";
import { bucket, reconcile, snapshotOf, tempDbsPerTest, type BucketSpec } from "./fixtures.js";

const fresh = tempDbsPerTest();

/** DESIGN's worked example: critical 9 pass / 1 fail, high 8/2, low 5/5 over ten buckets of the payments team. */
function workedExample(prefix = "pay-") {
  return Array.from({ length: 10 }, (_, i) => {
    const spec: BucketSpec = { versioning: i !== 0, logging: i >= 2, encryption: i >= 5 };
    return bucket(`${prefix}${i}`, spec);
  });
}
const DAY = (d: number) => `2026-11-${String(d).padStart(2, "0")}T08:00:00.000Z`;

describe("score through the database", () => {
  it("is 76.75 % for DESIGN's worked example, for the org, the owning team, and per framework", async () => {
    const db = fresh();
    await reconcile(db, snapshotOf(workedExample()), DAY(2));
    const now = new Date(DAY(2));
    expect(loadScore(db, "org", now).score).toBeCloseTo(76.75, 10);
    expect(loadScore(db, "team:payments", now).score).toBeCloseTo(76.75, 10);
    // fw-a maps versioning (critical 9/1) and logging (high 8/2): (0.81*8 + 0.8*6) / 14.
    expect(loadScore(db, "framework:fw-a", now).score).toBeCloseTo(((0.81 * 8 + 0.8 * 6) / 14) * 100, 10);
    expect(loadScore(db, "framework:fw-b", now).score).toBeCloseTo(50, 10);
    expect(loadScopes(db)).toEqual(["framework:fw-a", "framework:fw-b", "org", "team:payments"]);
    expect(loadScore(db, "team:data", now)).toMatchObject({ score: null, delta1d: null });
  });

  it("ranks rules by score impact within the scope", async () => {
    const db = fresh();
    await reconcile(db, snapshotOf(workedExample()), DAY(2));
    const { topRules } = loadScore(db, "org", new Date(DAY(2)));
    expect(topRules.map((r) => [r.ruleId, r.fail, Number(r.impact.toFixed(4))])).toEqual([["versioning", 1, 9.5], ["encryption", 5, 6.25], ["logging", 2, 7.5]].sort((a, b) => (b[2] as number) - (a[2] as number)));
  });

  it("keeps one snapshot per scope per day and computes 1- and 7-day deltas and the series", async () => {
    const db = fresh();
    const allPass = Array.from({ length: 10 }, (_, i) => bucket(`pay-${i}`));
    await reconcile(db, snapshotOf(workedExample()), DAY(1));
    await reconcile(db, snapshotOf(allPass), "2026-11-07T09:00:00.000Z");
    await reconcile(db, snapshotOf(workedExample()), DAY(7)); // same day, earlier clock but later scan: the latest write wins
    await reconcile(db, snapshotOf(allPass), DAY(8));
    const view = loadScore(db, "org", new Date(DAY(8)));
    expect(view.score).toBe(100);
    expect(view.delta1d).toBeCloseTo(100 - 76.75, 10);
    expect(view.delta7d).toBeCloseTo(100 - 76.75, 10);
    expect(loadScoreSeries(db, "org", new Date(DAY(8))).map((p) => [p.day, p.score])).toEqual([["2026-11-01", 76.75], ["2026-11-07", 76.75], ["2026-11-08", 100]]);
  });

  it("a scan of a rule subset or a failed account does not replace the current counts", async () => {
    const db = fresh();
    await reconcile(db, snapshotOf(workedExample()), DAY(1));
    await reconcile(db, snapshotOf([bucket("pay-0")]), DAY(2), "subset-scan", "subset");
    expect(loadScore(db, "org", new Date(DAY(2))).score).toBeCloseTo(76.75, 10);
    await reconcile(db, snapshotOf([], { "111122223333": "failed" }), DAY(3));
    expect(loadScore(db, "org", new Date(DAY(3))).score).toBeCloseTo(76.75, 10);
  });
});

describe("retention", () => {
  it("prunes evaluation details of old scans, keeps current counts, findings, scans and the audit log", async () => {
    const db = fresh();
    await reconcile(db, snapshotOf(workedExample()), DAY(1));
    await reconcile(db, snapshotOf(workedExample()), DAY(5));
    const n = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    const keep = { findings: n("findings"), audit: n("audit_log"), scans: n("scans") };
    const countsPerScan = n("scan_counts") / 2;
    const removed = pruneEvaluationDetails(db, DAY(3));
    expect(removed).toBe(countsPerScan + 1);
    expect(db.prepare("SELECT DISTINCT scan_id FROM scan_counts").all()).toEqual([{ scan_id: `scan-${DAY(5)}` }]);
    expect({ findings: n("findings"), audit: n("audit_log"), scans: n("scans") }).toEqual(keep);
    expect(pruneEvaluationDetails(db, DAY(30))).toBe(0); // the current counts of each account are never pruned
    expect(loadScore(db, "org", new Date(DAY(5))).score).toBeCloseTo(76.75, 10);
  });
});
