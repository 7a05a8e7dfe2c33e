import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { snapshotSchema } from "../../src/core/snapshot.js";
import { generateDataset } from "../helpers/fake-aws/dataset.js";
import { startFakeAws, type FakeAws } from "../helpers/fake-aws/server.js";

const ROOT = new URL("../../", import.meta.url).pathname;

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", "src/cli.ts", ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env } });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("posture collect against an AWS_ENDPOINT_URL emulator (end to end)", () => {
  const dataset = generateDataset({ buckets: 25, users: 12, roles: 4, groups: 3, policies: 5 });
  let fake: FakeAws;
  let dir: string;

  beforeAll(async () => {
    fake = await startFakeAws({ dataset, faults: { accessDeniedBuckets: ["posture-bucket-00003"] } });
    dir = mkdtempSync(join(tmpdir(), "posture-e2e-"));
  });
  afterAll(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sends every client (STS, IAM, S3 path-style, S3 Control) to the endpoint and writes a valid snapshot", async () => {
    const config = join(dir, "posture.config.yml");
    writeFileSync(config, `accounts:\n  - id: "${dataset.accountId}"\n    name: emulator\nscan:\n  maxAttempts: 1\n  concurrency: 8\n`);
    const out = join(dir, "snapshot.json");
    const { code, stderr } = await runCli(["collect", "--out", out, "--config", config], {
      AWS_ENDPOINT_URL: fake.url, AWS_ACCESS_KEY_ID: "AKIDE2ETEST", AWS_SECRET_ACCESS_KEY: "e2e-secret", AWS_REGION: "us-east-1",
    });
    expect(code, stderr).toBe(0);

    const snapshot = snapshotSchema.parse(JSON.parse(readFileSync(out, "utf8")));
    const buckets = snapshot.resources.filter((r) => r.type === "aws:s3:bucket");
    expect(buckets).toHaveLength(25);
    expect(snapshot.resources.filter((r) => r.type === "aws:iam:user")).toHaveLength(12);
    expect(snapshot.resources.find((r) => r.type === "aws:s3:account")).toMatchObject({ publicAccessBlock: { blockPublicAcls: true, restrictPublicBuckets: false } });
    expect(snapshot.accounts).toEqual([expect.objectContaining({ accountId: dataset.accountId, name: "emulator", status: "partial" })]);
    // The injected AccessDenied bucket is unknown with its reason, never a silent default.
    expect(buckets.find((b) => b.name === "posture-bucket-00003")).toMatchObject({ tags: { $unknown: "AccessDenied: Access Denied" } });

    for (const operation of ["sts:GetCallerIdentity", "iam:GetAccountAuthorizationDetails", "s3:ListBuckets", "s3control:GetPublicAccessBlock", "s3:GetBucketTagging"]) {
      expect(fake.calls.get(operation), operation).toBeGreaterThan(0);
    }
    expect(snapshot.accounts[0]!.apiCalls["s3:GetBucketTagging"]).toBe(fake.calls.get("s3:GetBucketTagging"));
  }, 60_000);
});
