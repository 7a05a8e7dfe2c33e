import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { generateSnapshot } from "../../bench/generate.js";
import { runCli } from "../../src/cli/run.js";
import { writeSnapshotFile } from "../../src/cli/snapshot-file.js";

// The CLI in-process with captured output: the same code as `posture`, without a process per case.
const root = fileURLToPath(new URL("../../", import.meta.url));
const DEMO = ["--snapshot", join(root, "demo/demo-snapshot.json"), "--config", join(root, "demo/posture.config.yml"), "--now", "2026-11-02T08:00:00Z"];

/** `posture scan` persists by default: each call gets its own database unless the case names one (never ./data). */
const freshDb = () => join(mkdtempSync(join(tmpdir(), "posture-run-db-")), "posture.db");

async function posture(args: string[], cwd = root, env: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    out: (text) => void (stdout += text), err: (text) => void (stderr += text), color: false, env: { POSTURE_DB_PATH: freshDb(), ...env }, cwd,
    clock: () => new Date("2026-11-02T08:00:00Z"),
  });
  return { code, stdout, stderr };
}

function expectOneLineError(run: Awaited<ReturnType<typeof posture>>, ...fragments: string[]) {
  expect(run.code).toBe(2);
  const lines = run.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  for (const fragment of fragments) expect(lines[0]).toContain(fragment);
}

const scratch = mkdtempSync(join(tmpdir(), "posture-run-"));
const file = (name: string, text: string) => {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
};

describe("runCli", () => {
  it("--severity high keeps critical and high findings only", async () => {
    const run = await posture(["scan", ...DEMO, "--format", "json", "--severity", "high"]);
    const severities = new Set(JSON.parse(run.stdout).findings.map((f: { severity: string }) => f.severity));
    expect([...severities].sort()).toEqual(["critical", "high"]);
  });

  it("--rule lists every resource of that rule in the table", async () => {
    const run = await posture(["scan", ...DEMO, "--rule", "s3-bucket-object-lock"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/S3 bucket has Object Lock enabled {2}\[s3-bucket-object-lock\] · \d+/);
    expect(run.stdout).not.toContain("… and");
  });

  it("./posture.config.yml is read by default from the working directory", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "posture-cwd-"));
    writeFileSync(join(cwd, "posture.config.yml"), "rules: { disabled: nope }\n");
    expectOneLineError(await posture(["scan", "--snapshot", DEMO[1]!], cwd), "invalid configuration", "posture.config.yml: rules.disabled");
  });

  it("an invalid rule catalog lists every problem with its file on one line", async () => {
    const rules = mkdtempSync(join(tmpdir(), "posture-rules-"));
    writeFileSync(join(rules, "frameworks.yaml"), "frameworks:\n  fw: { name: F, version: '1', controls: { '1': Control one } }\n");
    writeFileSync(join(rules, "broken-rule.yaml"), "id: other-id\ntitle: Hi\n");
    expectOneLineError(await posture(["--rules", rules, "rules"]), "invalid rule catalog", "broken-rule.yaml: title", "broken-rule.yaml: tests");
  });

  it.each([
    ["not JSON", () => file("not-json.json", "{ nope"), "is not valid JSON"],
    ["missing", () => join(scratch, "missing.json"), "ENOENT"],
  ])("a snapshot file that is %s", async (_name, path, fragment) => {
    expectOneLineError(await posture(["scan", "--snapshot", path()]), fragment);
  });

  it.each([
    [["scan", "--format", "xml"], "xml"],
    [["scan", "--fail-on", "urgent", ...DEMO], "--fail-on: expected one of critical, high, medium, low, info"],
    [["scan", "--now", "soon", ...DEMO.slice(0, 4)], "--now: expected an ISO date"],
    [["scan", "--severity", "high,urgent", ...DEMO], "--severity: expected one of"],
    [["scan", "--rule", "no-such-rule", ...DEMO], "--rule: unknown rule id \"no-such-rule\""],
    [["rules", "--framework", "nope"], "unknown framework \"nope\""],
    [["collect"], "required option '-o, --out <file>'"],
    [["collect", "--out", "x.json", "--account", "prod"], "--account: expected 12-digit AWS account ids, received \"prod\""],
    [["scan", ...DEMO, "--account", "111122223333"], "--account applies to live collection"],
    [["scan", "--config", DEMO[3]!, "--account", "999999999999"], "--account: 999999999999 not in the configuration (configured: 111122223333, 444455556666)"],
  ])("%j is a usage error", async (args, fragment) => {
    const run = await posture(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(fragment);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("--help documents the exit codes", async () => {
    const run = await posture(["scan", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("--fail-on <severity>");
    expect(run.stdout).toContain("3  --fail-on SEVERITY");
  });

  it("rules lists the catalog, most severe first, and a framework's controls", async () => {
    const all = await posture(["rules"]);
    expect(all.stdout).toMatch(/^\d+ rules$/m);
    expect(all.stdout).toMatch(/^critical +[a-z0-9-]+ +aws:/m);
    const cis = await posture(["rules", "--framework", "cis-aws-3.0"]);
    expect(cis.stdout).toMatch(/rules mapped to .*CIS/);
    expect(cis.stdout).toMatch(/\(1\.\d+/);
  });
});

describe("scan persists by default", () => {
  it("records the scan, then score and findings read it back, and a second scan finds nothing new", async () => {
    const snapshotPath = join(scratch, "one-account.json");
    await writeSnapshotFile(snapshotPath, generateSnapshot({ size: 300, resourcesPerAccount: 300 }));
    const env = { POSTURE_DB_PATH: join(scratch, "state.db") };
    const scan = ["scan", "--snapshot", snapshotPath, "--now", "2026-11-02T08:00:00Z", "--format", "json"];
    const first = await posture(scan, scratch, env);
    expect(first.code).toBe(0);
    const failing = JSON.parse(first.stdout).findings.length;
    expect(first.stderr).toMatch(new RegExp(`posture: saved scan \\S+ to .*state\\.db: ${failing} new, 0 reopened`));
    expect((await posture(scan, scratch, env)).stderr).toMatch(/: 0 new, 0 reopened, 0 resolved/);
    expect((await posture(["score"], scratch, env)).stdout).toMatch(/Posture score \(org\): \d+\.\d %/);
    expect((await posture(["findings", "--severity", "critical"], scratch, env)).code).toBe(0);
  });

  it("the demo's two accounts persist (AWS managed policies once per account), and the same demo again is a new scan", async () => {
    const env = { POSTURE_DB_PATH: join(scratch, "demo.db") };
    const first = await posture(["scan", ...DEMO, "--format", "csv"], scratch, env);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/posture: saved scan 20261102T080000Z-[0-9a-f]{8} to .*demo\.db: [1-9]\d* new, 0 reopened/);
    const second = await posture(["scan", ...DEMO, "--format", "csv"], scratch, env);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/posture: saved scan 20261102T080000Z-[0-9a-f]{8} to .*demo\.db: 0 new, 0 reopened, 0 resolved, 0 resolved as deleted/);
    const admin = await posture(["findings", "--rule", "iam-aws-managed-policy-no-admin", "--format", "csv"], scratch, env);
    expect(admin.stdout.match(/arn:aws:iam::aws:policy\/AdministratorAccess@\d{12}/g)?.sort()).toEqual([
      "arn:aws:iam::aws:policy/AdministratorAccess@111122223333", "arn:aws:iam::aws:policy/AdministratorAccess@444455556666",
    ]);
  });

  it("--no-persist writes nothing; --persist is still accepted", async () => {
    const env = { POSTURE_DB_PATH: join(scratch, "never.db") };
    const run = await posture(["scan", ...DEMO, "--format", "csv", "--no-persist"], scratch, env);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain("saved scan");
    expect(existsSync(env.POSTURE_DB_PATH)).toBe(false);
    const explicit = { POSTURE_DB_PATH: join(scratch, "explicit.db") };
    expect((await posture(["scan", ...DEMO, "--format", "csv", "--persist"], scratch, explicit)).stderr).toContain("saved scan");
  });
});
