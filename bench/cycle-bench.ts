// A full scheduled cycle as production runs it (issue 7, DESIGN sections 2.7 and 9): `startPosture` in
// HTTP mode with 20 accounts (each reached through its scanner role) behind the fake AWS endpoint with a
// per-call latency, 100 teams with a channel each and ownership by tag, Slack through the fake Web API
// with a per-channel chat.postMessage limit. The scan cron tick scans and delivers; the digest tick posts
// 100 team digests and the org digest with their charts; a second digest tick must post nothing.
// The bench checks its own sanity and exits non-zero when a check fails. Runnable alone:
// `npx tsx bench/cycle-bench.ts`.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { reconcileScan } from "../src/app/reconcile-scan.js";
import { SNAPSHOT_SCHEMA_VERSION } from "../src/core/snapshot.js";
import { openDatabase, type Db } from "../src/db/open.js";
import { createSqliteStateStore } from "../src/db/state-store.js";
import { startPosture, type RunningPosture } from "../src/main.js";
import { generateDataset, type FakeDataset } from "../test/helpers/fake-aws/dataset.js";
import { startFakeAws, type FakeAws } from "../test/helpers/fake-aws/server.js";
import { fakeCron } from "../test/helpers/fake-cron.js";
import { startFakeSlack, type FakeSlack, type RecordedCall } from "../test/helpers/fake-slack/server.js";

const ACCOUNTS = 20;
const TEAMS = 100;
/** Per account: 50 buckets and 100 principals (80 users, 20 roles), plus groups and customer policies. */
const PER_ACCOUNT = { buckets: 50, users: 80, roles: 20, groups: 5, policies: 10 };
const LATENCY_MS = 20;
/** Slack allows about 1 chat.postMessage per second per channel; scaled x20 as in slack-bench. */
const POSTS_PER_SECOND_PER_CHANNEL = 20;
const MANAGEMENT_ACCOUNT = "999900000000";
const SECRET = "0123456789abcdef0123456789abcdef";
const SECURITY_CHANNEL = "C0SECURITY1";

const AWS_ENV = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_SESSION_TOKEN"] as const;

const accountId = (k: number) => String(210_000_000_000 + k);
const handleOf = (t: number) => `team-${String(t).padStart(3, "0")}`;
const channelOf = (t: number) => `C0TEAM${String(t).padStart(4, "0")}`;

export interface CycleFigures {
  estate: { accounts: number; teams: number; buckets: number; principals: number; awsLatencyMs: number; slackRateLimit: string };
  scan: { accountsScanned: number; resources: number; awsCalls: number; awsCallsPerResource: number; awsCallsPerAccount: number; s3CallsPerBucket: number; wallSeconds: number };
  delivery: { findingsPosted: number; messagesPosted: number; groupedMessages: number; channels: number; busiestChannelMessages: number; deferred: number; wallSeconds: number };
  digest: { digestsPosted: number; chartsUploaded: number; wallSeconds: number; secondTickPosts: number };
  slackCalls: Record<string, number>;
  http429: number;
  peakRssMb: number;
  cycleWallSeconds: number;
}

export interface CycleResult {
  figures: CycleFigures;
  /** Sanity checks that failed (empty: the cycle did what production must do). */
  problems: string[];
}

/**
 * Each account's dataset: its own bucket names (S3 names are global) and its `team` tags rotated by 7
 * per account, so that over the 20 accounts every one of the 100 teams owns about 10 buckets and 16
 * users, with a mix of the generator's good and bad configurations.
 */
function datasets(): FakeDataset[] {
  const teams = Array.from({ length: TEAMS }, (_, t) => handleOf(t));
  return Array.from({ length: ACCOUNTS }, (_, k) => {
    const shift = (k * 7) % TEAMS;
    return generateDataset({ ...PER_ACCOUNT, accountId: accountId(k), bucketPrefix: `bench-a${String(k).padStart(2, "0")}`, teams: [...teams.slice(shift), ...teams.slice(0, shift)] });
  });
}

function writeConfig(dir: string): void {
  const accounts = Array.from({ length: ACCOUNTS }, (_, k) =>
    `  - id: "${accountId(k)}"\n    name: bench-${k}\n    roleArn: arn:aws:iam::${accountId(k)}:role/PostureScanner\n    externalId: posture-bench\n`).join("");
  const teams = Array.from({ length: TEAMS }, (_, t) => `  - handle: ${handleOf(t)}\n    channel: ${channelOf(t)}\n`).join("");
  writeFileSync(join(dir, "posture.config.yml"), [
    `accounts:\n${accounts}`,
    "regions: [us-east-1, eu-west-1]",
    "scan:\n  concurrency: 8\n  accountConcurrency: 4",
    `securityChannel: ${SECURITY_CHANNEL}`,
    "ownership:\n  tagKeys: [team]",
    `teams:\n${teams}`,
    "schedules:\n  scan:\n    cron: \"0 * * * *\"\n    timeZone: UTC\n    maxAgeMinutes: 60\n  digest:\n    cron: \"0 9 * * 1-5\"\n    timeZone: UTC\n    allClear: post",
    "",
  ].join("\n"));
}

/**
 * A running deployment has scanned within the hour, so start-up does not scan and the cron tick does.
 * The previous scan here saw no resources: every finding of the benchmarked scan is new.
 */
async function recordRecentEmptyScan(dbPath: string): Promise<void> {
  const { db } = openDatabase(dbPath);
  try {
    const at = new Date(Date.now() - 60_000);
    await reconcileScan(createSqliteStateStore(db), {
      scanId: "bench-previous", trigger: "bench", rules: [], ruleScope: "all", startedAt: at, now: at, securityChannel: SECURITY_CHANNEL,
      snapshot: { schemaVersion: SNAPSHOT_SCHEMA_VERSION, collectedAt: at.toISOString(), accounts: [], resources: [] },
      ownership: { tagKeys: ["team"], teams: [] }, teams: [],
    });
  } finally {
    db.close();
  }
}

const count = (db: Db, sql: string, ...params: unknown[]): number => (db.prepare(sql).get(...params) as { n: number }).n;

async function until(condition: () => boolean, what: string, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`cycle bench: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const topLevelPosts = (calls: readonly RecordedCall[]) => calls.filter((c) => c.method === "chat.postMessage" && c.ok && c.body.thread_ts === undefined);
const seconds = (ms: number) => Number((ms / 1000).toFixed(2));

export async function runCycleBench(): Promise<CycleResult> {
  const dir = mkdtempSync(join(tmpdir(), "posture-cycle-bench-"));
  const accounts = datasets();
  const management = generateDataset({ accountId: MANAGEMENT_ACCOUNT, buckets: 0, users: 1, roles: 1, groups: 1, policies: 1 });
  let aws: FakeAws | undefined;
  let slack: FakeSlack | undefined;
  let posture: RunningPosture | undefined;
  const savedEnv = Object.fromEntries(AWS_ENV.map((name) => [name, process.env[name]]));
  try {
    aws = await startFakeAws({ dataset: management, accounts, latencyMs: LATENCY_MS });
    slack = await startFakeSlack({ rateLimit: { perSecond: POSTS_PER_SECOND_PER_CHANNEL, burst: POSTS_PER_SECOND_PER_CHANNEL }, retryAfterSeconds: 1 });
    writeConfig(dir);
    await recordRecentEmptyScan(join(dir, "posture.db"));
    // The scan worker builds its AWS clients from the SDK's provider chain: these are the base identity's keys.
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIDBENCHMANAGEMENT1", AWS_SECRET_ACCESS_KEY: "bench-secret" });
    delete process.env.AWS_PROFILE;
    delete process.env.AWS_SESSION_TOKEN;
    const cron = fakeCron();
    posture = await startPosture({
      env: {
        SLACK_BOT_TOKEN: "xoxb-bench", SLACK_SIGNING_SECRET: SECRET, PORT: "0", SLACK_API_URL: slack.apiUrl,
        AWS_ENDPOINT_URL: aws.url, POSTURE_DB_PATH: "posture.db", POSTURE_LOG_LEVEL: "warn",
      },
      cwd: dir, host: "127.0.0.1", cron: cron.seam,
    });
    const running = posture;
    const problems: string[] = [];
    const check = (ok: boolean, problem: string) => void (ok || problems.push(problem));
    await until(() => running.scheduler.running().length === 0, "start-up jobs");
    check(aws.totalCalls() === 0, `start-up made ${aws.totalCalls()} AWS calls: the recent scan should have made the start-up scan unnecessary`);

    // The scan tick: collect 20 accounts, evaluate, persist (worker thread), then deliver the outbox.
    const slackBefore = slack.calls.length;
    const scanTickAt = Date.now();
    cron.fire("scan");
    const ticket = running.runtime.scans.request("bench");
    check(ticket.joined, "the scan tick did not start a scan");
    const result = await ticket.done;
    await until(() => !running.scheduler.running().includes("scan"), "the scan job");
    const scanEndAt = Date.now();
    const db = running.db;
    const scanRow = db.prepare("SELECT id, resource_count AS resources, status FROM scans WHERE trigger = 'schedule'").get() as { id: string; resources: number; status: string } | undefined;
    if (!scanRow) throw new Error("cycle bench: the scan tick recorded no scan");
    const accountsOk = count(db, "SELECT COUNT(*) AS n FROM scan_accounts WHERE scan_id = ? AND status = 'ok' AND error_count = 0", scanRow.id);
    check(scanRow.status === "completed" && accountsOk === ACCOUNTS, `scan ${scanRow.status}: ${accountsOk} of ${ACCOUNTS} accounts collected without error`);
    const deliveryCalls = slack.calls.slice(slackBefore);
    const deliveredPosts = topLevelPosts(deliveryCalls);
    const delivery = result.delivered ?? { posted: 0, messages: 0, updated: 0, deferred: 0 };
    const unsent = count(db, "SELECT COUNT(*) AS n FROM outbox WHERE kind = 'finding.transition' AND sent_at IS NULL");
    const lost = count(db, `SELECT COUNT(*) AS n FROM outbox o WHERE o.kind = 'finding.transition' AND o.sent_at IS NOT NULL
      AND (o.last_error IS NULL OR o.last_error NOT LIKE 'skipped:%') AND NOT EXISTS (SELECT 1 FROM slack_messages m WHERE m.outbox_id = o.id)`);
    const highNew = count(db, "SELECT COUNT(*) AS n FROM outbox WHERE kind = 'finding.transition' AND (last_error IS NULL OR last_error NOT LIKE 'skipped:%')");
    const shown = count(db, "SELECT COUNT(*) AS n FROM slack_messages");
    check(unsent === 0 && delivery.deferred === 0, `${unsent} finding rows left in the outbox (${delivery.deferred} deferred)`);
    check(lost === 0 && shown === highNew, `${lost} delivered rows have no Slack message (${shown} messages stored for ${highNew} rows)`);
    check(deliveredPosts.length === delivery.messages, `${deliveredPosts.length} messages accepted by Slack, delivery reports ${delivery.messages}`);
    check(new Set(deliveredPosts.map((c) => c.ts)).size === deliveredPosts.length, "two delivered messages share a ts");
    const channelsWithFindings = new Set(deliveredPosts.map((c) => String(c.body.channel)));
    const silentTeams = Array.from({ length: TEAMS }, (_, t) => channelOf(t)).filter((c) => !channelsWithFindings.has(c));
    check(silentTeams.length === 0, `${silentTeams.length} team channels got no finding message (${silentTeams.slice(0, 3).join(", ")}...)`);
    // Delivery starts as soon as the scan is persisted: its first Slack call ends the scan's wall time.
    const firstPostAt = deliveryCalls.find((c) => c.method === "chat.postMessage")?.at ?? scanEndAt;

    // The digest tick: 100 team digests and the org digest, each with its 30-day chart in its thread.
    const digestBefore = slack.calls.length;
    const digestTickAt = Date.now();
    cron.fire("digest");
    check(running.scheduler.running().includes("digest"), "the digest tick did not start the digest job");
    await until(() => !running.scheduler.running().includes("digest"), "the digest job");
    const digestEndAt = Date.now();
    const digestCalls = slack.calls.slice(digestBefore);
    const digests = topLevelPosts(digestCalls);
    const completes = digestCalls.filter((c) => c.method === "files.completeUploadExternal" && c.ok);
    const expectedChannels = [...Array.from({ length: TEAMS }, (_, t) => channelOf(t)), SECURITY_CHANNEL];
    const perChannel = new Map<string, number>();
    for (const post of digests) perChannel.set(String(post.body.channel), (perChannel.get(String(post.body.channel)) ?? 0) + 1);
    const missing = expectedChannels.filter((c) => perChannel.get(c) !== 1);
    check(missing.length === 0 && digests.length === expectedChannels.length, `${missing.length} channels did not get exactly one digest (${missing.slice(0, 3).join(", ")}); ${digests.length} digests posted`);
    const charted = digests.filter((post) => completes.some((c) => c.body.channel_id === post.body.channel && c.body.thread_ts === post.ts));
    check(charted.length === digests.length, `${digests.length - charted.length} digests have no chart uploaded in their thread`);
    const uploadedBytes = [...slack.uploads.values()];
    check(uploadedBytes.length === digests.length && uploadedBytes.every((png) => png.subarray(1, 4).toString("latin1") === "PNG"), "a chart upload is missing or is not a PNG");
    const logged = count(db, "SELECT COUNT(*) AS n FROM outbox WHERE kind = 'digest.posted'");
    check(logged === expectedChannels.length, `${logged} digests recorded as posted, expected ${expectedChannels.length}`);

    // A second tick the same day (a restart, a duplicate cron): nothing is posted again.
    const secondBefore = slack.calls.length;
    cron.fire("digest");
    await until(() => !running.scheduler.running().includes("digest"), "the second digest job");
    const secondTickPosts = slack.calls.slice(secondBefore).filter((c) => c.method === "chat.postMessage" || c.method.startsWith("files.")).length;
    check(secondTickPosts === 0, `the second digest tick made ${secondTickPosts} posts or uploads`);

    const bucketsTotal = ACCOUNTS * PER_ACCOUNT.buckets;
    const s3PerBucket = [...aws.calls].filter(([op]) => op.startsWith("s3:Get")).reduce((a, [, n]) => a + n, 0) / bucketsTotal;
    const perAccount = accounts.map((a) => [...(aws!.callsByAccount.get(a.accountId)?.values() ?? [])].reduce((x, y) => x + y, 0));
    const slackCalls: Record<string, number> = {};
    for (const call of slack.calls) slackCalls[call.method] = (slackCalls[call.method] ?? 0) + 1;
    return {
      problems,
      figures: {
        estate: {
          accounts: ACCOUNTS, teams: TEAMS, buckets: bucketsTotal, principals: ACCOUNTS * (PER_ACCOUNT.users + PER_ACCOUNT.roles), awsLatencyMs: LATENCY_MS,
          slackRateLimit: `${POSTS_PER_SECOND_PER_CHANNEL} chat.postMessage/s per channel (Slack: ~1; scaled x${POSTS_PER_SECOND_PER_CHANNEL})`,
        },
        scan: {
          accountsScanned: accountsOk, resources: scanRow.resources, awsCalls: aws.totalCalls(),
          awsCallsPerResource: Number((aws.totalCalls() / scanRow.resources).toFixed(2)),
          awsCallsPerAccount: Math.round(perAccount.reduce((a, b) => a + b, 0) / ACCOUNTS),
          s3CallsPerBucket: Number(s3PerBucket.toFixed(2)),
          wallSeconds: seconds(firstPostAt - scanTickAt),
        },
        delivery: {
          findingsPosted: delivery.posted, messagesPosted: delivery.messages,
          groupedMessages: count(db, "SELECT COUNT(*) AS n FROM (SELECT DISTINCT channel, ts FROM slack_messages WHERE grouped = 1)"),
          channels: channelsWithFindings.size, busiestChannelMessages: Math.max(...[...channelsWithFindings].map((c) => deliveredPosts.filter((p) => p.body.channel === c).length)), deferred: delivery.deferred, wallSeconds: seconds(scanEndAt - firstPostAt),
        },
        digest: { digestsPosted: digests.length, chartsUploaded: charted.length, wallSeconds: seconds(digestEndAt - digestTickAt), secondTickPosts },
        slackCalls,
        http429: slack.count429,
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        cycleWallSeconds: seconds(digestEndAt - scanTickAt),
      },
    };
  } finally {
    await posture?.stop();
    await slack?.close();
    await aws?.close();
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { figures, problems } = await runCycleBench();
  console.log(JSON.stringify(figures, null, 2));
  for (const problem of problems) console.error(`cycle bench: ${problem}`);
  process.exitCode = problems.length > 0 ? 1 : 0;
}
