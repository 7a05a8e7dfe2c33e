import { webApi } from "@slack/bolt";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deliverOutbox } from "../../src/app/deliver-outbox.js";
import { DEFAULT_DELIVERY_OPTIONS, type DeliveryOptions } from "../../src/app/delivery-policy.js";
import { DeliveryError } from "../../src/app/slack-ports.js";
import { createSqliteDeliveryStore } from "../../src/db/slack-messages-repo.js";
import { clientOptionsOf } from "../../src/slack/create-app.js";
import { createSlackNotifier } from "../../src/slack/notifier.js";
import { startFakeSlack, type FakeSlack } from "../helpers/fake-slack/server.js";
import { validateBlocks } from "../helpers/slack-schemas.js";
import { bucket, catalog, reconcile, snapshotOf, tempDb } from "../db/fixtures.js";

const T0 = new Date("2026-11-02T08:00:00.000Z");
let slack: FakeSlack;
let store: ReturnType<typeof tempDb>;
let now: Date;
let sleeps: number[];

beforeEach(async () => {
  slack = await startFakeSlack();
  store = tempDb();
  now = T0;
  sleeps = [];
});
afterEach(async () => {
  store.cleanup();
  await slack.close();
});

function deliver(options: Partial<DeliveryOptions> = {}) {
  const client = new webApi.WebClient("xoxb-test", { ...clientOptionsOf({ apiUrl: slack.apiUrl }), retryConfig: { retries: 0 } });
  const rules = new Map(catalog.rules.map((r) => [r.id, { title: r.title, compliance: r.compliance }]));
  const clock = { now: () => now, sleep: async (ms: number) => void sleeps.push(ms) };
  return deliverOutbox({ store: createSqliteDeliveryStore(store.db), notifier: createSlackNotifier(client, () => now), rules, clock }, { ...DEFAULT_DELIVERY_OPTIONS, securityChannel: "#security", ...options });
}

const outboxRows = () => store.db.prepare("SELECT id, attempts, next_attempt_at, sent_at, last_error FROM outbox ORDER BY id").all() as { attempts: number; next_attempt_at: string; sent_at: string | null; last_error: string | null }[];

describe("deliverOutbox", () => {
  it("groups more than the threshold of new findings for one channel into one message per rule, each resource actionable", async () => {
    await reconcile(store.db, snapshotOf(Array.from({ length: 8 }, (_, i) => bucket(`pay-${i}`, { logging: false }))), T0.toISOString());
    const report = await deliver({ groupThreshold: 5 });
    expect(report).toMatchObject({ posted: 8, messages: 1, grouped: 1, deferred: 0 });
    const [post] = slack.callsOf("chat.postMessage");
    expect(post!.body.channel).toBe("#payments");
    expect(validateBlocks(post!.body.blocks)).toBe(true);
    const menus = JSON.stringify(post!.body.blocks).match(/posture\.finding\.menu/g) ?? [];
    expect(menus).toHaveLength(8);
    const rows = store.db.prepare("SELECT DISTINCT channel, ts, grouped FROM slack_messages").all();
    expect(rows).toEqual([{ channel: "#payments", ts: "1700000000.000001", grouped: 1 }]);
  });

  it("posts one message per finding up to the threshold, and never twice", async () => {
    await reconcile(store.db, snapshotOf([bucket("pay-a", { logging: false }), bucket("data-b", { versioning: false })]), T0.toISOString());
    expect(await deliver()).toMatchObject({ posted: 2, messages: 2, grouped: 0 });
    expect(await deliver()).toMatchObject({ posted: 0, messages: 0 });
    expect(slack.callsOf("chat.postMessage").map((c) => c.body.channel).sort()).toEqual(["#data", "#payments"]);
    expect(outboxRows().every((r) => r.sent_at !== null)).toBe(true);
  });

  it("waits out a 429's Retry-After for that channel and then posts: nothing lost", async () => {
    await reconcile(store.db, snapshotOf([bucket("pay-a", { logging: false })]), T0.toISOString());
    slack.rateLimitNext("chat.postMessage", 2, 3);
    expect(await deliver()).toMatchObject({ posted: 1, deferred: 0 });
    expect(sleeps).toEqual([3000, 3000]);
    expect(slack.count429).toBe(2);
  });

  it("defers a row whose Retry-After is longer than it may wait, to then", async () => {
    await reconcile(store.db, snapshotOf([bucket("pay-a", { logging: false })]), T0.toISOString());
    slack.rateLimitNext("chat.postMessage", 1, 120);
    expect(await deliver({ maxInlineWaitMs: 60_000 })).toMatchObject({ posted: 0, deferred: 1 });
    expect(outboxRows()[0]).toMatchObject({ attempts: 1, sent_at: null, last_error: "ratelimited", next_attempt_at: new Date(T0.getTime() + 120_000).toISOString() });
  });

  it("retries a failed delivery with exponential backoff", async () => {
    await reconcile(store.db, snapshotOf([bucket("pay-a", { logging: false })]), T0.toISOString());
    slack.failWith("chat.postMessage", "internal_error", { times: 2 });
    const backoff = { baseMs: 30_000, maxMs: 3_600_000 };
    expect(await deliver({ backoff })).toMatchObject({ deferred: 1 });
    expect(outboxRows()[0]!.next_attempt_at).toBe(new Date(T0.getTime() + 30_000).toISOString());
    expect(await deliver({ backoff })).toMatchObject({ posted: 0, deferred: 0 });
    now = new Date(T0.getTime() + 30_000);
    expect(await deliver({ backoff })).toMatchObject({ deferred: 1 });
    expect(outboxRows()[0]!.next_attempt_at).toBe(new Date(now.getTime() + 60_000).toISOString());
    now = new Date(now.getTime() + 60_000);
    expect(await deliver({ backoff })).toMatchObject({ posted: 1 });
    expect(outboxRows()[0]).toMatchObject({ attempts: 3, last_error: null });
  });

  it.each(["not_in_channel", "channel_not_found", "is_archived"])("falls back to the security channel on %s, with the invite hint", async (error) => {
    await reconcile(store.db, snapshotOf([bucket("pay-a", { logging: false })]), T0.toISOString());
    slack.failWith("chat.postMessage", error, { channel: "#payments" });
    expect(await deliver()).toMatchObject({ posted: 1, fellBack: 1 });
    const fallback = slack.callsOf("chat.postMessage").at(-1)!;
    expect(fallback.body.channel).toBe("#security");
    expect(JSON.stringify(fallback.body.blocks)).toContain(error);
    expect(store.db.prepare("SELECT channel, intended_channel FROM slack_messages").get()).toEqual({ channel: "#security", intended_channel: "#payments" });
  });

  it("stops the pass on invalid_auth, leaving the rows for later", async () => {
    await reconcile(store.db, snapshotOf([bucket("pay-a", { logging: false })]), T0.toISOString());
    slack.failWith("chat.postMessage", "invalid_auth");
    await expect(deliver()).rejects.toBeInstanceOf(DeliveryError);
    expect(outboxRows()[0]).toMatchObject({ sent_at: null, last_error: "invalid_auth" });
  });

  it("skips, and marks done, findings of severities that are not notified", async () => {
    await reconcile(store.db, snapshotOf([bucket("pay-a", { logging: false }), bucket("pay-b", { versioning: false })]), T0.toISOString());
    expect(await deliver({ severities: new Set(["critical"]) })).toMatchObject({ posted: 1, skipped: 1 });
    expect(outboxRows().map((r) => r.last_error)).toContain("skipped: severity high is not notified");
  });

  it("edits the message and replies in its thread when the finding resolves, then reopens", async () => {
    await reconcile(store.db, snapshotOf([bucket("pay-a", { logging: false })]), T0.toISOString(), "scan-1");
    await deliver();
    await reconcile(store.db, snapshotOf([bucket("pay-a")]), "2026-11-02T09:00:00.000Z", "scan-2");
    now = new Date("2026-11-02T09:00:00.000Z");
    expect(await deliver()).toMatchObject({ updated: 1, replies: 1 });
    expect(await deliver()).toMatchObject({ updated: 0, replies: 0 });
    await reconcile(store.db, snapshotOf([bucket("pay-a", { logging: false })]), "2026-11-02T10:00:00.000Z", "scan-3");
    now = new Date("2026-11-02T10:00:00.000Z");
    expect(await deliver()).toMatchObject({ posted: 0, skipped: 1, updated: 1, replies: 1 });
    const replies = slack.callsOf("chat.postMessage").filter((c) => c.body.thread_ts === "1700000000.000001");
    expect(replies.map((c) => String(c.body.text))).toEqual([expect.stringContaining("resolved"), expect.stringContaining("reopened")]);
    expect(slack.callsOf("chat.update")).toHaveLength(2);
  });
});
