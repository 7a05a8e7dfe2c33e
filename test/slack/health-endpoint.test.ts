import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { HealthReport } from "../../src/app/health.js";
import type { SnapshotSource } from "../../src/app/scan.js";
import { POSTURE_VERSION, startPosture, type RunningPosture } from "../../src/main.js";
import { fakeCron } from "../helpers/fake-cron.js";
import { startFakeSlack } from "../helpers/fake-slack/server.js";
import { sendSlashCommand } from "../helpers/fake-slack/signed-requests.js";
import { BOT_TOKEN, bucket, SECRET, snapshotOf, waitFor, workspace } from "./harness.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const START = new Date("2026-11-02T08:00:00.000Z");

/** The real app in HTTP mode with an hourly scan schedule (maxAgeMinutes 60), on a clock the test moves. */
async function startHttpPosture() {
  const ws = workspace();
  cleanups.push(ws.cleanup);
  const slack = await startFakeSlack();
  cleanups.push(() => slack.close());
  const clock = { now: START };
  const posture = await startPosture({
    env: {
      SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SECRET, PORT: "0", SLACK_API_URL: slack.apiUrl,
      POSTURE_DB_PATH: join(ws.dir, "data", "posture.db"), POSTURE_RULES_DIR: "rules", POSTURE_SCAN_CRON: "0 * * * *", POSTURE_LOG_LEVEL: "silent",
    },
    cwd: ws.dir, host: "127.0.0.1", clock: () => clock.now, cron: fakeCron().seam,
    sourceFor: async (): Promise<SnapshotSource> => ({ kind: "snapshot", snapshot: snapshotOf([bucket("pay-ledger", { team: "payments" })]) }),
  });
  cleanups.push(() => posture.stop());
  // No scan yet: the start-up scan runs; wait for it so the database holds one completed scan.
  await waitFor(() => (posture.scheduler.running().length === 0 ? true : undefined), "the start-up scan");
  return { posture, clock, base: baseUrl(posture) };
}

const baseUrl = (posture: RunningPosture) => `http://127.0.0.1:${(posture.server!.address() as AddressInfo).port}`;

describe("GET /healthz in HTTP mode", () => {
  it("answers 200 JSON without a Slack signature: status, database, last scan, outbox, jobs, version", async () => {
    const { base } = await startHttpPosture();
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await response.json()) as HealthReport;
    expect(body).toMatchObject({
      status: "ok", version: POSTURE_VERSION, checkedAt: START.toISOString(), problems: [],
      database: { reachable: true, schemaVersion: expect.any(Number) },
      lastScan: { finishedAt: START.toISOString(), ageMinutes: 0, maxAgeMinutes: 60, scheduled: true },
      outbox: { due: expect.any(Number) },
    });
    expect(body.database.schemaVersion).toBeGreaterThan(0);
    expect(body.jobs.map((job) => job.name)).toEqual(["scan", "digest", "prune", "mute-expiry"]);
    expect(body.jobs[0]).toEqual({ name: "scan", cron: "0 * * * *", timeZone: "UTC", running: false, nextRunAt: null });
    // Nothing sensitive: no token, secret, channel or bucket name.
    const text = JSON.stringify(body);
    for (const secret of [BOT_TOKEN, SECRET, "C0PAYMENTS1", "pay-ledger"]) expect(text).not.toContain(secret);
  });

  it("answers 503 failing when the last scan is older than 3x maxAgeMinutes, 200 degraded when just late", async () => {
    const { clock, base } = await startHttpPosture();
    clock.now = new Date(START.getTime() + 90 * 60_000);
    const late = await fetch(`${base}/healthz`);
    expect(late.status).toBe(200);
    expect(await late.json()).toMatchObject({ status: "degraded", problems: ["last scan older than maxAgeMinutes"], lastScan: { ageMinutes: 90 } });

    clock.now = new Date(START.getTime() + 181 * 60_000);
    const stale = await fetch(`${base}/healthz`);
    expect(stale.status).toBe(503);
    expect(await stale.json()).toMatchObject({ status: "failing", problems: ["last scan older than 3x maxAgeMinutes"], lastScan: { ageMinutes: 181 } });
    // A stale scan does not stop Posture answering Slack: /readyz stays ready.
    const ready = await fetch(`${base}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { ready: true }]);
  });

  it("/slack/events still needs a valid signature while /healthz needs none", async () => {
    const { base } = await startHttpPosture();
    const url = `${base}/slack/events`;
    const command = { text: "help", responseUrl: `${base}/nowhere` };
    expect((await sendSlashCommand({ url, secret: SECRET, unsigned: true }, command)).status).toBe(401);
    expect((await sendSlashCommand({ url, secret: "0000000000000000ffffffffffffffff" }, command)).status).toBe(401);
    expect((await sendSlashCommand({ url, secret: SECRET }, command)).status).toBe(200);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
