import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTION_IDS } from "../../src/slack/ids.js";
import type { RecordedCall } from "../helpers/fake-slack/server.js";
import { blockActionsPayload, sendInteraction, sendSlashCommand } from "../helpers/fake-slack/signed-requests.js";
import { validateBlocks, validateModalView } from "../helpers/slack-schemas.js";
import { bucket, CHANNELS, SECRET, snapshotOf, startHarness, waitFor, workspace, type Harness } from "./harness.js";

// versioning is critical in the harness catalog; the payments team's buckets count it as high.
const REASON = "payments sandbox account";
const ws = workspace();
appendFileSync(join(ws.dir, "posture.config.yml"), `severityOverrides:\n  - severity: high\n    rules: [versioning]\n    tags: { team: payments }\n    reason: ${REASON}\n`);
let h: Harness;
const target = () => ({ url: h.eventsUrl, secret: SECRET });
const NOTE = `(rule default: critical) — ${REASON}`;

beforeAll(async () => {
  h = await startHarness(ws.dir);
  h.setSnapshot(snapshotOf([bucket("pay-ledger", { versioning: false, team: "payments" })]));
  await h.posture.runtime.scans.request("test").done;
});
afterAll(async () => {
  await h.close();
  ws.cleanup();
});

function buttonValue(call: RecordedCall, actionId: string): string {
  const blocks = call.body.blocks as { elements?: { action_id?: string; value?: string }[] }[];
  const value = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionId)?.value;
  if (!value) throw new Error(`no ${actionId} button`);
  return value;
}

describe("an overridden finding through the Slack app", () => {
  it("its message shows the effective severity with the rule default and reason", () => {
    const [message] = h.slack.callsOf("chat.postMessage");
    expect(message!.body.channel).toBe(CHANNELS.payments);
    expect(JSON.stringify(message!.body.blocks)).toContain(`High* ${NOTE}`);
  });

  it("the remediation modal shows the finding's severity, not the catalog's", async () => {
    const [message] = h.slack.callsOf("chat.postMessage");
    await sendInteraction(target(), blockActionsPayload({
      actionId: ACTION_IDS.remediationSteps, value: buttonValue(message!, ACTION_IDS.remediationSteps), channel: CHANNELS.payments, messageTs: "1700000000.000001", responseUrl: h.slack.responseUrl("r1"),
    }));
    const open = await waitFor(() => h.slack.callsOf("views.open")[0], "views.open");
    expect(validateModalView(open.body.view), JSON.stringify(validateModalView.errors)).toBe(true);
    const text = JSON.stringify(open.body.view);
    expect(text).toContain(`High* ${NOTE}`);
    expect(text).not.toContain("Critical");
  });

  it("/posture findings lists it under its effective severity with the rule default and reason", async () => {
    const response = await sendSlashCommand(target(), { text: "findings payments high", responseUrl: h.slack.responseUrl("c1") });
    const body = await response.json() as { blocks: unknown[] };
    expect(validateBlocks(body.blocks), JSON.stringify(validateBlocks.errors)).toBe(true);
    const text = JSON.stringify(body.blocks);
    expect(text).toContain("pay-ledger");
    expect(text).toContain(`High ${NOTE}`);
  });
});
