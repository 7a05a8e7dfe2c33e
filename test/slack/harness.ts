import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { SnapshotSource } from "../../src/app/scan.js";
import { SNAPSHOT_SCHEMA_VERSION, type Bucket, type Snapshot } from "../../src/core/snapshot.js";
import { startPosture, type RunningPosture, type StartOptions } from "../../src/main.js";
import { startFakeSlack, type FakeSlack, type FakeSlackOptions, type RecordedCall } from "../helpers/fake-slack/server.js";

export const SECRET = "8f742231b10e8888abcd99aaabbb85a5";
export const BOT_TOKEN = "xoxb-1111-2222-TESTTOKENSECRET";
export const CHANNELS = { payments: "C0PAYMENTS1", data: "C0DATA00001", security: "C0SECURITY1" };
export const ACCOUNT = "111122223333";

const rule = (id: string, severity: string, check: string, fw: string) => `id: ${id}
title: Title of ${id}
severity: ${severity}
resource: aws:s3:bucket
description: A description long enough.
risk: A risk long enough to explain.
check: ${check}
compliance: { ${fw}: ["1"] }
remediation: { console: "Open {{resource.name}} in the console", cli: "aws s3api put-bucket-versioning --bucket {{resource.name}}", terraform: "resource x {}", references: ["https://docs.aws.amazon.com/"] }
tests:
  - { name: passes, expect: pass, resource: { versioning: { status: Enabled, mfaDelete: Disabled }, logging: { targetBucket: l, targetPrefix: x }, encryption: { rules: [] } } }
  - { name: fails, expect: fail, resource: { versioning: { status: Suspended, mfaDelete: Disabled }, logging: null, encryption: null } }
`;

/** A temp working directory: three bucket rules, a config with two teams and a security channel. */
export function workspace(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "posture-slack-"));
  mkdirSync(join(dir, "rules", "s3"), { recursive: true });
  writeFileSync(join(dir, "rules", "frameworks.yaml"), `frameworks:\n  fw-a: { name: Framework A, version: "1", controls: { "1": "Control one" } }\n  fw-b: { name: Framework B, version: "1", controls: { "1": "Control one" } }\n`);
  writeFileSync(join(dir, "rules", "s3", "versioning.yaml"), rule("versioning", "critical", "{ path: versioning.status, equals: Enabled }", "fw-a"));
  writeFileSync(join(dir, "rules", "s3", "logging.yaml"), rule("logging", "high", "{ path: logging, exists: true }", "fw-a"));
  writeFileSync(join(dir, "rules", "s3", "encryption.yaml"), rule("encryption", "low", "{ path: encryption, exists: true }", "fw-b"));
  writeFileSync(join(dir, "posture.config.yml"), `accounts:\n  - id: "${ACCOUNT}"\n    name: prod\nteams:\n  - handle: payments\n    channel: ${CHANNELS.payments}\n    members: [U0ALICE001]\n  - handle: data\n    channel: ${CHANNELS.data}\nsecurityChannel: ${CHANNELS.security}\n`);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A temp working directory with the real rule catalog and the given posture.config.yml lines. */
export function catalogWorkspace(prefix: string, configLines: readonly string[]): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), `posture-${prefix}-`));
  cpSync(new URL("../../rules", import.meta.url), join(dir, "rules"), { recursive: true });
  writeFileSync(join(dir, "posture.config.yml"), [...configLines, ""].join("\n"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

type Blocks = { type?: string; text?: { text: string }; elements?: { action_id?: string; value?: string }[] }[];
/** The button (or other element) with this action id in a recorded post's blocks. */
export const buttonOf = (call: RecordedCall, actionId: string) => (call.body.blocks as Blocks).flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionId);
/** A recorded value as JSON text, to search for what a message says. */
export const textOf = (value: unknown) => JSON.stringify(value);
/** The fake Slack decodes form-encoded JSON arguments, so a view may arrive parsed or as text. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const viewOf = (call: RecordedCall): any => (typeof call.body.view === "string" ? JSON.parse(call.body.view) : call.body.view);

export function bucket(name: string, spec: { versioning?: boolean; logging?: boolean; encryption?: boolean; team?: string } = {}): Bucket {
  return {
    type: "aws:s3:bucket", arn: `arn:aws:s3:::${name}`, name, accountId: ACCOUNT, region: "eu-west-1", tags: spec.team ? { team: spec.team } : {},
    versioning: { status: spec.versioning === false ? "Suspended" : "Enabled", mfaDelete: "Disabled" },
    logging: spec.logging === false ? null : { targetBucket: "logs", targetPrefix: `${name}/` },
    encryption: spec.encryption === false ? null : { rules: [{ algorithm: "AES256", bucketKeyEnabled: false }] },
  };
}

export function snapshotOf(buckets: Bucket[]): Snapshot {
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION, collectedAt: new Date().toISOString(),
    accounts: [{ accountId: ACCOUNT, regions: ["eu-west-1"], status: "ok", startedAt: new Date().toISOString(), finishedAt: new Date().toISOString(), apiCalls: {}, errors: [] }],
    resources: buckets,
  };
}

export interface Harness {
  slack: FakeSlack;
  posture: RunningPosture;
  eventsUrl: string;
  logs: string[];
  setSnapshot(snapshot: Snapshot): void;
  /** Scans wait at collection until the returned function is called (to test joining a running scan). */
  holdScans(): () => void;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** The real app in HTTP mode on an ephemeral port, its WebClient pointed at the fake Slack (`slackOptions`: its user groups...). */
export async function startHarness(dir: string, overrides: Partial<StartOptions> = {}, slackOptions: FakeSlackOptions = {}): Promise<Harness> {
  const slack = await startFakeSlack(slackOptions);
  let snapshot = snapshotOf([]);
  let gate: Promise<void> = Promise.resolve();
  const logs: string[] = [];
  const destination = new Writable({ write(chunk, _enc, done) { logs.push(String(chunk)); done(); } });
  const env = {
    SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SECRET, PORT: "0", SLACK_API_URL: slack.apiUrl,
    POSTURE_DB_PATH: join(dir, "data", "posture.db"), POSTURE_RULES_DIR: "rules", POSTURE_SCAN_CRON: "off", POSTURE_LOG_LEVEL: "debug",
  };
  const start = () => startPosture({
    env, cwd: dir, host: "127.0.0.1", logDestination: destination,
    // No real cron ticks: a digest at 09:00 UTC would otherwise post into whatever test runs then.
    cron: { schedule: () => ({ stop: () => undefined }) },
    sourceFor: async (): Promise<SnapshotSource> => {
      await gate;
      return { kind: "snapshot", snapshot };
    },
    ...overrides,
  });
  const harness: Harness = {
    slack, logs, posture: await start(), eventsUrl: "",
    setSnapshot: (next) => void (snapshot = next),
    holdScans() {
      let release = () => {};
      gate = new Promise((resolve) => (release = resolve));
      return release;
    },
    async restart() {
      await harness.posture.stop();
      harness.posture = await start();
      harness.eventsUrl = urlOf(harness.posture);
    },
    async close() {
      await harness.posture.stop();
      await slack.close();
    },
  };
  harness.eventsUrl = urlOf(harness.posture);
  return harness;
}

function urlOf(posture: RunningPosture): string {
  return `http://127.0.0.1:${(posture.server!.address() as AddressInfo).port}/slack/events`;
}

/** Web API calls come after the HTTP ack (processBeforeResponse is off): poll the fake until they arrive. */
export async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
