import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTION_IDS, CALLBACK_IDS } from "../../src/slack/ids.js";
import type { RecordedCall } from "../helpers/fake-slack/server.js";
import { appHomeOpenedEvent, blockActionsPayload, sendEvent, sendInteraction, sendSlashCommand, viewSubmissionPayload } from "../helpers/fake-slack/signed-requests.js";
import { validateBlocks, validateHomeView, validateModalView } from "../helpers/slack-schemas.js";
import { bucket, CHANNELS, SECRET, snapshotOf, startHarness, waitFor, workspace, type Harness } from "./harness.js";

const ws = workspace();
let h: Harness;
const target = () => ({ url: h.eventsUrl, secret: SECRET });
const posts = () => h.slack.callsOf("chat.postMessage");
const topLevel = () => posts().filter((c) => c.body.thread_ts === undefined);

function expectValidMessage(call: RecordedCall): void {
  const blocks = call.body.blocks as unknown[];
  expect(blocks.length).toBeLessThanOrEqual(50);
  expect(validateBlocks(blocks), JSON.stringify(validateBlocks.errors)).toBe(true);
  expect(String(call.body.text).length).toBeGreaterThan(0);
}

/** Finds the button with that action id in a posted message. */
function buttonValue(call: RecordedCall, actionId: string): string {
  const blocks = call.body.blocks as { type: string; elements?: { action_id?: string; value?: string }[] }[];
  const button = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionId);
  if (!button?.value) throw new Error(`no ${actionId} button in ${JSON.stringify(blocks).slice(0, 200)}`);
  return button.value;
}

beforeAll(async () => {
  h = await startHarness(ws.dir);
  // The data team's channel never invited the bot: its messages must fall back to the security channel.
  h.slack.failWith("chat.postMessage", "not_in_channel", { channel: CHANNELS.data });
});
afterAll(async () => {
  await h.close();
  ws.cleanup();
});

describe("Posture's Slack app end to end (HTTP mode, signed requests, fake Web API)", () => {
  it("posts each new high or critical finding to the owning team's channel after a scan", async () => {
    h.setSnapshot(snapshotOf([
      bucket("pay-ledger", { versioning: false, team: "payments" }),
      bucket("data-lake", { logging: false, team: "data" }),
      bucket("orphan", { versioning: false }),
      bucket("pay-low", { encryption: false, team: "payments" }),
    ]));
    const result = await h.posture.runtime.scans.request("test").done;
    expect(result.transitions.new).toBe(4);
    const delivered = topLevel().filter((c) => c.body.channel !== CHANNELS.data);
    expect(delivered.map((c) => c.body.channel).sort()).toEqual([CHANNELS.payments, CHANNELS.security, CHANNELS.security]);
    expect(topLevel().filter((c) => c.body.channel === CHANNELS.data)).toHaveLength(1);
    topLevel().forEach(expectValidMessage);
    // The low-severity encryption finding is not posted.
    expect(JSON.stringify(topLevel().map((c) => c.body.text))).not.toContain("pay-low");
  });

  it("falls back to the security channel with a hint to invite the bot when the team channel refuses it", () => {
    const fallback = topLevel().find((c) => c.body.channel === CHANNELS.security && JSON.stringify(c.body.blocks).includes(CHANNELS.data));
    expect(fallback, "fallback message").toBeDefined();
    expect(JSON.stringify(fallback!.body.blocks)).toContain("/invite @Posture");
  });

  it("opens the remediation modal from the message's button", async () => {
    const message = topLevel().find((c) => c.body.channel === CHANNELS.payments)!;
    const ts = "1700000000.000001";
    const response = await sendInteraction(target(), blockActionsPayload({ actionId: ACTION_IDS.remediationSteps, value: buttonValue(message, ACTION_IDS.remediationSteps), channel: CHANNELS.payments, messageTs: ts, responseUrl: h.slack.responseUrl("b1") }));
    expect(response.status).toBe(200);
    const open = await waitFor(() => h.slack.callsOf("views.open")[0], "views.open");
    expect(open.body.trigger_id).toBe("1.2.trigger");
    expect(validateModalView(open.body.view), JSON.stringify(validateModalView.errors)).toBe(true);
    expect(JSON.stringify(open.body.view)).toContain("pay-ledger");
  });

  it("edits the message and replies in its thread when a later scan finds the resource passing", async () => {
    const original = topLevel().find((c) => c.body.channel === CHANNELS.payments)!;
    const originalTs = tsOf(original);
    h.setSnapshot(snapshotOf([
      bucket("pay-ledger", { team: "payments" }),
      bucket("data-lake", { logging: false, team: "data" }),
      bucket("orphan", { versioning: false }),
      bucket("pay-low", { encryption: false, team: "payments" }),
    ]));
    const before = topLevel().length;
    const result = await h.posture.runtime.scans.request("test").done;
    expect(result.transitions.resolved).toBe(1);
    const update = h.slack.callsOf("chat.update").find((c) => c.body.channel === CHANNELS.payments);
    expect(update?.body.ts).toBe(originalTs);
    expectValidMessage(update!);
    expect(JSON.stringify(update!.body.blocks)).toContain("Resolved");
    const reply = posts().find((c) => c.body.thread_ts === originalTs);
    expect(reply, "thread reply").toBeDefined();
    expectValidMessage(reply!);
    expect(topLevel().length).toBe(before);
  });

  it("never posts a delivered row twice, across a restart", async () => {
    const before = posts().length;
    await h.restart();
    await h.posture.runtime.deliver();
    expect(posts().length).toBe(before);
  });

  it("groups many new findings for one channel per rule, and each resource's menu opens its steps", async () => {
    h.setSnapshot(snapshotOf([
      bucket("data-lake", { logging: false, team: "data" }),
      bucket("orphan", { versioning: false }),
      bucket("pay-low", { encryption: false, team: "payments" }),
      ...Array.from({ length: 7 }, (_, i) => bucket(`pay-logs-${i}`, { logging: false, team: "payments" })),
    ]));
    const before = topLevel().length;
    await h.posture.runtime.scans.request("test").done;
    const added = topLevel().slice(before);
    expect(added).toHaveLength(1);
    expectValidMessage(added[0]!);
    const blocks = added[0]!.body.blocks as { accessory?: { type: string; action_id: string; options?: { value: string }[] } }[];
    const menus = blocks.flatMap((b) => (b.accessory?.type === "overflow" ? [b.accessory] : []));
    expect(menus).toHaveLength(7);
    const opened = h.slack.callsOf("views.open").length;
    const value = menus[3]!.options!.find((o) => o.value.includes("remediation"))!.value;
    await sendInteraction(target(), blockActionsPayload({ actionId: ACTION_IDS.findingMenu, selectedOption: value, channel: CHANNELS.payments, responseUrl: h.slack.responseUrl("g1") }));
    const open = await waitFor(() => h.slack.callsOf("views.open")[opened], "views.open from the menu");
    expect(JSON.stringify(open.body.view)).toContain("pay-logs-3");
  });

  it("acks a submitted remediation modal (it is read-only)", async () => {
    const response = await sendInteraction(target(), viewSubmissionPayload(CALLBACK_IDS.remediationModal));
    expect(response.status).toBe(200);
  });

  it.each([
    ["score", "Organisation"],
    ["score payments", "Team payments"],
    ["findings data high", "data-lake"],
    ["findings payments critical", "No open findings"],
    ["rules fw-b", "encryption"],
    ["help", "/posture findings"],
    ["bogus words", "unknown sub-command"],
    ["findings nosuchteam", "is not a team"],
  ])("/posture %s answers ephemerally in the HTTP response", async (text, expected) => {
    const response = await sendSlashCommand(target(), { text, responseUrl: h.slack.responseUrl("c1") });
    expect(response.status).toBe(200);
    const body = await response.json() as { response_type: string; blocks: unknown[]; text: string };
    expect(body.response_type).toBe("ephemeral");
    expect(validateBlocks(body.blocks), JSON.stringify(validateBlocks.errors)).toBe(true);
    expect(JSON.stringify(body)).toContain(expected);
  });

  it("/posture scan acknowledges at once, joins a running scan and reports when it finishes", async () => {
    const release = h.holdScans();
    const first = await sendSlashCommand(target(), { text: "scan", responseUrl: h.slack.responseUrl("s1") });
    const second = await sendSlashCommand(target(), { text: "scan prod", responseUrl: h.slack.responseUrl("s2") });
    expect(JSON.stringify(await first.json())).toContain("started");
    expect(JSON.stringify(await second.json())).toContain("already running");
    expect(h.slack.callsOf("response_url")).toEqual([]);
    release();
    const done = await waitFor(() => (h.slack.callsOf("response_url").length >= 2 ? h.slack.callsOf("response_url") : undefined), "both scan reports");
    expect(done.map((c) => String(c.body.text))).toEqual([expect.stringContaining("finished"), expect.stringContaining("finished")]);
  });

  it("publishes the App Home on app_home_opened", async () => {
    const response = await sendEvent(target(), appHomeOpenedEvent("U0ALICE001"));
    expect(response.status).toBe(200);
    const publish = await waitFor(() => h.slack.callsOf("views.publish").find((c) => c.body.user_id === "U0ALICE001"), "views.publish");
    expect(validateHomeView(publish.body.view), JSON.stringify(validateHomeView.errors)).toBe(true);
    expect((publish.body.view as { blocks: unknown[] }).blocks.length).toBeLessThanOrEqual(100);
  });

  it("republishes the App Home of everyone who opened it after each scan", async () => {
    const before = h.slack.callsOf("views.publish").length;
    await h.posture.runtime.scans.request("test").done;
    expect(h.slack.callsOf("views.publish").slice(before).map((c) => c.body.user_id)).toEqual(["U0ALICE001"]);
  });

  it("answers Slack's url_verification challenge", async () => {
    const response = await sendEvent(target(), { type: "url_verification", token: "t", challenge: "abc123" });
    expect(await response.text()).toContain("abc123");
  });

  it.each([
    ["unsigned", { unsigned: true }],
    ["stale (6 minutes old)", { timestamp: Math.floor(Date.now() / 1000) - 360 }],
    ["signed with another secret", { secret: "another-secret-0000" }],
  ])("rejects %s requests with 401", async (_name, change) => {
    const before = h.slack.calls.length;
    const response = await sendSlashCommand({ ...target(), ...change }, { text: "score", responseUrl: h.slack.responseUrl("x") });
    expect(response.status).toBe(401);
    expect(h.slack.calls.length).toBe(before);
  });

  it("never writes the bot token to the logs", () => {
    expect(h.logs.length).toBeGreaterThan(0);
    expect(h.logs.join("")).not.toContain("TESTTOKENSECRET");
  });
});

/** The ts the fake gave a recorded postMessage call: its answers are numbered in the order of successful posts. */
function tsOf(call: RecordedCall): string {
  const successful = posts().filter((c) => c.body.channel !== CHANNELS.data);
  return `1700000000.${String(successful.indexOf(call) + 1).padStart(6, "0")}`;
}
