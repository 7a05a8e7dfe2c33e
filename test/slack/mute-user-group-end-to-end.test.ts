import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SNAPSHOT_SCHEMA_VERSION, type Bucket } from "../../src/core/snapshot.js";
import { ACTION_IDS, BLOCK_IDS, CALLBACK_IDS } from "../../src/slack/ids.js";
import { appHomeOpenedEvent, blockActionsPayload, sendEvent, sendInteraction, viewSubmissionPayload } from "../helpers/fake-slack/signed-requests.js";
import { BOT_TOKEN, buttonOf, catalogWorkspace, type Harness, SECRET, startHarness, textOf, viewOf, waitFor } from "./harness.js";

const ACCOUNT = "111122223333";
const PAYMENTS = "C0PAYMENTS1";
const APPROVALS = "C0APPROVE1";
const APPROVER_GROUP = "S0APPROVE1";
const DATA_GROUP = "S0DATA0001";
const ALICE = "U0ALICE001";
const CAROL = "U0CAROL001";
const MALLORY = "U0MALLORY1";
const DANA = "U0DANA0001";
const BUCKET = "pay-exports";

/**
 * Approvers are only a Slack user group: Carol is in it (and nowhere in posture.config.yml), Mallory is
 * not. The data team is only a user group too, with Dana in it.
 */
function groupWorkspace(): { dir: string; cleanup(): void } {
  return catalogWorkspace("mute-group", [
    "accounts:", `  - id: "${ACCOUNT}"`, "    name: prod", "scan: { maxAttempts: 1 }",
    "teams:", "  - handle: payments", `    channel: ${PAYMENTS}`, `    members: [${ALICE}]`,
    "  - handle: data", "    channel: C0DATA00001", `    userGroup: ${DATA_GROUP}`,
    "securityChannel: C0SECURITY1",
    `mutes: { approvers: { userGroup: ${APPROVER_GROUP} }, maxDays: 90, approvalsChannel: ${APPROVALS} }`,
  ]);
}

const publicBucket: Bucket = {
  type: "aws:s3:bucket", arn: `arn:aws:s3:::${BUCKET}`, name: BUCKET, accountId: ACCOUNT, region: "eu-west-1", tags: { team: "payments" },
  publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false }, accountPublicAccessBlock: null,
};


const ws = groupWorkspace();
let h: Harness;
const target = () => ({ url: h.eventsUrl, secret: SECRET });
const click = (actionId: string, value: string, userId: string, id: string, where: { channel: string; ts: string }) =>
  sendInteraction(target(), blockActionsPayload({ actionId, value, userId, channel: where.channel, messageTs: where.ts, responseUrl: h.slack.responseUrl(id), triggerId: `trigger-${id}` }));
const submitView = (callbackId: string, privateMetadata: string, userId: string, values: Record<string, unknown>) => {
  const payload = viewSubmissionPayload(callbackId, privateMetadata) as { view: Record<string, unknown> };
  return sendInteraction(target(), { ...payload, user: { id: userId, username: "x", name: "x", team_id: "T00000001" }, view: { ...payload.view, state: { values } } });
};

beforeAll(async () => {
  h = await startHarness(ws.dir, {}, { userGroups: { [APPROVER_GROUP]: [CAROL], [DATA_GROUP]: [DANA] } });
  h.setSnapshot({
    schemaVersion: SNAPSHOT_SCHEMA_VERSION, collectedAt: new Date().toISOString(),
    accounts: [{ accountId: ACCOUNT, regions: ["eu-west-1"], status: "ok", startedAt: new Date().toISOString(), finishedAt: new Date().toISOString(), apiCalls: {}, errors: [] }],
    resources: [publicBucket, { ...publicBucket, arn: "arn:aws:s3:::data-lake", name: "data-lake", tags: { team: "data" } }],
  });
  await h.posture.runtime.scans.request("test").done;
});
afterAll(async () => {
  await h.close();
  ws.cleanup();
});

describe("mute approvers given as a Slack user group, end to end (real Bolt app, fake Web API)", () => {
  it("Carol, only in mutes.approvers.userGroup, approves; Mallory, outside the group, is refused naming the group", async () => {
    // Start-up resolved the group once, with the bot token.
    expect(h.slack.callsOf("usergroups.users.list").map((c) => c.body.usergroup).sort()).toEqual([APPROVER_GROUP, DATA_GROUP]);
    const findingPost = h.slack.callsOf("chat.postMessage").find((c) => c.body.channel === PAYMENTS && textOf(c.body.blocks).includes("s3-bucket-block-public-access"))!;
    const findingTs = (await waitFor(() => h.posture.db.prepare("SELECT ts FROM slack_messages WHERE channel = ?").get(PAYMENTS) as { ts: string } | undefined, "stored finding message")).ts;

    // Alice (payments) requests a mute of the finding.
    await click(ACTION_IDS.mute, buttonOf(findingPost, ACTION_IDS.mute)!.value!, ALICE, "alice", { channel: PAYMENTS, ts: findingTs });
    const modal = viewOf(await waitFor(() => h.slack.callsOf("views.open")[0], "mute modal"));
    await submitView(CALLBACK_IDS.muteModal, modal.private_metadata, ALICE, {
      [BLOCK_IDS.muteReason]: { [ACTION_IDS.muteReason]: { type: "static_select", selected_option: { value: "risk_accepted" } } },
      [BLOCK_IDS.muteJustification]: { [ACTION_IDS.muteJustification]: { type: "plain_text_input", value: "Exports are public by design" } },
      [BLOCK_IDS.muteExpiry]: { [ACTION_IDS.muteExpiry]: { type: "datepicker", selected_date: new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10) } },
    });
    const request = await waitFor(() => h.slack.callsOf("chat.postMessage").find((c) => c.body.channel === APPROVALS), "request in the approvals channel");
    const approveValue = buttonOf(request, ACTION_IDS.muteApprove)!.value!;
    const at = { channel: APPROVALS, ts: "1700000009.000001" };

    // Mallory is in no group and no list: refused, the answer names the group checked, nothing opens.
    await click(ACTION_IDS.muteApprove, approveValue, MALLORY, "mallory", at);
    const refusal = await waitFor(() => h.slack.callsOf("response_url").find((c) => String(c.body.text).includes("Only the configured mute approvers")), "Mallory's refusal");
    expect(refusal.body.text).toContain(`not a member of the Slack user group ${APPROVER_GROUP} (approvers)`);
    expect(refusal.body.response_type).toBe("ephemeral");
    expect(h.slack.callsOf("views.open")).toHaveLength(1);
    const refused = h.posture.db.prepare("SELECT actor, details FROM audit_log WHERE action = 'mute.refused'").all() as { actor: string; details: string }[];
    expect(refused.map((r) => [r.actor, JSON.parse(r.details).code])).toEqual([[MALLORY, "not_an_approver"]]);
    // The group was read at start-up moments ago: the refusal's on-demand re-read is rate limited.
    expect(h.slack.callsOf("usergroups.users.list")).toHaveLength(2);

    // Carol approves through the decision modal.
    await click(ACTION_IDS.muteApprove, approveValue, CAROL, "carol", at);
    const decision = viewOf(await waitFor(() => h.slack.callsOf("views.open")[1], "decision modal"));
    expect(decision.callback_id).toBe(CALLBACK_IDS.muteDecisionModal);
    const decided = await submitView(CALLBACK_IDS.muteDecisionModal, decision.private_metadata, CAROL, {
      [BLOCK_IDS.muteDecisionComment]: { [ACTION_IDS.muteDecisionComment]: { type: "plain_text_input", value: "Reviewed with the exports owner" } },
    });
    expect(decided.status).toBe(200);
    const muted = await waitFor(() => h.slack.callsOf("chat.postMessage").find((c) => c.body.thread_ts === findingTs && textOf(c.body.blocks).includes("approved by")), "muted reply");
    expect(textOf(muted.body.blocks)).toContain(`<@${CAROL}>`);
    expect(h.posture.db.prepare("SELECT state, decided_by FROM mutes").all()).toEqual([{ state: "approved", decided_by: CAROL }]);
    expect(h.posture.db.prepare("SELECT status FROM findings WHERE resource_arn = ?").all(publicBucket.arn)).toEqual([{ status: "muted" }]);
    expect(h.logs.join("")).not.toContain(BOT_TOKEN);
  });

  it("the App Home puts Dana's team first: she is a member of the data team only through its user group", async () => {
    await sendEvent(target(), appHomeOpenedEvent(DANA));
    const publish = await waitFor(() => h.slack.callsOf("views.publish").find((c) => c.body.user_id === DANA), "views.publish");
    expect(textOf(publish.body.view)).toMatch(/data[^"]*\(your team\)/);
    expect(textOf(publish.body.view)).not.toMatch(/payments[^"]*\(your team\)/);
  });
});
