import { PNG } from "pngjs";
import { webApi } from "@slack/bolt";
import { afterEach, describe, expect, it } from "vitest";
import { loadDailyDigests } from "../../src/app/digest.js";
import { digestDay, postDailyDigests } from "../../src/app/post-digests.js";
import { createScoreChartRenderer } from "../../src/chart/render-score-chart.js";
import { DEFAULT_SLA_DAYS } from "../../src/core/digest.js";
import { createSqliteDigestReader } from "../../src/db/digest-queries.js";
import type { Db } from "../../src/db/open.js";
import { createSqliteDigestLog } from "../../src/db/schedule-queries.js";
import { renderDigestMessage } from "../../src/slack/blocks/digest.js";
import { createConsoleNotifier } from "../../src/slack/console-notifier.js";
import { createSlackNotifier } from "../../src/slack/notifier.js";
import { bucket, catalog, reconcile, snapshotOf, tempDb } from "../db/fixtures.js";
import { startFakeSlack, type FakeSlack } from "../helpers/fake-slack/server.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0)) await fn();
});

const NOW = new Date("2026-11-02T08:00:00.000Z");
const CHANNELS = { payments: "C0PAYMENTS1", data: "C0DATA00001", security: "C0SECURITY1" };

async function setup(): Promise<{ db: Db; slack: FakeSlack; post(now?: Date): ReturnType<typeof postDailyDigests> }> {
  const t = tempDb();
  const slack = await startFakeSlack();
  cleanups.push(t.cleanup, () => slack.close());
  for (let daysAgo = 5; daysAgo >= 0; daysAgo -= 1) {
    const at = new Date(NOW.getTime() - daysAgo * 86_400_000 - 3_600_000).toISOString();
    await reconcile(t.db, snapshotOf([bucket("pay-ledger", { versioning: daysAgo > 2 }), bucket("data-lake", { logging: false })]), at);
  }
  const client = new webApi.WebClient("xoxb-test", { slackApiUrl: slack.apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } });
  const notifier = createSlackNotifier(client, () => NOW);
  const post = async (now = NOW) => {
    const deliveries = await loadDailyDigests({ reader: createSqliteDigestReader(t.db), renderMessage: renderDigestMessage, renderChart: createScoreChartRenderer() }, {
      now, teams: [{ handle: "payments", channel: CHANNELS.payments }, { handle: "data", channel: CHANNELS.data }], securityChannel: CHANNELS.security,
      settings: { timeZone: "Europe/Paris", slaDays: DEFAULT_SLA_DAYS, allClear: "post", topRules: 3 },
      ruleTitles: Object.fromEntries(catalog.rules.map((r) => [r.id, r.title])),
    });
    return postDailyDigests({ notifier, log: createSqliteDigestLog(t.db), now: () => now, sleep: async () => {} }, deliveries, digestDay(now, "Europe/Paris"));
  };
  return { db: t.db, slack, post };
}

describe("postDailyDigests on the fake Slack Web API", () => {
  it("posts each digest to its channel, then uploads its PNG chart in the message's thread", async () => {
    const { slack, post } = await setup();
    const result = await post();
    expect(result.failed).toEqual([]);
    expect(slack.callsOf("chat.postMessage").map((c) => c.body.channel)).toEqual([CHANNELS.payments, CHANNELS.data, CHANNELS.security]);

    const completes = slack.callsOf("files.completeUploadExternal");
    expect(completes).toHaveLength(result.posted.filter((p) => p.chart === "uploaded").length);
    expect(completes.length).toBeGreaterThan(0);
    for (const complete of completes) {
      const posted = result.posted.find((p) => p.ref.ts === complete.body.thread_ts);
      expect(posted, "each chart goes in the thread of its own digest").toBeDefined();
      expect(complete.body.channel_id).toBe(posted!.ref.channel);
    }
    expect(slack.uploads.size).toBe(completes.length);
    for (const bytes of slack.uploads.values()) {
      const png = PNG.sync.read(bytes);
      expect(png.width).toBeGreaterThan(200);
      expect(png.height).toBeGreaterThan(100);
      const colours = new Set<number>();
      for (let i = 0; i < png.data.length; i += 4 * 97) colours.add(png.data.readUInt32BE(i));
      expect(colours.size, "the chart is not blank").toBeGreaterThan(2);
    }
    const names = slack.callsOf("files.getUploadURLExternal").map((c) => c.body.filename);
    expect(names).toContain("posture-score-org-2026-11-02.png");
  });

  it("is idempotent per day: the same day posts nothing again, the next day posts again", async () => {
    const { slack, post } = await setup();
    await post();
    const messages = slack.callsOf("chat.postMessage").length;
    const again = await post(new Date(NOW.getTime() + 3 * 3_600_000));
    expect(again.posted).toEqual([]);
    expect(again.alreadyPosted).toEqual(["team:payments", "team:data", "org"]);
    expect(slack.callsOf("chat.postMessage")).toHaveLength(messages);

    const nextDay = await post(new Date(NOW.getTime() + 86_400_000));
    expect(nextDay.posted.map((p) => p.scope)).toEqual(["team:payments", "team:data", "org"]);
  });

  it("a channel that refuses the post does not stop the others, and only it is posted on the next run", async () => {
    const { slack, post } = await setup();
    slack.failWith("chat.postMessage", "channel_not_found", { channel: CHANNELS.data, times: 1 });
    const first = await post();
    expect(first.failed).toEqual([{ scope: "team:data", channel: CHANNELS.data, error: "channel_not_found" }]);
    expect(first.posted.map((p) => p.scope)).toEqual(["team:payments", "org"]);
    const second = await post();
    expect(second.posted.map((p) => p.scope)).toEqual(["team:data"]);
  });

  it("a rate-limited post waits Retry-After and is posted; a failed chart upload keeps the posted message", async () => {
    const { slack, post } = await setup();
    slack.rateLimitNext("chat.postMessage", 1, 1);
    slack.failWith("files.completeUploadExternal", "missing_scope");
    const result = await post();
    expect(result.failed).toEqual([]);
    expect(result.posted).toHaveLength(3);
    expect(result.posted.filter((p) => typeof p.chart === "object").map((p) => p.chart)).toContainEqual({ error: "missing_scope" });
  });

  it("the digest day is the digest time zone's day", () => {
    expect(digestDay(new Date("2026-11-01T23:30:00.000Z"), "Europe/Paris")).toBe("2026-11-02");
    expect(digestDay(new Date("2026-11-01T23:30:00.000Z"), "UTC")).toBe("2026-11-01");
  });

  it("the console notifier prints the digest's text and the chart's size", async () => {
    const out: string[] = [];
    const notifier = createConsoleNotifier((text) => out.push(text), () => NOW);
    const message = { text: "Posture digest", blocks: [{ type: "section", text: { type: "mrkdwn", text: "*Score 82*" } }] };
    const posted = await notifier.postDigest("#payments", message, { png: new Uint8Array(1234), filename: "posture-score-org-2026-11-02.png", title: "t" });
    expect(posted.ref.channel).toBe("#payments");
    expect(out.join("\n")).toContain("would post the digest to #payments");
    expect(out.join("\n")).toContain("*Score 82*");
    expect(out.join("\n")).toContain("chart: posture-score-org-2026-11-02.png, 1234 bytes");
  });
});
