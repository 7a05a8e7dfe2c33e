// Slack benchmarks (DESIGN section 9, issue 4): `/posture` response time (signed HTTP request to HTTP
// response, the real Bolt app in HTTP mode) with a million findings stored, and posting throughput for
// 5,000 new findings across 20 channels against the fake Web API with Slack's per-channel limit enforced.
// Runnable alone: `npx tsx bench/slack-bench.ts`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { webApi } from "@slack/bolt";
import { deliverOutbox } from "../src/app/deliver-outbox.js";
import { DEFAULT_DELIVERY_OPTIONS } from "../src/app/delivery-policy.js";
import { reconcileScan } from "../src/app/reconcile-scan.js";
import { SEVERITIES } from "../src/core/rule.js";
import { SNAPSHOT_SCHEMA_VERSION, type Bucket } from "../src/core/snapshot.js";
import { seedMillionFindings } from "./seed-million.js";
import { openDatabase, type Db } from "../src/db/open.js";
import { createSqliteDeliveryStore } from "../src/db/slack-messages-repo.js";
import { createSqliteStateStore } from "../src/db/state-store.js";
import { startPosture } from "../src/main.js";
import { loadCatalog } from "../src/rules-files.js";
import { clientOptionsOf } from "../src/slack/create-app.js";
import { createSlackNotifier } from "../src/slack/notifier.js";
import { startFakeSlack } from "../test/helpers/fake-slack/server.js";
import { sendSlashCommand } from "../test/helpers/fake-slack/signed-requests.js";

const SECRET = "0123456789abcdef0123456789abcdef";
const TEAMS = Array.from({ length: 20 }, (_, i) => `team-${i}`);
const channelOf = (i: number) => `C0BENCH${String(i).padStart(4, "0")}`;

/** A working directory with one high-severity bucket rule and 20 teams, each with its channel. */
function benchWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "posture-slack-bench-"));
  mkdirSync(join(dir, "rules", "s3"), { recursive: true });
  writeFileSync(join(dir, "rules", "frameworks.yaml"), `frameworks:\n  fw-a: { name: Framework A, version: "1", controls: { "1": "Control one" } }\n`);
  writeFileSync(join(dir, "rules", "s3", "logging.yaml"), `id: logging\ntitle: Bucket access logging is enabled\nseverity: high\nresource: aws:s3:bucket\ndescription: Server access logging records requests.\nrisk: Without logs an intrusion cannot be investigated.\ncheck: { path: logging, exists: true }\ncompliance: { fw-a: ["1"] }\nremediation: { console: "Enable logging on {{resource.name}}", cli: "aws s3api put-bucket-logging --bucket {{resource.name}}", terraform: "resource x {}", references: ["https://docs.aws.amazon.com/"] }\ntests:\n  - { name: passes, expect: pass, resource: { logging: { targetBucket: l, targetPrefix: x } } }\n  - { name: fails, expect: fail, resource: { logging: null } }\n`);
  const teams = TEAMS.map((t, i) => `  - handle: ${t}\n    channel: ${channelOf(i)}\n`).join("");
  writeFileSync(join(dir, "posture.config.yml"), `accounts:\n  - id: "111122223333"\n    name: prod\nteams:\n${teams}securityChannel: C0SECURITY1\n`);
  return dir;
}

/** A million findings (bulk insert, as the state bench does) plus 30 days of counts and snapshots. */
function seedMillion(db: Db): void {
  seedMillionFindings(db, {
    teams: TEAMS, scopes: ["org", "team:team-0", "team:team-1", "framework:fw-a"],
    ruleOf: (h) => (h % 3 === 0 ? "logging" : `rule-${h % 60}`),
    tally: JSON.stringify(Object.fromEntries(SEVERITIES.map((s) => [s, { pass: 900, fail: 100 }]))),
  });
}

function percentiles(times: number[]): { p50: number; p99: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(2));
  return { p50: at(0.5), p99: at(0.99) };
}

const COMMANDS = ["score", "score team-0", "score fw-a", "findings", "findings team-3", "findings team-7 critical high", "findings logging", "findings info", "rules", "help"];

/** Each command `iterations` times, sequentially (latency, not load): signed request -> HTTP response. */
export async function runSlashBench(iterations = 200): Promise<Record<string, { p50: number; p99: number }>> {
  const dir = benchWorkspace();
  const slack = await startFakeSlack();
  const { db } = openDatabase(join(dir, "posture.db"));
  seedMillion(db);
  db.close();
  const posture = await startPosture({
    env: { SLACK_BOT_TOKEN: "xoxb-bench", SLACK_SIGNING_SECRET: SECRET, PORT: "0", SLACK_API_URL: slack.apiUrl, POSTURE_DB_PATH: "posture.db", POSTURE_RULES_DIR: "rules", POSTURE_SCAN_CRON: "off", POSTURE_LOG_LEVEL: "warn" },
    cwd: dir, host: "127.0.0.1", clock: () => new Date("2026-11-01T12:00:00.000Z"),
  });
  try {
    const url = `http://127.0.0.1:${(posture.server!.address() as AddressInfo).port}/slack/events`;
    const figures: Record<string, { p50: number; p99: number }> = {};
    const all: number[] = [];
    for (const text of COMMANDS) {
      const times: number[] = [];
      for (let i = 0; i < iterations + 10; i++) {
        const started = performance.now();
        const response = await sendSlashCommand({ url, secret: SECRET }, { text, responseUrl: slack.responseUrl("bench") });
        await response.text();
        if (response.status !== 200) throw new Error(`/posture ${text}: HTTP ${response.status}`);
        if (i >= 10) times.push(performance.now() - started);
      }
      figures[`/posture ${text} (ms)`] = percentiles(times);
      all.push(...times);
    }
    figures["all commands (ms)"] = percentiles(all);
    return figures;
  } finally {
    await posture.stop();
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface PostingFigures {
  findings: number;
  channels: number;
  rateLimit: string;
  grouped: boolean;
  messages: number;
  posted: number;
  lost: number;
  deferred: number;
  http429: number;
  wallSeconds: number;
  messagesPerSecond: number;
}

/**
 * 5,000 new findings (one high rule, 5,000 buckets over 20 teams) reconciled into a fresh database,
 * then delivered through the real Slack notifier and WebClient. Slack allows about 1 message per
 * second per channel; at that rate the run would last over 4 minutes, so the fake enforces a scaled
 * limit (`perSecond` per channel, same burst rule, Retry-After 1 s) and the figures say so.
 */
export async function runPostingBench(options: { perSecond?: number; grouped?: boolean } = {}): Promise<PostingFigures> {
  const perSecond = options.perSecond ?? 20;
  const dir = benchWorkspace();
  const slack = await startFakeSlack({ rateLimit: { perSecond, burst: perSecond }, retryAfterSeconds: 1 });
  const { db } = openDatabase(join(dir, "posture.db"));
  try {
    const catalog = loadCatalog(`${join(dir, "rules")}/`);
    const at = new Date();
    const buckets: Bucket[] = Array.from({ length: 5000 }, (_, i) => ({
      type: "aws:s3:bucket", arn: `arn:aws:s3:::bench-${i}`, name: `bench-${i}`, accountId: "111122223333", region: "eu-west-1", tags: { team: TEAMS[i % TEAMS.length]! }, logging: null,
    }));
    await reconcileScan(createSqliteStateStore(db), {
      scanId: "bench-scan", trigger: "bench", rules: catalog.rules, ruleScope: "all", startedAt: at, now: at, securityChannel: "C0SECURITY1",
      snapshot: { schemaVersion: SNAPSHOT_SCHEMA_VERSION, collectedAt: at.toISOString(), accounts: [{ accountId: "111122223333", regions: ["eu-west-1"], status: "ok", startedAt: at.toISOString(), finishedAt: at.toISOString(), apiCalls: {}, errors: [] }], resources: buckets },
      ownership: { tagKeys: ["team"], teams: TEAMS.map((handle, i) => ({ handle, channel: channelOf(i), match: { tags: [], accounts: [], arns: [], names: [] } })) },
      teams: TEAMS.map((handle, i) => ({ handle, channel: channelOf(i), members: [] })),
    });
    const client = new webApi.WebClient("xoxb-bench", clientOptionsOf({ apiUrl: slack.apiUrl }));
    const rules = new Map(catalog.rules.map((r) => [r.id, { title: r.title, compliance: r.compliance }]));
    const clock = { now: () => new Date(), sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) };
    const started = performance.now();
    const report = await deliverOutbox({ store: createSqliteDeliveryStore(db), notifier: createSlackNotifier(client, () => new Date()), rules, clock },
      { ...DEFAULT_DELIVERY_OPTIONS, securityChannel: "C0SECURITY1", groupThreshold: options.grouped ? DEFAULT_DELIVERY_OPTIONS.groupThreshold : Number.POSITIVE_INFINITY });
    const wallSeconds = (performance.now() - started) / 1000;
    const stored = (db.prepare("SELECT COUNT(*) AS n FROM slack_messages").get() as { n: number }).n;
    const pending = (db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL").get() as { n: number }).n;
    return {
      findings: buckets.length, channels: TEAMS.length, rateLimit: `${perSecond} msg/s per channel (Slack: ~1; scaled x${perSecond})`, grouped: options.grouped ?? false,
      messages: report.messages, posted: report.posted, lost: buckets.length - stored - pending, deferred: pending, http429: slack.count429,
      wallSeconds: Number(wallSeconds.toFixed(2)), messagesPerSecond: Math.round(report.messages / wallSeconds),
    };
  } finally {
    db.close();
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runSlackBench(): Promise<{ slash: Awaited<ReturnType<typeof runSlashBench>>; posting: PostingFigures; postingGrouped: PostingFigures }> {
  return { slash: await runSlashBench(), posting: await runPostingBench(), postingGrouped: await runPostingBench({ grouped: true }) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { slash, posting, postingGrouped } = await runSlackBench();
  console.log("Slash commands with 1,000,000 findings stored: signed HTTP request -> response (p50 / p99 ms)");
  for (const [key, { p50, p99 }] of Object.entries(slash)) console.log(`  ${key.padEnd(44)} ${String(p50).padStart(7)} / ${String(p99).padStart(7)}`);
  for (const [title, figures] of [["Posting 5,000 new findings to 20 channels, one message each", posting], ["Same, grouped per rule (default threshold)", postingGrouped]] as const) {
    console.log(title);
    for (const [key, value] of Object.entries(figures)) console.log(`  ${key.padEnd(20)} ${String(value)}`);
  }
}
