import { describe, expect, it } from "vitest";
import { DEFAULT_SLA_DAYS, digestWindow, slaCutoffs, zeroCounts } from "../../src/core/digest.js";
import { createSqliteDigestReader, loadAccountCoverage, loadDigestActivity } from "../../src/db/digest-queries.js";
import type { Db } from "../../src/db/open.js";
import { bucket, reconcile, snapshotOf, tempDbsPerTest } from "./fixtures.js";

const fresh = tempDbsPerTest();

const OLD = "2026-10-20T08:00:00.000Z";
const YESTERDAY = "2026-11-01T12:00:00.000Z";
const TODAY = "2026-11-02T07:00:00.000Z";
const NOW = new Date("2026-11-02T08:00:00.000Z");
const OTHER = "444455556666";

/** 13 days of history: payments' critical finding resolved then reopened, a new one; data's old high; an unowned low. */
async function history(db: Db): Promise<void> {
  await reconcile(db, snapshotOf([bucket("pay-ledger", { versioning: false }), bucket("data-lake", { logging: false }), bucket("misc", { encryption: false })]), OLD);
  await reconcile(db, snapshotOf([bucket("pay-ledger"), bucket("pay-new", { versioning: false }), bucket("data-lake", { logging: false }), bucket("misc", { encryption: false })]), YESTERDAY);
  await reconcile(db, snapshotOf([bucket("pay-ledger", { versioning: false }), bucket("pay-new", { versioning: false }), bucket("data-lake", { logging: false }), bucket("misc", { encryption: false })]), TODAY);
}

const query = (slaDays = DEFAULT_SLA_DAYS) => ({ ...digestWindow(NOW), overdueBefore: slaCutoffs(NOW, slaDays), examples: 5 });

describe("digest queries on real stored history", () => {
  it("counts new, resolved and reopened findings of the last 24 hours per team, from the audit log", async () => {
    const db = fresh();
    await history(db);
    const activity = loadDigestActivity(db, query());
    const payments = activity.get("payments")!;
    expect(payments.transitions).toEqual({ new: { ...zeroCounts(), critical: 1 }, resolved: { ...zeroCounts(), critical: 1 }, reopened: { ...zeroCounts(), critical: 1 } });
    expect(payments.examples.new.map((e) => e.resourceName)).toEqual(["pay-new"]);
    expect(payments.examples.reopened).toMatchObject([{ resourceName: "pay-ledger", ruleId: "versioning", severity: "critical", firstSeen: OLD }]);
    // data's and the unowned findings are older than the window: nothing changed for them.
    expect(activity.get("data")!.transitions.new).toEqual(zeroCounts());
    expect(activity.get(null)!.transitions.new).toEqual(zeroCounts());
  });

  it("leaves transitions outside the window out (the window is (now - 24 h, now])", async () => {
    const db = fresh();
    await history(db);
    const later = new Date("2026-11-03T07:00:00.001Z");
    const activity = loadDigestActivity(db, { ...digestWindow(later), overdueBefore: slaCutoffs(later, DEFAULT_SLA_DAYS), examples: 5 });
    expect(activity.get("payments")!.transitions).toEqual({ new: zeroCounts(), resolved: zeroCounts(), reopened: zeroCounts() });
  });

  it("counts open findings per team and severity", async () => {
    const db = fresh();
    await history(db);
    const activity = loadDigestActivity(db, query());
    expect(activity.get("payments")!.open).toEqual({ ...zeroCounts(), critical: 2 });
    expect(activity.get("data")!.open).toEqual({ ...zeroCounts(), high: 1 });
    expect(activity.get(null)!.open).toEqual({ ...zeroCounts(), low: 1 });
  });

  it.each([
    ["the default SLAs: only the 13-day-old critical is past 7 days", DEFAULT_SLA_DAYS, { payments: 1, data: 0, unowned: 0 }],
    ["high within 10 days: data's 13-day-old high is overdue too", { ...DEFAULT_SLA_DAYS, high: 10 }, { payments: 1, data: 1, unowned: 0 }],
    ["every SLA at 14 days: nothing is overdue", { critical: 14, high: 14, medium: 14, low: 14, info: 14 }, { payments: 0, data: 0, unowned: 0 }],
    ["no SLA at all", { critical: null, high: null, medium: null, low: null, info: null }, { payments: 0, data: 0, unowned: 0 }],
    ["low within 1 day", { ...DEFAULT_SLA_DAYS, low: 1 }, { payments: 1, data: 0, unowned: 1 }],
  ])("overdue from first seen: %s", async (_name, slaDays, expected) => {
    const db = fresh();
    await history(db);
    const activity = loadDigestActivity(db, query(slaDays));
    const overdue = (team: string | null) => Object.values(activity.get(team)!.overdue).reduce((a, b) => a + b, 0);
    expect({ payments: overdue("payments"), data: overdue("data"), unowned: overdue(null) }).toEqual(expected);
    // The reopened finding keeps its first seen: being resolved for a while does not reset its deadline.
    if (expected.payments > 0) expect(activity.get("payments")!.oldestOverdue).toMatchObject([{ resourceName: "pay-ledger", firstSeen: OLD }]);
  });

  it("keeps at most `examples` examples per team and kind, most severe first", async () => {
    const db = fresh();
    await reconcile(db, snapshotOf([bucket("pay-a", { encryption: false }), bucket("pay-b", { versioning: false }), bucket("pay-c", { logging: false })]), TODAY);
    const activity = loadDigestActivity(db, { ...query(), examples: 2 });
    expect(activity.get("payments")!.examples.new.map((e) => [e.resourceName, e.severity])).toEqual([["pay-b", "critical"], ["pay-c", "high"]]);
  });

  it("reports each account's coverage from the latest scan that covered it", async () => {
    const db = fresh();
    await reconcile(db, snapshotOf([bucket("a"), bucket("data-x", { account: OTHER })]), YESTERDAY);
    const failed = snapshotOf([bucket("a")], { [OTHER]: "failed" });
    failed.accounts.find((a) => a.accountId === OTHER)!.errors.push({ service: "sts", operation: "AssumeRole", code: "AccessDenied", message: "not authorized to perform sts:AssumeRole" });
    await reconcile(db, failed, TODAY);
    expect(loadAccountCoverage(db)).toEqual([
      { accountId: "111122223333", name: null, status: "ok", error: null },
      { accountId: OTHER, name: null, status: "failed", error: "AccessDenied: not authorized to perform sts:AssumeRole" },
    ]);
  });

  it("the reader port gives the score with its 1- and 7-day changes and the daily series", async () => {
    const db = fresh();
    await history(db);
    const reader = createSqliteDigestReader(db);
    const score = await reader.loadScore("team:payments", NOW, 3);
    // Critical 0/2 pass (squared, weight 8), high 2/2 (6), low 2/2 (2): (0 + 6 + 2) / 16.
    expect(score.score).toBeCloseTo(50, 5);
    // Yesterday critical 1/2: (0.25 x 8 + 6 + 2) / 16 = 62.5; a week ago (20 Oct) critical 0/1: 50.
    expect(score.delta1d).toBeCloseTo(-12.5, 5);
    expect(score.delta7d).toBeCloseTo(0, 5);
    expect(score.topRules.map((r) => r.ruleId)).toEqual(["versioning"]);
    const series = await reader.loadScoreSeries("team:payments", NOW, 30);
    expect(series.map((p) => p.day)).toEqual(["2026-10-20", "2026-11-01", "2026-11-02"]);
  });
});
