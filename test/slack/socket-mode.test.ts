import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SnapshotSource } from "../../src/app/scan.js";
import { startPosture, type RunningPosture } from "../../src/main.js";
import { ACTION_IDS } from "../../src/slack/ids.js";
import { startFakeSlack, type FakeSlack, type RecordedCall } from "../helpers/fake-slack/server.js";
import { blockActionsPayload } from "../helpers/fake-slack/signed-requests.js";
import { startFakeSocketMode, type FakeSocketMode } from "../helpers/fake-slack/socket-mode.js";
import { validateModalView } from "../helpers/slack-schemas.js";
import { BOT_TOKEN, bucket, CHANNELS, snapshotOf, waitFor, workspace } from "./harness.js";

const APP_TOKEN = "xapp-1-A00000001-1111-TESTAPPTOKENSECRET";
const ws = workspace();
let slack: FakeSlack;
let socket: FakeSocketMode;
let posture: RunningPosture;
const logs: string[] = [];

function buttonValue(call: RecordedCall, actionId: string): string {
  const blocks = call.body.blocks as { elements?: { action_id?: string; value?: string }[] }[];
  const value = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionId)?.value;
  if (!value) throw new Error(`no ${actionId} button`);
  return value;
}

/** A slash command as Socket Mode delivers it: the form fields of the HTTP request, as a JSON object. */
function slashCommand(text: string, responseUrl: string): Record<string, unknown> {
  return {
    token: "legacy-verification-token", team_id: "T00000001", team_domain: "posture-test", channel_id: CHANNELS.security, channel_name: "security",
    user_id: "U0ALICE001", user_name: "alice", command: "/posture", text, api_app_id: "A00000001", is_enterprise_install: "false",
    response_url: responseUrl, trigger_id: "1.2.socket-trigger",
  };
}

beforeAll(async () => {
  slack = await startFakeSlack();
  socket = await startFakeSocketMode(slack.url);
  const snapshot = snapshotOf([bucket("pay-ledger", { versioning: false, team: "payments" })]);
  posture = await startPosture({
    // No PORT: Socket Mode, the default transport.
    env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: socket.apiUrl, POSTURE_DB_PATH: join(ws.dir, "data", "posture.db"), POSTURE_RULES_DIR: "rules", POSTURE_SCAN_CRON: "off", POSTURE_LOG_LEVEL: "debug" },
    cwd: ws.dir,
    logDestination: new Writable({ write(chunk, _enc, done) { logs.push(String(chunk)); done(); } }),
    sourceFor: async (): Promise<SnapshotSource> => ({ kind: "snapshot", snapshot }),
  });
  await socket.connected();
});
afterAll(async () => {
  await posture?.stop();
  await socket?.close();
  await slack?.close();
  ws.cleanup();
});

describe("Posture's Slack app in Socket Mode (fake WebSocket endpoint, fake Web API)", () => {
  it("opens its connection through SLACK_API_URL with the app-level token, and listens on no port", () => {
    expect(posture.settings.mode).toBe("socket");
    expect(posture.server).toBeUndefined();
    expect(socket.opens.length).toBeGreaterThanOrEqual(1);
    expect(socket.opens[0]!.authorization).toBe(`Bearer ${APP_TOKEN}`);
    // The bot token is checked at the same base URL (forwarded to the fake Web API).
    expect(slack.callsOf("auth.test").length).toBeGreaterThanOrEqual(1);
    expect(socket.connections()).toBe(1);
  });

  it("answers `/posture help` in the ack, ephemerally, within Slack's 3 seconds", async () => {
    const ack = await socket.send("slash_commands", slashCommand("help", slack.responseUrl("s1")), { timeoutMs: 3000 });
    expect(ack.elapsedMs).toBeLessThan(3000);
    expect(ack.payload?.response_type).toBe("ephemeral");
    expect(JSON.stringify(ack.payload)).toContain("/posture score");
  });

  it("answers unknown input with usage, never silence", async () => {
    const ack = await socket.send("slash_commands", slashCommand("frobnicate", slack.responseUrl("s2")), { timeoutMs: 3000 });
    expect(ack.payload?.response_type).toBe("ephemeral");
    expect(JSON.stringify(ack.payload)).toContain("/posture");
  });

  it("acks the Remediation steps button and opens the modal with views.open", async () => {
    await posture.runtime.scans.request("test").done;
    const message = await waitFor(() => slack.callsOf("chat.postMessage").find((c) => c.body.channel === CHANNELS.payments && c.body.thread_ts === undefined), "the finding message");
    const payload = blockActionsPayload({ actionId: ACTION_IDS.remediationSteps, value: buttonValue(message, ACTION_IDS.remediationSteps), channel: CHANNELS.payments, responseUrl: slack.responseUrl("b1"), triggerId: "1.3.socket-trigger" });
    const ack = await socket.send("interactive", payload, { timeoutMs: 3000 });
    expect(ack.elapsedMs).toBeLessThan(3000);
    const open = await waitFor(() => slack.callsOf("views.open").find((c) => c.body.trigger_id === "1.3.socket-trigger"), "views.open");
    expect(validateModalView(open.body.view), JSON.stringify(validateModalView.errors)).toBe(true);
    expect(JSON.stringify(open.body.view)).toContain("pay-ledger");
  });

  it("reconnects through apps.connections.open when Slack asks it to (disconnect: refresh_requested)", async () => {
    const before = socket.opens.length;
    socket.disconnectAll("refresh_requested");
    await waitFor(() => (socket.opens.length > before ? true : undefined), "a new apps.connections.open", 10_000);
    await waitFor(() => (socket.connections() === 1 ? true : undefined), "one live connection", 10_000);
    const ack = await socket.send("slash_commands", slashCommand("help", slack.responseUrl("s3")), { timeoutMs: 3000 });
    expect(ack.payload?.response_type).toBe("ephemeral");
  }, 20_000);

  it("never logs the tokens", () => {
    const text = logs.join("");
    expect(text).not.toContain("TESTAPPTOKENSECRET");
    expect(text).not.toContain("TESTTOKENSECRET");
  });
});
