import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";

// The real `posture` process, as a user or a CI job runs it. Other cases run in-process (run-cli.test.ts).
const root = fileURLToPath(new URL("../../", import.meta.url));
// tsx's loader by absolute URL, so that the CLI also starts from a scratch working directory.
const TSX = pathToFileURL(join(root, "node_modules/tsx/dist/loader.mjs")).href;
const DEMO = ["--snapshot", "demo/demo-snapshot.json", "--config", "demo/posture.config.yml", "--now", "2026-11-02T08:00:00Z"];

interface Run { code: number; stdout: string; stderr: string }

/** `posture scan` persists by default: each run gets its own database (never the repository's ./data). */
const freshDb = () => join(mkdtempSync(join(tmpdir(), "posture-cli-db-")), "posture.db");

function posture(args: string[], cwd = root, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", TSX, join(root, "src/cli.ts"), ...args], { cwd, env: { ...process.env, FORCE_COLOR: "0", POSTURE_DB_PATH: freshDb(), ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const scratch = mkdtempSync(join(tmpdir(), "posture-cli-"));
const file = (name: string, text: string) => {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
};

const expectOneLineError = (run: Run, ...fragments: string[]) => {
  expect(run.code).toBe(2);
  const lines = run.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  for (const fragment of fragments) expect(lines[0]).toContain(fragment);
  expect(run.stderr).not.toMatch(/\n\s+at /);
};

describe("posture scan on the demo snapshot", { concurrent: true }, () => {
  let json: Promise<Run> | undefined;
  const demoJson = () => (json ??= posture(["scan", ...DEMO, "--format", "json"]));

  it("prints the readable report: severity groups, score, fix first, coverage", async () => {
    const run = await posture(["scan", ...DEMO]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^CRITICAL · \d+ findings?$/m);
    expect(run.stdout).toMatch(/^HIGH · \d+ findings?$/m);
    expect(run.stdout).toMatch(/^Posture score {2}\d{1,3}\.\d %$/m);
    expect(run.stdout).toContain("acme-staging (444455556666)");
    expect(run.stdout).toContain("Fix first");
    expect(run.stdout).toMatch(/Coverage {2}\d+ evaluations? not possible/);
    expect(run.stdout).not.toContain("\u001b[");
    expect(run.stderr).toMatch(/^posture: \d+ rules, [\d,]+ evaluations/);
  });

  it("--format json prints the full report", async () => {
    const run = await demoJson();
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.score).toBeGreaterThan(0);
    expect(report.coverage.accounts.map((a: { accountId: string }) => a.accountId)).toEqual(["111122223333", "444455556666"]);
    expect(report.evaluatedAt).toBe("2026-11-02T08:00:00.000Z");
  });

  it("--format csv prints one row per failing finding", async () => {
    const [csvRun, jsonRun] = await Promise.all([posture(["scan", ...DEMO, "--format", "csv"]), demoJson()]);
    const rows = parse(csvRun.stdout, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(JSON.parse(jsonRun.stdout).findings.length);
    expect(Object.keys(rows[0]!)).toEqual(["severity", "rule_id", "title", "account_id", "region", "resource_type", "resource_name", "resource_arn", "evidence", "qualifiers", "rule_severity", "severity_reason"]);
  });

  it.each([
    ["a critical finding fails", ["--fail-on", "critical"], 3],
    ["only low and info rules are selected (a comma list is exact)", ["--severity", "low,info", "--fail-on", "critical"], 0],
  ])("--fail-on exits %s", async (_name, args, code) => {
    const run = await posture(["scan", ...DEMO, "--format", "json", ...args]);
    expect(run.code).toBe(code);
    expect(() => JSON.parse(run.stdout)).not.toThrow();
  });
});

describe("posture errors", { concurrent: true }, () => {
  it("a malformed snapshot names the file and the first problems", async () => {
    const path = file("bad-snapshot.json", JSON.stringify({ schemaVersion: 1, collectedAt: "yesterday", accounts: [], resources: [{ type: "aws:s3:bucket", arn: "arn:aws:s3:::x", name: "x", accountId: "12", region: "us-east-1" }] }));
    expectOneLineError(await posture(["scan", "--snapshot", path]), `snapshot ${path} is not a valid Posture snapshot`, "collectedAt", "resources[0].accountId (arn:aws:s3:::x)");
  });

  it("a malformed configuration lists every problem on one line", async () => {
    const path = file("bad.yml", "accounts:\n  - id: 1234\n    regions: [mars]\nscan: { concurrency: 0 }\n");
    expectOneLineError(await posture(["--config", path, "scan", ...DEMO.slice(0, 2)]), "invalid configuration", "accounts[0].id", "accounts[0].regions[0]", "scan.concurrency");
  });

  it("an unknown command prints usage", async () => {
    const run = await posture(["bogus"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown command 'bogus'");
    expect(run.stderr).toContain("Usage: posture");
  });
});

describe("bin/posture.js", () => {
  it("launches the TypeScript CLI through tsx (what `npx posture` runs)", async () => {
    const run = await new Promise<Run>((resolve) => {
      execFile(process.execPath, [join(root, "bin/posture.js"), "scan", ...DEMO, "--format", "csv", "--fail-on", "critical"], { cwd: root, env: { ...process.env, POSTURE_DB_PATH: freshDb() } }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
      });
    });
    expect(run.code).toBe(3);
    expect(run.stdout.startsWith("severity,rule_id,title,")).toBe(true);
  });
});

describe("live collection", { concurrent: true }, () => {
  // An endpoint where nothing listens: the collector records the failure per account, and the CLI
  // must not present "no failing findings" as a result.
  const unreachable = { AWS_ENDPOINT_URL: "http://127.0.0.1:9", AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "secret", AWS_REGION: "us-east-1" };

  it("scan exits 4 and shows the failed account when no account could be collected", async () => {
    const run = await posture(["scan"], mkdtempSync(join(tmpdir(), "posture-live-")), unreachable);
    expect(run.code).toBe(4);
    expect(run.stdout).toContain("Nothing was evaluated.");
    expect(run.stdout).toMatch(/account \S+ failed: sts GetCallerIdentity/);
    expect(run.stderr).toContain("posture: collecting from AWS");
    expect(run.stderr).toContain("no account could be collected");
  });

  it("collect writes the snapshot with the failure and exits 4", async () => {
    const out = join(scratch, "live.json");
    const run = await posture(["collect", "--out", out], mkdtempSync(join(tmpdir(), "posture-live-")), unreachable);
    expect(run.code).toBe(4);
    expect(run.stdout).toBe("");
    const snapshot = JSON.parse(readFileSync(out, "utf8"));
    expect(snapshot.accounts[0]).toMatchObject({ status: "failed", errors: [{ service: "sts", operation: "GetCallerIdentity" }] });
  });
});
