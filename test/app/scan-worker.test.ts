import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSnapshot } from "../../bench/generate.js";
import { loadSnapshotFile, writeSnapshotFile } from "../../src/cli/snapshot-file.js";
import { loadCatalog } from "../../src/rules-files.js";
import { openDatabase, type Db } from "../../src/db/open.js";
import { loadConfig } from "../../src/config.js";
import { runScan, runScanInWorker, snapshotFileSource, workerRecipeOf, type ScanSpec } from "../../src/scan-worker.js";
import { sendSlashCommand } from "../helpers/fake-slack/signed-requests.js";
import { SECRET, startHarness, workspace, type Harness } from "../slack/harness.js";

// Large enough that the scan's persisting transaction takes seconds on the test machine.
const SIZE = 60_000;
const ws = workspace();
const files = mkdtempSync(join(tmpdir(), "posture-scan-worker-"));
const snapshotPath = join(files, "snapshot.json");
const clock = () => new Date("2026-11-27T10:00:00.000Z");

function specOf(scanId: string): ScanSpec {
  const config = loadConfig({}, { path: "posture.config.yml", text: readFileSync(join(ws.dir, "posture.config.yml"), "utf8") });
  return { config, rules: loadCatalog(`${join(ws.dir, "rules")}/`).rules, trigger: "test", scanId, holder: { holder: `h-${scanId}`, pid: process.pid, host: "test" }, now: clock() };
}

function findingsOf(db: Db): unknown[] {
  return db.prepare("SELECT rule_id, resource_arn, team, severity, status, last_result, first_seen, opened_at FROM findings ORDER BY rule_id, resource_arn").all();
}

beforeAll(async () => {
  await writeSnapshotFile(snapshotPath, generateSnapshot({ size: SIZE, resourcesPerAccount: 10_000 }));
}, 60_000);
afterAll(() => {
  rmSync(files, { recursive: true, force: true });
  ws.cleanup();
});

describe("scans in a worker thread (src/scan-worker.ts)", () => {
  it("persists the same result in the worker as in-process", async () => {
    const workerDb = openDatabase(join(files, "worker.db")).db;
    const inProcessDb = openDatabase(join(files, "in-process.db")).db;
    try {
      const source = snapshotFileSource(snapshotPath);
      expect(workerRecipeOf(source)).toEqual({ kind: "snapshot-file", path: snapshotPath });
      const inWorker = await runScan(workerDb, source, specOf("scan-a"), clock);
      const inProcess = await runScan(inProcessDb, { kind: "snapshot", snapshot: await loadSnapshotFile(snapshotPath) }, specOf("scan-a"), clock);
      expect(inWorker.ran).toBe("worker");
      expect(inProcess.ran).toBe("in-process");
      expect(inWorker.persisted.transitions.new).toBeGreaterThan(1000);
      expect({ ...inWorker, ran: undefined }).toEqual({ ...inProcess, ran: undefined });
      expect(findingsOf(workerDb)).toEqual(findingsOf(inProcessDb));
    } finally {
      workerDb.close();
      inProcessDb.close();
    }
  }, 120_000);

  it("reports a failed scan with its message (unreadable snapshot), and releases the lease", async () => {
    const { db } = openDatabase(join(files, "failing.db"));
    try {
      await expect(runScan(db, snapshotFileSource(join(files, "missing.json")), specOf("scan-b"), clock)).rejects.toThrow(/cannot read snapshot .*missing\.json: ENOENT/);
      expect(db.prepare("SELECT COUNT(*) AS n FROM scan_lock").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it("turns a crashed worker (out of memory) into a failed scan, not a hang", async () => {
    const { db } = openDatabase(join(files, "crashing.db"));
    db.close();
    const job = { dbPath: join(files, "crashing.db"), recipe: { kind: "snapshot-file" as const, path: snapshotPath }, spec: specOf("scan-c"), clockOffsetMs: 0 };
    await expect(runScanInWorker(job, { maxOldGenerationSizeMb: 16 })).rejects.toThrow(/scan worker (crashed|exited)/);
  }, 60_000);
});

describe("Slack stays responsive while a large scan persists in the worker", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(ws.dir, { sourceFor: async () => snapshotFileSource(snapshotPath) });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("answers a signed /posture score in well under 3 s during the scan", async () => {
    const started = Date.now();
    const scan = h.posture.runtime.scans.request("test").done;
    const latencies: number[] = [];
    let finished = false;
    void scan.finally(() => (finished = true)).catch(() => undefined);
    while (!finished) {
      const sent = Date.now();
      const response = await sendSlashCommand({ url: h.eventsUrl, secret: SECRET }, { text: "score", responseUrl: h.slack.responseUrl("score") });
      const took = Date.now() - sent;
      expect(response.status).toBe(200);
      expect(JSON.stringify(await response.json())).toContain("ephemeral");
      if (!finished) latencies.push(took);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const result = await scan;
    const scanMs = Date.now() - started;
    console.log(`scan of ${SIZE} resources: ${scanMs} ms; /posture score during it: ${latencies.length} requests, max ${Math.max(...latencies)} ms`);
    expect(result.transitions.new).toBeGreaterThan(1000);
    expect(h.logs.join("")).toContain('"ran":"worker"');
    expect(latencies.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...latencies)).toBeLessThan(2500);
  }, 120_000);
});
