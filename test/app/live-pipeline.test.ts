import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startPosture, type RunningPosture } from "../../src/main.js";
import { generateDataset } from "../helpers/fake-aws/dataset.js";
import { startFakeAws, type FakeAws } from "../helpers/fake-aws/server.js";

// The production path of `npm start` with no injected source: the live AWS collector (rebuilt in the
// scan worker from configuration) against an AWS_ENDPOINT_URL emulator, then delivery (console).
const dataset = generateDataset({ buckets: 12, users: 6, roles: 3, groups: 2, policies: 3 });
let fake: FakeAws;
let dir: string;
let running: RunningPosture | undefined;
const printed: string[] = [];

// The SDK's default credential chain reads the process environment (as in production, where the
// environment passed to startPosture is process.env).
const AWS_ENV = { AWS_ACCESS_KEY_ID: "AKIDLIVETEST", AWS_SECRET_ACCESS_KEY: "live-secret", AWS_REGION: "us-east-1" };
const saved = Object.fromEntries(Object.keys(AWS_ENV).map((k) => [k, process.env[k]]));

beforeAll(async () => {
  Object.assign(process.env, AWS_ENV);
  fake = await startFakeAws({ dataset });
  dir = mkdtempSync(join(tmpdir(), "posture-live-"));
  writeFileSync(join(dir, "posture.config.yml"), `accounts:\n  - id: "${dataset.accountId}"\n    name: emulator\nscan:\n  maxAttempts: 1\nsecurityChannel: "#security"\n`);
});
afterAll(async () => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await running?.stop();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

it("scans the emulated account in the worker, records the findings and delivers them", async () => {
  running = await startPosture({
    cwd: dir,
    out: (text) => printed.push(text),
    env: {
      POSTURE_SLACK_TRANSPORT: "console", POSTURE_SCAN_CRON: "off", POSTURE_LOG_LEVEL: "silent", POSTURE_DB_PATH: join(dir, "posture.db"),
      AWS_ENDPOINT_URL: fake.url, ...AWS_ENV,
    },
  });
  const result = await running.runtime.scans.request("test").done;
  expect(result.written).toBe(true);
  expect(result.transitions.new).toBeGreaterThan(0);
  expect(fake.calls.get("iam:GetAccountAuthorizationDetails")).toBeGreaterThan(0);
  const findings = running.db.prepare("SELECT COUNT(*) FROM findings WHERE status = 'open'").pluck().get() as number;
  expect(findings).toBe(result.transitions.new);
  expect(printed.join("\n")).toContain("would post to #security");
}, 60_000);
