import { webApi } from "@slack/bolt";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deliverOutbox } from "../../src/app/deliver-outbox.js";
import { DEFAULT_DELIVERY_OPTIONS } from "../../src/app/delivery-policy.js";
import { reconcileScan } from "../../src/app/reconcile-scan.js";
import { createSqliteDeliveryStore } from "../../src/db/slack-messages-repo.js";
import { createSqliteStateStore } from "../../src/db/state-store.js";
import { clientOptionsOf } from "../../src/slack/create-app.js";
import { createSlackNotifier } from "../../src/slack/notifier.js";
import { startFakeSlack, type FakeSlack } from "../helpers/fake-slack/server.js";
import { validateBlocks } from "../helpers/slack-schemas.js";
import { ACCOUNT, bucket, catalog, ownership, reconcile, snapshotOf, teams, tempDb } from "../db/fixtures.js";

const LEAVING = "555566667777";
let slack: FakeSlack;
let store: ReturnType<typeof tempDb>;
let now: Date;

beforeEach(async () => {
  slack = await startFakeSlack();
  store = tempDb();
  now = new Date("2026-11-02T08:00:00.000Z");
});
afterEach(async () => {
  store.cleanup();
  await slack.close();
});

function deliver() {
  const client = new webApi.WebClient("xoxb-test", { ...clientOptionsOf({ apiUrl: slack.apiUrl }), retryConfig: { retries: 0 } });
  const rules = new Map(catalog.rules.map((r) => [r.id, { title: r.title, compliance: r.compliance }]));
  const clock = { now: () => now, sleep: async () => undefined };
  return deliverOutbox({ store: createSqliteDeliveryStore(store.db), notifier: createSlackNotifier(client, () => now), rules, clock }, { ...DEFAULT_DELIVERY_OPTIONS, securityChannel: "#security" });
}

describe("a finding of a retired account", () => {
  it("gets its message edited and a thread reply naming why it resolved", async () => {
    await reconcile(store.db, snapshotOf([bucket("pay-a", { logging: false, account: LEAVING }), bucket("pay-b")]), now.toISOString(), "scan-1");
    await deliver();
    const [posted] = slack.callsOf("chat.postMessage");

    now = new Date("2026-11-02T09:00:00.000Z");
    await reconcileScan(createSqliteStateStore(store.db), {
      scanId: "scan-2", trigger: "test", rules: catalog.rules, ruleScope: "all", snapshot: snapshotOf([bucket("pay-b")]), startedAt: now, now,
      ownership, teams, securityChannel: "#security", accountScope: [ACCOUNT],
    });
    expect(await deliver()).toMatchObject({ updated: 1, replies: 1 });

    const [update] = slack.callsOf("chat.update");
    expect(update!.body.ts).toBe(posted!.ts);
    expect(validateBlocks(update!.body.blocks)).toBe(true);
    expect(JSON.stringify(update!.body.blocks)).toContain("the account left the organisation's scope and is no longer scanned");
    const reply = slack.callsOf("chat.postMessage").find((c) => c.body.thread_ts === posted!.ts);
    expect(validateBlocks(reply!.body.blocks)).toBe(true);
    expect(JSON.stringify(reply!.body.blocks)).toContain("left the organisation's scope (closed, suspended, removed or excluded)");
  });
});
