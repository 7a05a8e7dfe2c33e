import { describe, expect, it } from "vitest";
import { answerCommand } from "../../src/app/command-answers.js";
import { reconcileScan } from "../../src/app/reconcile-scan.js";
import { scanTriggerOf } from "../../src/app/scan.js";
import type { Snapshot } from "../../src/core/snapshot.js";
import { COVERAGE_SQL, loadCoverage, loadTeamAccounts } from "../../src/db/coverage-queries.js";
import { createSqliteReadModel } from "../../src/db/slack-read-model.js";
import { createSqliteStateStore } from "../../src/db/state-store.js";
import type { Db } from "../../src/db/open.js";
import { ACCOUNT, bucket, catalog, ownership, reconcile, snapshotOf, teams, tempDbsPerTest } from "./fixtures.js";

const SANDBOX = "444444444444";
const DENIED = { service: "sts", operation: "GetCallerIdentity", code: "AccessDenied", message: "not authorized to perform: sts:AssumeRole" };

/** The snapshot with the failed accounts' first error and names set. */
function withFailure(snapshot: Snapshot, names: Record<string, string> = {}): Snapshot {
  for (const account of snapshot.accounts) {
    if (names[account.accountId]) account.name = names[account.accountId];
    if (account.status === "failed") account.errors = [DENIED];
  }
  return snapshot;
}

function targetedScan(db: Db, snapshot: Snapshot, at: string, accounts: string[]) {
  return reconcileScan(createSqliteStateStore(db), {
    scanId: `targeted-${at}`, trigger: scanTriggerOf("slack:U0PAYMENTS1", accounts), rules: catalog.rules, ruleScope: "all", snapshot,
    startedAt: new Date(at), now: new Date(at), ownership, teams, securityChannel: "#security",
  });
}

describe("loadCoverage: per-account coverage of the latest scans", () => {
  const newDb = tempDbsPerTest();

  it("is null before the first scan, then the latest full scan's accounts with the failed one named", async () => {
    const db = newDb();
    expect(loadCoverage(db)).toBeNull();
    await reconcile(db, withFailure(snapshotOf([bucket("pay-a")], { [SANDBOX]: "failed" }), { [SANDBOX]: "sandbox" }), "2026-11-02T07:00:00.000Z", "full-1");
    expect(loadCoverage(db)).toEqual({
      scanId: "full-1", finishedAt: "2026-11-02T07:00:00.000Z", total: 2, complete: 1, discovery: null,
      incomplete: [{ accountId: SANDBOX, name: "sandbox", status: "failed", error: "AccessDenied: not authorized to perform: sts:AssumeRole" }],
    });
  });

  it("a later scan of one account replaces only that account's line; the next full scan drops an account that left", async () => {
    const db = newDb();
    await reconcile(db, withFailure(snapshotOf([bucket("pay-a")], { [SANDBOX]: "failed" })), "2026-11-02T07:00:00.000Z", "full-1");
    const sandboxOnly = snapshotOf([bucket("sb", { account: SANDBOX })]);
    sandboxOnly.accounts = sandboxOnly.accounts.filter((a) => a.accountId === SANDBOX);
    await targetedScan(db, sandboxOnly, "2026-11-02T07:30:00.000Z", [SANDBOX]);
    expect(loadCoverage(db)).toMatchObject({ scanId: "targeted-2026-11-02T07:30:00.000Z", total: 2, complete: 2, incomplete: [] });

    await reconcile(db, snapshotOf([bucket("pay-a")]), "2026-11-02T08:00:00.000Z", "full-2");
    expect(loadCoverage(db)).toMatchObject({ scanId: "full-2", total: 1, complete: 1, incomplete: [] });
  });

  it("reports a failed discovery apart from the accounts", async () => {
    const db = newDb();
    const snapshot = snapshotOf([bucket("pay-a")]);
    snapshot.accounts.unshift({
      accountId: "organizations", name: "AWS Organizations discovery", regions: ["us-east-1"], status: "failed", startedAt: snapshot.collectedAt, finishedAt: snapshot.collectedAt,
      apiCalls: { "organizations:ListAccounts": 1 }, errors: [{ service: "organizations", operation: "ListAccounts", code: "POSTURE_ORGANIZATIONS_DENIED", message: "AWS Organizations refused ListAccounts" }], resourceTypes: [],
    });
    await reconcile(db, snapshot, "2026-11-02T07:00:00.000Z", "full-1");
    expect(loadCoverage(db)).toMatchObject({ total: 1, complete: 1, incomplete: [], discovery: "POSTURE_ORGANIZATIONS_DENIED: AWS Organizations refused ListAccounts" });
    // Nothing is scored or made current under the discovery entry.
    expect(db.prepare("SELECT account_id FROM account_latest").pluck().all()).toEqual([ACCOUNT]);
    expect((await createSqliteReadModel(db).lastScan())?.accounts).toBe(1);
  });

  it("knows the accounts a team owns resources in, also when the latest collection of one failed", async () => {
    const db = newDb();
    await reconcile(db, snapshotOf([bucket("pay-a"), bucket("pay-b", { account: SANDBOX }), bucket("data-x")]), "2026-11-02T07:00:00.000Z", "full-1");
    await reconcile(db, withFailure(snapshotOf([bucket("pay-a"), bucket("data-x")], { [SANDBOX]: "failed" })), "2026-11-02T08:00:00.000Z", "full-2");
    expect([...loadTeamAccounts(db, "payments")].sort()).toEqual([ACCOUNT, SANDBOX]);
    expect([...loadTeamAccounts(db, "data")]).toEqual([ACCOUNT]);
    expect([...loadTeamAccounts(db, "nobody")]).toEqual([]);
  });

  it("/posture score answers with the coverage", async () => {
    const db = newDb();
    await reconcile(db, withFailure(snapshotOf([bucket("pay-a")], { [SANDBOX]: "failed" }), { [SANDBOX]: "sandbox" }), "2026-11-02T07:00:00.000Z", "full-1");
    const answer = await answerCommand({ kind: "score", scope: "org" }, { readModel: createSqliteReadModel(db), rules: [], now: new Date("2026-11-02T09:00:00Z") });
    expect(answer).toMatchObject({ kind: "score", coverage: { total: 2, complete: 1, incomplete: [{ accountId: SANDBOX, status: "failed" }] } });
  });

  it.each(Object.entries(COVERAGE_SQL))("%s reads by index, never by scanning the scans (DESIGN 9: commands stay fast)", (_name, sql) => {
    const db = newDb();
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all("x") as { detail: string }[]).map((r) => r.detail);
    expect(plan.some((d) => d.includes("scans_by_time"))).toBe(true);
    expect(plan.filter((d) => /^SCAN (scans|s|scan_accounts|a)$/.test(d))).toEqual([]);
  });
});
