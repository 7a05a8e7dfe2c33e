import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDataset } from "../helpers/fake-aws/dataset.js";
import { startFakeAws, type FakeAws } from "../helpers/fake-aws/server.js";

// The whole live path, end to end: the real CLI in a child process, the real AWS adapter, and a fake
// AWS endpoint in this process that answers in AWS's wire formats (AWS_ENDPOINT_URL, as with LocalStack).
const root = fileURLToPath(new URL("../../", import.meta.url));
const TSX = pathToFileURL(join(root, "node_modules/tsx/dist/loader.mjs")).href;
const dataset = generateDataset({ buckets: 12, users: 20, roles: 4, groups: 2, policies: 3 });
const denied = dataset.buckets[1]!.name;
const cwd = mkdtempSync(join(tmpdir(), "posture-live-"));
writeFileSync(join(cwd, "posture.config.yml"), `accounts:\n  - id: "${dataset.accountId}"\n    name: fake-prod\nregions: [us-east-1, eu-west-1]\nscan: { maxAttempts: 2 }\n`);

let fake: FakeAws;
beforeAll(async () => {
  fake = await startFakeAws({ dataset, faults: { accessDeniedBuckets: [denied] } });
});
afterAll(async () => fake.close());

function posture(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // `posture scan` persists by default: a database per run, so concurrent scans never wait for one lock.
  const env = { ...process.env, POSTURE_DB_PATH: join(mkdtempSync(join(tmpdir(), "posture-live-db-")), "posture.db"), AWS_ENDPOINT_URL: fake.url, AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "secret", AWS_REGION: "us-east-1" };
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", TSX, join(root, "src/cli.ts"), ...args], { cwd, env }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe("posture against a fake AWS endpoint", () => {
  it("scan collects live, reports findings and the AccessDenied bucket as coverage, progress on stderr", async () => {
    const run = await posture(["scan", "--format", "json"]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.coverage.accounts).toMatchObject([{ accountId: dataset.accountId, status: "partial" }]);
    expect(report.coverage.byReason.some((r: { key: string }) => r.key.includes("AccessDenied"))).toBe(true);
    expect(run.stderr).toContain("posture: collecting from AWS");
  });

  it("collect then scan --snapshot gives the same report", async () => {
    const out = join(cwd, "snapshot.json");
    const collect = await posture(["collect", "--out", out]);
    expect(collect.code).toBe(0);
    expect(collect.stderr).toMatch(/posture: wrote .*snapshot\.json: \d+ resources from 1 account/);
    const [fromFile, live] = await Promise.all([posture(["scan", "--snapshot", out, "--format", "csv"]), posture(["scan", "--format", "csv"])]);
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout.split("\r\n").length).toBe(live.stdout.split("\r\n").length);
  });

  it("--account selects configured accounts", async () => {
    const run = await posture(["collect", "--out", join(cwd, "one.json"), "--account", dataset.accountId]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/from 1 account/);
  });

  it("--rule makes the collector fetch only what that rule reads", async () => {
    fake.calls.clear();
    const run = await posture(["scan", "--rule", "s3-bucket-versioning", "--format", "json"]);
    expect(run.code).toBe(0);
    expect(fake.calls.get("s3:GetBucketVersioning")).toBe(dataset.buckets.length);
    expect(fake.calls.has("s3:GetBucketAcl")).toBe(false);
    expect(fake.calls.has("s3:GetBucketPolicy")).toBe(false);
  });
});
