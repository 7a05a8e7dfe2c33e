import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SnapshotSource } from "../../src/app/scan.js";
import type { AccountCoverage, Snapshot } from "../../src/core/snapshot.js";
import { sendSlashCommand } from "../helpers/fake-slack/signed-requests.js";
import { validateBlocks } from "../helpers/slack-schemas.js";
import { bucket, SECRET, snapshotOf, startHarness, workspace, type Harness } from "./harness.js";

// A discovered account where only the data team owns resources; the second scan cannot read it.
const SANDBOX = "444444444444";
const ws = workspace();
let h: Harness;
let scans = 0;
const target = () => ({ url: h.eventsUrl, secret: SECRET });

function scanOf(sandbox: AccountCoverage["status"]): Snapshot {
  const snapshot = snapshotOf([
    bucket("pay-a", { team: "payments", versioning: false }),
    ...(sandbox === "ok" ? [{ ...bucket("data-sandbox", { team: "data", versioning: false }), arn: "arn:aws:s3:::data-sandbox", accountId: SANDBOX }] : []),
  ]);
  snapshot.accounts.push({
    accountId: SANDBOX, name: "sandbox", regions: ["eu-west-1"], status: sandbox, startedAt: snapshot.collectedAt, finishedAt: snapshot.collectedAt, apiCalls: {},
    errors: sandbox === "ok" ? [] : [{ service: "sts", operation: "GetCallerIdentity", code: "AccessDenied", message: "not authorized to perform: sts:AssumeRole" }],
    resourceTypes: sandbox === "ok" ? ["aws:s3:bucket"] : [],
  });
  return snapshot;
}

async function scoreBlocks(text: string): Promise<string> {
  const response = await sendSlashCommand(target(), { text, responseUrl: h.slack.responseUrl(text) });
  const body = await response.json() as { blocks: unknown[] };
  expect(validateBlocks(body.blocks), JSON.stringify(validateBlocks.errors)).toBe(true);
  return JSON.stringify(body.blocks);
}

beforeAll(async () => {
  h = await startHarness(ws.dir, {
    sourceFor: async (): Promise<SnapshotSource> => ({ kind: "snapshot", snapshot: scanOf(scans++ === 0 ? "ok" : "failed") }),
  });
  await h.posture.runtime.scans.request("test").done;
  await h.posture.runtime.scans.request("test").done;
});
afterAll(async () => {
  await h.close();
  ws.cleanup();
});

describe("/posture score <team> shows the coverage of the team's accounts", () => {
  it("a team whose accounts were all read sees them complete, not the organisation's failed account", async () => {
    const text = await scoreBlocks("score payments");
    expect(text).toContain("*Coverage* (accounts where payments owns resources): the account was collected completely by the latest scan");
    expect(text).not.toContain(SANDBOX);
  });

  it("a team owning resources in the account the latest scan could not read sees that account", async () => {
    const text = await scoreBlocks("score data");
    expect(text).toContain("*Coverage* (accounts where data owns resources): 0 of 1 account complete");
    expect(text).toContain(`${SANDBOX} (sandbox): failed: AccessDenied`);
  });

  it("the organisation's score still shows every account", async () => {
    expect(await scoreBlocks("score")).toContain("*Coverage*: 1 of 2 accounts complete");
  });
});
