import { describe, expect, it } from "vitest";
import { answerCommand } from "../../src/app/command-answers.js";
import { TEAM_ACCOUNTS_SQL } from "../../src/db/coverage-queries.js";
import { createSqliteReadModel } from "../../src/db/slack-read-model.js";
import { bucket, reconcile, snapshotOf, tempDbsPerTest } from "./fixtures.js";

const SANDBOX = "444444444444";
const NOW = new Date("2026-11-02T09:00:00Z");

describe("/posture score <team>: the coverage of the accounts where the team owns resources", () => {
  const newDb = tempDbsPerTest();

  async function twoScans() {
    const db = newDb();
    await reconcile(db, snapshotOf([bucket("pay-a"), bucket("data-a", { account: SANDBOX })]), "2026-11-02T07:00:00.000Z", "full-1");
    await reconcile(db, snapshotOf([bucket("pay-a")], { [SANDBOX]: "failed" }), "2026-11-02T08:00:00.000Z", "full-2");
    return db;
  }
  const coverageOf = async (db: ReturnType<typeof newDb>, scope: "org" | `team:${string}` | "unowned") => {
    const answer = await answerCommand({ kind: "score", scope }, { readModel: createSqliteReadModel(db), rules: [], now: NOW });
    return answer.kind === "score" ? answer.coverage : undefined;
  };

  it("lists only the team's accounts: the failed one for its owner, none of it for the others", async () => {
    const db = await twoScans();
    expect(await coverageOf(db, "team:data")).toMatchObject({ scanId: "full-2", total: 1, complete: 0, incomplete: [{ accountId: SANDBOX, status: "failed" }] });
    expect(await coverageOf(db, "team:payments")).toMatchObject({ total: 1, complete: 1, incomplete: [] });
    expect(await coverageOf(db, "team:nobody")).toMatchObject({ total: 0, complete: 0, incomplete: [] });
    expect(await coverageOf(db, "org")).toMatchObject({ total: 2, complete: 1 });
  });

  it("reads the team's accounts by index: account_latest's rows (one per account), each probing scan_counts_by_scope on its full key", async () => {
    const db = await twoScans();
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${TEAM_ACCOUNTS_SQL}`).all("team:data") as { detail: string }[]).map((r) => r.detail);
    // The scope's rows of every retained scan are never walked: each account's latest scan is probed on the full key.
    expect(plan).toContain("SEARCH c USING COVERING INDEX scan_counts_by_scope (scope=? AND account_id=? AND scan_id=?)");
    expect(plan.filter((d) => /^SCAN (scan_counts|c)\b/.test(d))).toEqual([]);
  });
});
