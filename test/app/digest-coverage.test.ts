import { describe, expect, it } from "vitest";
import { loadDailyDigests, type DailyDigestRequest } from "../../src/app/digest.js";
import { DEFAULT_SLA_DAYS } from "../../src/core/digest.js";
import type { Snapshot } from "../../src/core/snapshot.js";
import { createSqliteDigestReader } from "../../src/db/digest-queries.js";
import { renderDigestMessage } from "../../src/slack/blocks/digest.js";
import { bucket, catalog, reconcile, snapshotOf, tempDbsPerTest } from "../db/fixtures.js";
import { expectValidMessage, visibleText } from "../slack/blocks/helpers.js";

const fresh = tempDbsPerTest();
const SANDBOX = "444444444444";
const NOW = new Date("2026-11-02T09:00:00.000Z");

function failing(snapshot: Snapshot, accountId: string): Snapshot {
  const account = snapshot.accounts.find((a) => a.accountId === accountId)!;
  account.name = "sandbox";
  account.errors = [{ service: "sts", operation: "GetCallerIdentity", code: "AccessDenied", message: "not authorized to perform: sts:AssumeRole" }];
  return snapshot;
}

const request = (teams: DailyDigestRequest["teams"], allClear: "post" | "skip" = "skip"): DailyDigestRequest => ({
  now: NOW, teams, securityChannel: "#security",
  settings: { timeZone: "UTC", slaDays: DEFAULT_SLA_DAYS, allClear, topRules: 3 },
  ruleTitles: Object.fromEntries(catalog.rules.map((r) => [r.id, r.title])),
});

describe("coverage in the daily digests", () => {
  it("a team that owns resources in an account the latest scan could not read is told, never 'all clear'; other teams are not", async () => {
    const db = fresh();
    // Yesterday: payments owns a (passing) bucket in the sandbox account, data only in the main account.
    await reconcile(db, snapshotOf([bucket("pay-sandbox", { account: SANDBOX }), bucket("data-lake")]), "2026-11-01T07:00:00.000Z");
    // Today the sandbox account cannot be read.
    await reconcile(db, failing(snapshotOf([bucket("data-lake")], { [SANDBOX]: "failed" }), SANDBOX), "2026-11-02T07:00:00.000Z");

    const deliveries = await loadDailyDigests({ reader: createSqliteDigestReader(db), renderMessage: renderDigestMessage },
      request([{ handle: "payments", channel: "#payments" }, { handle: "data", channel: "#data" }]));

    // Nothing changed for either team: data (all clear, skipped) gets nothing; payments gets its coverage.
    expect(deliveries.map((d) => d.channel)).toEqual(["#payments", "#security"]);
    const payments = deliveries[0]!.message;
    expectValidMessage(payments);
    const text = visibleText(payments.blocks);
    expect(text).toContain("*Coverage*: 0 of 1 account collected completely by their latest scan (the accounts this team owns resources in");
    expect(text).toContain(`${SANDBOX} (sandbox): failed: AccessDenied: not authorized to perform: sts:AssumeRole`);

    const org = visibleText(deliveries[1]!.message.blocks);
    expect(org).toContain("1 of 2 accounts collected completely");
  });

  it("the org digest names a failed Organizations discovery apart from the accounts", async () => {
    const db = fresh();
    const snapshot = snapshotOf([bucket("data-lake", { logging: false })]);
    snapshot.accounts.push({
      accountId: "organizations", name: "AWS Organizations discovery", regions: ["us-east-1"], status: "failed", startedAt: snapshot.collectedAt, finishedAt: snapshot.collectedAt, apiCalls: {},
      errors: [{ service: "organizations", operation: "ListAccounts", code: "POSTURE_ORGANIZATIONS_NOT_IN_USE", message: "These credentials belong to an account that is not in an AWS Organization" }], resourceTypes: [],
    });
    await reconcile(db, snapshot, "2026-11-02T07:00:00.000Z");
    const [org] = await loadDailyDigests({ reader: createSqliteDigestReader(db), renderMessage: renderDigestMessage }, request([]));
    expectValidMessage(org!.message);
    const text = visibleText(org!.message.blocks);
    expect(text).toContain("1 of 1 account collected completely");
    expect(text).toContain("AWS Organizations discovery failed, so only the configured accounts were scanned: POSTURE_ORGANIZATIONS_NOT_IN_USE: These credentials belong");
    expect(text).not.toContain("organizations (AWS Organizations discovery)");
  });
});
