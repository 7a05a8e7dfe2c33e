import { webApi } from "@slack/bolt";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deliverOutbox } from "../../src/app/deliver-outbox.js";
import { DEFAULT_DELIVERY_OPTIONS, type DeliveryOptions } from "../../src/app/delivery-policy.js";
import { reconcileScan } from "../../src/app/reconcile-scan.js";
import type { SeverityOverride } from "../../src/core/severity-overrides.js";
import { createSqliteDeliveryStore } from "../../src/db/slack-messages-repo.js";
import { createSqliteStateStore } from "../../src/db/state-store.js";
import { clientOptionsOf } from "../../src/slack/create-app.js";
import { createSlackNotifier } from "../../src/slack/notifier.js";
import { startFakeSlack, type FakeSlack } from "../helpers/fake-slack/server.js";
import { validateBlocks } from "../helpers/slack-schemas.js";
import { bucket, catalog, ownership, snapshotOf, teams, tempDb } from "../db/fixtures.js";
import type { Snapshot } from "../../src/core/snapshot.js";

// versioning is critical in the fixture catalog; pay-* buckets belong to #payments.
const REASON = "payments sandbox, no customer data";
const sandboxHigh: SeverityOverride[] = [{ severity: "high", rules: ["versioning"], tags: { env: "sandbox" }, reason: REASON }];

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

function deliver(options: Partial<DeliveryOptions> = {}) {
  const client = new webApi.WebClient("xoxb-test", { ...clientOptionsOf({ apiUrl: slack.apiUrl }), retryConfig: { retries: 0 } });
  const rules = new Map(catalog.rules.map((r) => [r.id, { title: r.title, compliance: r.compliance }]));
  const clock = { now: () => now, sleep: async () => undefined };
  return deliverOutbox({ store: createSqliteDeliveryStore(store.db), notifier: createSlackNotifier(client, () => now), rules, clock }, { ...DEFAULT_DELIVERY_OPTIONS, securityChannel: "#security", ...options });
}

async function scan(snapshot: Snapshot, severityOverrides: SeverityOverride[], at: string) {
  now = new Date(at);
  await reconcileScan(createSqliteStateStore(store.db), {
    scanId: `scan-${at}`, trigger: "test", rules: catalog.rules, ruleScope: "all", snapshot, startedAt: now, now, ownership, teams, securityChannel: "#security", severityOverrides,
  });
}

const text = (call: { body: Record<string, unknown> } | undefined) => JSON.stringify(call?.body.blocks);
const replies = () => slack.callsOf("chat.postMessage").filter((c) => c.body.thread_ts !== undefined);

describe("a finding whose effective severity changes between scans", () => {
  const snapshot = snapshotOf([bucket("pay-sandbox", { versioning: false, tags: { env: "sandbox" } })]);

  it("gets its message edited once and one thread reply saying from what to what and why; the next delivery calls nothing", async () => {
    await scan(snapshot, [], "2026-11-02T08:00:00.000Z");
    expect(await deliver()).toMatchObject({ posted: 1, messages: 1 });
    const [posted] = slack.callsOf("chat.postMessage");
    expect(text(posted)).toContain("Critical");

    await scan(snapshot, sandboxHigh, "2026-11-03T08:00:00.000Z");
    expect(await deliver()).toMatchObject({ posted: 0, updated: 1, replies: 1 });
    const updates = slack.callsOf("chat.update");
    expect(updates).toHaveLength(1);
    expect(updates[0]!.body.ts).toBe(posted!.ts);
    expect(validateBlocks(updates[0]!.body.blocks)).toBe(true);
    expect(text(updates[0])).toContain(`(rule default: critical) — ${REASON}`);
    expect(replies()).toHaveLength(1);
    const [reply] = replies();
    expect(reply!.body.thread_ts).toBe(posted!.ts);
    expect(validateBlocks(reply!.body.blocks)).toBe(true);
    expect(text(reply)).toMatch(/Severity .*High\*? \(was .*Critical\)/);
    expect(text(reply)).toContain(`severity override: ${REASON}`);

    const calls = slack.calls.length;
    expect(await deliver()).toMatchObject({ posted: 0, updated: 0, replies: 0 });
    expect(slack.calls.length).toBe(calls);
    expect(store.db.prepare("SELECT shown_severity FROM slack_messages").all()).toEqual([{ shown_severity: "high" }]);
  });

  it("says the override was removed when the rule's own severity is back", async () => {
    await scan(snapshot, sandboxHigh, "2026-11-02T08:00:00.000Z");
    await deliver();
    await scan(snapshot, [], "2026-11-03T08:00:00.000Z");
    expect(await deliver()).toMatchObject({ updated: 1, replies: 1 });
    expect(text(slack.callsOf("chat.update")[0])).not.toContain("rule default");
    const [reply] = replies();
    expect(text(reply)).toMatch(/Severity .*Critical\*? \(was .*High\)/);
    expect(text(reply)).toContain("the severity override was removed");
  });
});

describe("grouped messages and severity overrides", () => {
  const buckets = (sandboxes: number, others: number) => snapshotOf([
    ...Array.from({ length: sandboxes }, (_, i) => bucket(`pay-sandbox-${i}`, { versioning: false, tags: { env: "sandbox" } })),
    ...Array.from({ length: others }, (_, i) => bucket(`pay-live-${i}`, { versioning: false })),
  ]);

  it("groups by rule and effective severity: each group's header is the severity of every line in it", async () => {
    await scan(buckets(6, 7), sandboxHigh, "2026-11-02T08:00:00.000Z");
    expect(await deliver()).toMatchObject({ posted: 13, messages: 2, grouped: 2 });
    const posts = slack.callsOf("chat.postMessage");
    for (const post of posts) expect(validateBlocks(post.body.blocks)).toBe(true);
    const high = posts.find((p) => text(p).includes("pay-sandbox-0"));
    const critical = posts.find((p) => text(p).includes("pay-live-0"));
    expect(high).not.toBe(critical);
    expect(text(high)).not.toContain("pay-live-");
    expect(text(high)).toContain(`High* (rule default: critical) — ${REASON}`);
    expect(text(critical)).not.toContain("pay-sandbox-");
    expect(text(critical)).not.toContain("rule default");
    expect(store.db.prepare("SELECT shown_severity, COUNT(*) AS n FROM slack_messages GROUP BY shown_severity ORDER BY shown_severity").all())
      .toEqual([{ shown_severity: "critical", n: 7 }, { shown_severity: "high", n: 6 }]);
  });

  it("an override reaching every resource of a group: one edit and one reply for the message, not one per resource", async () => {
    await scan(buckets(8, 0), [], "2026-11-02T08:00:00.000Z");
    expect(await deliver()).toMatchObject({ messages: 1, grouped: 1 });
    await scan(buckets(8, 0), sandboxHigh, "2026-11-03T08:00:00.000Z");
    expect(await deliver()).toMatchObject({ updated: 1, replies: 1 });
    expect(slack.callsOf("chat.update")).toHaveLength(1);
    expect(validateBlocks(slack.callsOf("chat.update")[0]!.body.blocks)).toBe(true);
    expect(text(slack.callsOf("chat.update")[0])).toContain(`High* (rule default: critical) — ${REASON}`);
    expect(replies()).toHaveLength(1);
    expect(text(replies()[0])).toContain("8 resources of this message");
  });

  it("a group split by a later override keeps its worst severity in the header and names each other line's", async () => {
    await scan(buckets(3, 5), [], "2026-11-02T08:00:00.000Z");
    expect(await deliver()).toMatchObject({ messages: 1, grouped: 1 });
    await scan(buckets(3, 5), sandboxHigh, "2026-11-03T08:00:00.000Z");
    expect(await deliver()).toMatchObject({ updated: 1, replies: 1 });
    const [update] = slack.callsOf("chat.update");
    expect(validateBlocks(update!.body.blocks)).toBe(true);
    const blocks = update!.body.blocks as { text?: { text: string } }[];
    expect(blocks[0]).toMatchObject({ type: "header", text: { text: expect.stringContaining(":red_circle:") } });
    const line = (name: string) => blocks.find((b) => b.text?.text.includes(name))?.text?.text;
    expect(line("pay-sandbox-0")).toContain(`High* (${REASON})`);
    expect(line("pay-live-0")).not.toContain("High");
    expect(text(replies()[0])).toContain("3 resources of this message");
  });
});
