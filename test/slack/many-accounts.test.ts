import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SnapshotSource } from "../../src/app/scan.js";
import { sendSlashCommand } from "../helpers/fake-slack/signed-requests.js";
import { validateBlocks } from "../helpers/slack-schemas.js";
import { ACCOUNT, bucket, SECRET, snapshotOf, startHarness, waitFor, workspace, type Harness } from "./harness.js";

// An account the configuration does not list, as Organizations discovery brings it into a scan.
const SANDBOX = "444444444444";
const ws = workspace();
let h: Harness;
const requested: (string | undefined)[] = [];
const target = () => ({ url: h.eventsUrl, secret: SECRET });

function discoveredScan() {
  const snapshot = snapshotOf([bucket("pay-a", { team: "payments", versioning: false })]);
  snapshot.accounts.push({
    accountId: SANDBOX, name: "sandbox", regions: ["eu-west-1"], status: "failed", startedAt: snapshot.collectedAt, finishedAt: snapshot.collectedAt, apiCalls: {},
    errors: [{ service: "sts", operation: "GetCallerIdentity", code: "AccessDenied", message: "not authorized to perform: sts:AssumeRole" }], resourceTypes: [],
  });
  return snapshot;
}

beforeAll(async () => {
  h = await startHarness(ws.dir, {
    sourceFor: async (account?: string): Promise<SnapshotSource> => {
      requested.push(account);
      return { kind: "snapshot", snapshot: discoveredScan() };
    },
  });
  await h.posture.runtime.scans.request("test").done;
});
afterAll(async () => {
  await h.close();
  ws.cleanup();
});

describe("many accounts in Slack", () => {
  it("/posture score shows the coverage of the latest scan, naming the failed account", async () => {
    const response = await sendSlashCommand(target(), { text: "score", responseUrl: h.slack.responseUrl("score") });
    const body = await response.json() as { blocks: unknown[] };
    expect(validateBlocks(body.blocks), JSON.stringify(validateBlocks.errors)).toBe(true);
    const text = JSON.stringify(body.blocks);
    expect(text).toContain("*Coverage*: 1 of 2 accounts complete");
    expect(text).toContain(`${SANDBOX} (sandbox): failed: AccessDenied: not authorized to perform: sts:AssumeRole`);
  });

  it.each([["its id", SANDBOX], ["its name from the scan", "sandbox"], ["a configured name", "prod"]])("/posture scan accepts an account seen in the latest scan by %s", async (_how, word) => {
    const before = requested.length;
    const response = await sendSlashCommand(target(), { text: `scan ${word}`, responseUrl: h.slack.responseUrl(`scan-${word}`) });
    expect(JSON.stringify(await response.json())).toContain("started");
    await waitFor(() => (h.slack.callsOf("response_url").some((c) => String(c.body.text).includes("finished")) && requested.length > before ? true : undefined), "the scan report");
    expect(requested.at(-1)).toBe(word === "prod" ? ACCOUNT : SANDBOX);
  });

  it("/posture scan still refuses an account no scan has seen, listing the known ones", async () => {
    const response = await sendSlashCommand(target(), { text: "scan 999999999999", responseUrl: h.slack.responseUrl("unknown") });
    const text = JSON.stringify(await response.json());
    expect(text).toContain('unknown account \\"999999999999\\"');
    expect(text).toContain(`sandbox (${SANDBOX})`);
  });
});
