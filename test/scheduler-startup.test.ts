import { EventEmitter } from "node:events";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import type { SnapshotSource } from "../src/app/scan.js";
import { onShutdownSignals, startPosture, type RunningPosture, type StartOptions } from "../src/main.js";
import { fakeCron } from "./helpers/fake-cron.js";
import { bucket, CHANNELS, snapshotOf, startHarness, waitFor, workspace, type Harness } from "./slack/harness.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const MONDAY_0900_PARIS = new Date("2026-11-02T08:00:00.000Z");

function ws() {
  const w = workspace();
  cleanups.push(w.cleanup);
  return w;
}

function consoleEnv(dir: string, scanCron = "0 * * * *") {
  return { POSTURE_SLACK_TRANSPORT: "console", POSTURE_DB_PATH: join(dir, "posture.db"), POSTURE_RULES_DIR: "rules", POSTURE_SCAN_CRON: scanCron, POSTURE_LOG_LEVEL: "silent" };
}

const scanCount = (dir: string) => {
  const db = new Database(join(dir, "posture.db"), { readonly: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM scans").get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe("start-up scan", () => {
  it("scans at start when there is no scan yet or the last is older than maxAgeMinutes, not when it is fresh", async () => {
    const { dir } = ws();
    let now = MONDAY_0900_PARIS;
    const start = (options: Partial<StartOptions> = {}) => startPosture({
      env: consoleEnv(dir), cwd: dir, out: () => {}, clock: () => now, cron: fakeCron().seam,
      sourceFor: async (): Promise<SnapshotSource> => ({ kind: "snapshot", snapshot: snapshotOf([bucket("pay-ledger", { team: "payments" })]) }), ...options,
    });
    const waitIdle = (p: RunningPosture) => waitFor(() => (p.scheduler.running().length === 0 ? true : undefined), "the start-up scan");

    let posture = await start();
    await waitIdle(posture);
    await posture.stop();
    expect(scanCount(dir)).toBe(1);

    now = new Date(MONDAY_0900_PARIS.getTime() + 30 * 60_000);
    posture = await start();
    expect(posture.scheduler.running()).toEqual([]);
    await posture.stop();
    expect(scanCount(dir)).toBe(1);

    now = new Date(MONDAY_0900_PARIS.getTime() + 61 * 60_000);
    posture = await start();
    expect(posture.scheduler.running()).toEqual(["scan"]);
    await waitIdle(posture);
    await posture.stop();
    expect(scanCount(dir)).toBe(2);
  });

  it("does not scan at start when scheduled scans are off", async () => {
    const { dir } = ws();
    const posture = await startPosture({ env: consoleEnv(dir, "off"), cwd: dir, out: () => {}, cron: fakeCron().seam });
    expect(posture.scheduler.running()).toEqual([]);
    await posture.stop();
  });
});

describe("the digest job on the fake Slack Web API", () => {
  it("posts each team's digest and the org digest once per day, even across a restart, with its chart", async () => {
    const { dir } = ws();
    let cron = fakeCron();
    const harness: Harness = await startHarness(dir, { clock: () => MONDAY_0900_PARIS, get cron() { return cron.seam; } } as Partial<StartOptions>);
    cleanups.push(() => harness.close());
    harness.setSnapshot(snapshotOf([bucket("pay-ledger", { versioning: false, team: "payments" }), bucket("data-lake", { logging: false, team: "data" })]));
    await harness.posture.runtime.scans.request("test").done;
    const findingPosts = harness.slack.callsOf("chat.postMessage").length;

    expect(cron.tasks.find((t) => t.name === "posture-digest")).toMatchObject({ expression: "0 9 * * 1-5", timezone: "UTC" });
    expect(await harness.posture.scheduler.runNow("digest")).toBe("ran");
    const digests = harness.slack.callsOf("chat.postMessage").slice(findingPosts);
    expect(digests.map((c) => c.body.channel)).toEqual([CHANNELS.payments, CHANNELS.data, CHANNELS.security]);
    expect(harness.slack.callsOf("files.completeUploadExternal").map((c) => c.body.channel_id)).toEqual([CHANNELS.payments, CHANNELS.data, CHANNELS.security]);
    expect(harness.slack.uploads.size).toBe(3);

    cron = fakeCron();
    await harness.restart();
    cron.fire("digest");
    await waitFor(() => (harness.posture.scheduler.running().length === 0 ? true : undefined), "the digest job");
    expect(harness.slack.callsOf("chat.postMessage").length).toBe(findingPosts + 3);
    expect(harness.logs.join("")).toContain("\"alreadyPosted\":3");
  });
});

describe("SIGTERM", () => {
  it("stops the jobs, waits for the running scan to commit, then exits 0", async () => {
    const { dir } = ws();
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const cron = fakeCron();
    const posture = await startPosture({
      env: consoleEnv(dir), cwd: dir, out: () => {}, cron: cron.seam, clock: () => MONDAY_0900_PARIS,
      sourceFor: async (): Promise<SnapshotSource> => {
        await gate;
        return { kind: "snapshot", snapshot: snapshotOf([bucket("pay-ledger", { versioning: false, team: "payments" })]) };
      },
    });
    expect(posture.scheduler.running()).toEqual(["scan"]);
    const signals = new EventEmitter();
    const exits: number[] = [];
    onShutdownSignals(signals as unknown as NodeJS.Process, posture, (code) => exits.push(code));

    signals.emit("SIGTERM");
    signals.emit("SIGINT");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(cron.tasks.every((t) => t.stopped)).toBe(true);
    expect(exits).toEqual([]);
    cron.fire("scan");
    expect(posture.scheduler.running()).toEqual(["scan"]);

    release();
    await waitFor(() => (exits.length > 0 ? true : undefined), "exit after the scan");
    expect(exits).toEqual([0]);
    expect(scanCount(dir)).toBe(1);
    expect(posture.db.open).toBe(false);
  });
});
