import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatScore } from "../../src/core/score.js";
import { SNAPSHOT_SCHEMA_VERSION, type Bucket } from "../../src/core/snapshot.js";
import { loadScore } from "../../src/db/score-queries.js";
import { ACTION_IDS, BLOCK_IDS, CALLBACK_IDS, encodeValue } from "../../src/slack/ids.js";
import { ACCOUNT } from "../aws/nock-aws.js";
import type { RecordedCall } from "../helpers/fake-slack/server.js";
import { blockActionsPayload, sendInteraction, sendSlashCommand, viewSubmissionPayload } from "../helpers/fake-slack/signed-requests.js";
import { validateModalView } from "../helpers/slack-schemas.js";
import { buttonOf, catalogWorkspace, type Harness, SECRET, startHarness, textOf, viewOf, waitFor } from "./harness.js";

const PAYMENTS = "C0PAYMENTS1";
const APPROVALS = "C0APPROVE1";
const ALICE = "U0ALICE001";
const BOB = "U0BOBSEC01";
const MALLORY = "U0MALLORY1";
const BUCKET = "pay-exports";

/** The real rule catalog; Alice (payments) requests and is an approver too; Bob (security) approves. */
function muteWorkspace(): { dir: string; cleanup(): void } {
  return catalogWorkspace("mute", [
    "accounts:", `  - id: "${ACCOUNT}"`, "    name: prod", "scan: { maxAttempts: 1 }",
    "teams:", "  - handle: payments", `    channel: ${PAYMENTS}`, `    members: [${ALICE}]`,
    "securityChannel: C0SECURITY1", `securityTeam: { members: [${BOB}] }`,
    `mutes: { approvers: { members: [${ALICE}, ${BOB}] }, maxDays: 90, allowPermanent: false, approvalsChannel: ${APPROVALS} }`,
    "schedules: { digest: { timeZone: Europe/Paris } }",
  ]);
}

const publicBucket: Bucket = {
  type: "aws:s3:bucket", arn: `arn:aws:s3:::${BUCKET}`, name: BUCKET, accountId: ACCOUNT, region: "eu-west-1", tags: { team: "payments" },
  publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false }, accountPublicAccessBlock: null,
};


const ws = muteWorkspace();
let h: Harness;
let findingPost: RecordedCall;
const target = () => ({ url: h.eventsUrl, secret: SECRET });
const click = (actionId: string, value: string, userId: string, id: string, where: { channel: string; ts: string }) =>
  sendInteraction(target(), blockActionsPayload({ actionId, value, userId, channel: where.channel, messageTs: where.ts, responseUrl: h.slack.responseUrl(id), triggerId: `trigger-${id}` }));
const submitView = (callbackId: string, privateMetadata: string, userId: string, values: Record<string, unknown>) => {
  const payload = viewSubmissionPayload(callbackId, privateMetadata) as { view: Record<string, unknown> };
  return sendInteraction(target(), { ...payload, user: { id: userId, username: "x", name: "x", team_id: "T00000001" }, view: { ...payload.view, state: { values } } });
};
const threadReplies = (ts: string, word: string) => h.slack.callsOf("chat.postMessage").filter((c) => c.body.thread_ts === ts && textOf(c.body.blocks).includes(word));
const audit = (action: string) => h.posture.db.prepare("SELECT actor, details FROM audit_log WHERE action = ? ORDER BY id").all(action) as { actor: string; details: string }[];

/** `/posture score payments` as Slack shows it, with the score the database holds now. */
async function scoreAnswer(id: string): Promise<{ text: string; score: number | null }> {
  const answer = await (await sendSlashCommand(target(), { text: "score payments", responseUrl: h.slack.responseUrl(id) })).json() as { text: string };
  return { text: answer.text, score: loadScore(h.posture.db, "team:payments", new Date()).score };
}

/** Alice requests a mute of the finding through the modal; returns the request message's recorded call. */
async function requestMuteAsAlice(findingTs: string, justification: string, date = new Date(Date.now() + 15 * 86_400_000).toISOString().slice(0, 10)): Promise<RecordedCall> {
  const opens = h.slack.callsOf("views.open").length;
  await click(ACTION_IDS.mute, buttonOf(findingPost, ACTION_IDS.mute)!.value!, ALICE, `alice-${opens}`, { channel: PAYMENTS, ts: findingTs });
  const modal = viewOf(await waitFor(() => h.slack.callsOf("views.open")[opens], "mute modal"));
  await submitView(CALLBACK_IDS.muteModal, modal.private_metadata, ALICE, {
    [BLOCK_IDS.muteReason]: { [ACTION_IDS.muteReason]: { type: "static_select", selected_option: { value: "risk_accepted" } } },
    [BLOCK_IDS.muteJustification]: { [ACTION_IDS.muteJustification]: { type: "plain_text_input", value: justification } },
    [BLOCK_IDS.muteExpiry]: { [ACTION_IDS.muteExpiry]: { type: "datepicker", selected_date: date } },
  });
  const request = await waitFor(() => h.slack.callsOf("chat.postMessage").find((c) => c.body.channel === APPROVALS && textOf(c.body.blocks).includes(justification)), "request posted");
  // The request flow ends with the finding's thread reply: wait for it, so its calls never meet a later test's failures.
  await waitFor(() => h.slack.callsOf("chat.postMessage").find((c) => c.body.thread_ts === findingTs && textOf(c.body.blocks).includes(justification)), "request told in the thread");
  return request;
}

/** Bob approves (or denies) a request through the decision modal, with his comment. */
async function decideAsBob(request: RecordedCall, comment: string, decision: "approve" | "deny" = "approve"): Promise<void> {
  const opens = h.slack.callsOf("views.open").length;
  const actionId = decision === "approve" ? ACTION_IDS.muteApprove : ACTION_IDS.muteDeny;
  await click(actionId, buttonOf(request, actionId)!.value!, BOB, `bob-${opens}`, { channel: APPROVALS, ts: "1700000011.000001" });
  const modal = viewOf(await waitFor(() => h.slack.callsOf("views.open")[opens], "decision modal"));
  const answer = await submitView(CALLBACK_IDS.muteDecisionModal, modal.private_metadata, BOB, { [BLOCK_IDS.muteDecisionComment]: { [ACTION_IDS.muteDecisionComment]: { value: comment } } });
  expect(answer.status).toBe(200);
}

beforeAll(async () => {
  h = await startHarness(ws.dir);
  h.setSnapshot({
    schemaVersion: SNAPSHOT_SCHEMA_VERSION, collectedAt: new Date().toISOString(),
    accounts: [{ accountId: ACCOUNT, regions: ["eu-west-1"], status: "ok", startedAt: new Date().toISOString(), finishedAt: new Date().toISOString(), apiCalls: {}, errors: [] }],
    resources: [publicBucket],
  });
  await h.posture.runtime.scans.request("test").done;
  findingPost = h.slack.callsOf("chat.postMessage").find((c) => c.body.channel === PAYMENTS && textOf(c.body.blocks).includes("s3-bucket-block-public-access"))!;
});
afterAll(async () => {
  await h.close();
  ws.cleanup();
});

describe("mutes in Slack, end to end (real Bolt app in HTTP mode, fake Web API)", () => {
  it("Mute… -> modal -> request in the approvals channel -> self-approval refused -> Bob approves -> muted; a second click and a non-member refused", async () => {
    expect(findingPost).toBeDefined();
    const scoreBefore = await scoreAnswer("score-before");
    const findingTs = (await waitFor(() => h.posture.db.prepare("SELECT ts FROM slack_messages LIMIT 1").get() as { ts: string } | undefined, "stored finding message")).ts;
    const where = { channel: PAYMENTS, ts: findingTs };
    const muteValue = buttonOf(findingPost, ACTION_IDS.mute)!.value!;

    // Mallory is neither in payments nor in the security team: refused, audited, no modal.
    await click(ACTION_IDS.mute, muteValue, MALLORY, "mallory", where);
    const refusal = await waitFor(() => h.slack.callsOf("response_url").find((c) => String(c.body.text).includes("Only the owning team")), "Mallory's refusal");
    expect(refusal.body.response_type).toBe("ephemeral");
    expect(h.slack.callsOf("views.open")).toHaveLength(0);

    // Alice opens the modal and submits a 20-day mute of this finding.
    await click(ACTION_IDS.mute, muteValue, ALICE, "alice", where);
    const opened = viewOf(await waitFor(() => h.slack.callsOf("views.open")[0], "views.open"));
    expect(opened.callback_id).toBe(CALLBACK_IDS.muteModal);
    expect(validateModalView(opened), textOf(validateModalView.errors)).toBe(true);
    const date = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const values = (tag: string | null) => ({
      [BLOCK_IDS.muteReason]: { [ACTION_IDS.muteReason]: { type: "static_select", selected_option: { value: "risk_accepted" } } },
      [BLOCK_IDS.muteJustification]: { [ACTION_IDS.muteJustification]: { type: "plain_text_input", value: "Export bucket behind CloudFront, reviewed" } },
      [BLOCK_IDS.muteExpiry]: { [ACTION_IDS.muteExpiry]: { type: "datepicker", selected_date: date } },
      [BLOCK_IDS.muteScope]: { [ACTION_IDS.muteScope]: { type: "radio_buttons", selected_option: { value: tag === null ? "finding" : "rule_tag" } } },
      [BLOCK_IDS.muteTag]: { [ACTION_IDS.muteTag]: { type: "plain_text_input", value: tag } },
    });
    const bad = await submitView(CALLBACK_IDS.muteModal, opened.private_metadata, ALICE, values("no-equals-sign"));
    expect(await bad.json()).toMatchObject({ response_action: "errors", errors: { [BLOCK_IDS.muteTag]: expect.stringContaining("key=value") } });
    const ok = await submitView(CALLBACK_IDS.muteModal, opened.private_metadata, ALICE, values(null));
    expect(ok.status).toBe(200);

    const request = await waitFor(() => h.slack.callsOf("chat.postMessage").find((c) => c.body.channel === APPROVALS), "request in the approvals channel");
    expect(textOf(request.body.blocks)).toContain("Export bucket behind CloudFront, reviewed");
    const approveValue = buttonOf(request, ACTION_IDS.muteApprove)!.value!;
    const threadLink = await waitFor(() => h.slack.callsOf("chat.postMessage").find((c) => c.body.thread_ts === findingTs && textOf(c.body.blocks).includes("Mute requested")), "thread reply");
    expect(textOf(threadLink.body.blocks)).toContain("approval request");
    expect(audit("mute.requested")).toHaveLength(1);
    const requestTs = "1700000009.000001";
    const at = { channel: APPROVALS, ts: requestTs };

    // Alice is an approver, but requested it herself.
    await click(ACTION_IDS.muteApprove, approveValue, ALICE, "self", at);
    await waitFor(() => h.slack.callsOf("response_url").find((c) => String(c.body.text).includes("another approver must decide")), "self-approval refusal");
    expect(h.slack.callsOf("views.open")).toHaveLength(1);

    // Bob approves with a comment.
    await click(ACTION_IDS.muteApprove, approveValue, BOB, "bob", at);
    const decision = viewOf(await waitFor(() => h.slack.callsOf("views.open")[1], "decision modal"));
    expect(decision.callback_id).toBe(CALLBACK_IDS.muteDecisionModal);
    expect(validateModalView(decision), textOf(validateModalView.errors)).toBe(true);
    const decided = await submitView(CALLBACK_IDS.muteDecisionModal, decision.private_metadata, BOB, {
      [BLOCK_IDS.muteDecisionComment]: { [ACTION_IDS.muteDecisionComment]: { type: "plain_text_input", value: "OK until the CDN migration" } },
    });
    expect(decided.status).toBe(200);
    const requestUpdate = await waitFor(() => h.slack.callsOf("chat.update").find((c) => c.body.channel === APPROVALS), "request message updated");
    // The message re-drawn is the one posted (stored with the mute), whatever the click's metadata said.
    expect(requestUpdate.body.ts).toBe((h.posture.db.prepare("SELECT request_ts FROM mutes").get() as { request_ts: string }).request_ts);
    expect(textOf(requestUpdate.body.blocks)).toContain(`<@${BOB}>`);
    expect(buttonOf(requestUpdate, ACTION_IDS.muteApprove)).toBeUndefined();
    const findingUpdate = await waitFor(() => h.slack.callsOf("chat.update").find((c) => c.body.channel === PAYMENTS && textOf(c.body.blocks).includes("Muted")), "finding message muted");
    expect(findingUpdate.body.ts).toBe(findingTs);
    const muted = await waitFor(() => h.slack.callsOf("chat.postMessage").find((c) => c.body.thread_ts === findingTs && textOf(c.body.blocks).includes("approved by")), "muted reply");
    expect(textOf(muted.body.blocks)).toContain("OK until the CDN migration");
    expect(threadReplies(findingTs, "Muted")).toHaveLength(1);
    expect(audit("mute.approved")).toHaveLength(1);
    expect(h.posture.db.prepare("SELECT status FROM findings").all()).toEqual([{ status: "muted" }]);
    // The approval took the finding out of the score at once, not at the next scan: it was the team's
    // only evaluation with a result, so the team has no score left rather than a failing one.
    expect(scoreBefore).toEqual({ text: expect.stringContaining(formatScore(0)), score: 0 });
    expect(await scoreAnswer("score-after")).toEqual({ text: expect.not.stringContaining(formatScore(0)), score: null });

    // Every entry names the actor (id and name) and links to the Slack message acted on.
    const findingLink = `https://slack.com/archives/${PAYMENTS}/p${findingTs.replace(".", "")}`;
    const requestLink = (h.posture.db.prepare("SELECT permalink FROM mutes").get() as { permalink: string }).permalink;
    const details = (action: string) => audit(action).map((r) => ({ actor: r.actor, ...(JSON.parse(r.details) as Record<string, unknown>) }));
    expect(details("mute.refused")[0]).toMatchObject({ actor: MALLORY, actorName: "alice", permalink: findingLink, code: "not_allowed_to_request" });
    expect(details("mute.requested")[0]).toMatchObject({ actor: ALICE, actorName: "x", permalink: findingLink });
    expect(details("mute.approved")[0]).toMatchObject({ actor: BOB, actorName: "x", permalink: requestLink });
    expect(details("finding.muted")[0]).toMatchObject({ actor: BOB, actorName: "x", permalink: requestLink });
    expect(requestLink).toMatch(new RegExp(`^https://slack.com/archives/${APPROVALS}/p\\d{16}$`));

    // A second click on the decided request is refused politely.
    await click(ACTION_IDS.muteApprove, approveValue, BOB, "again", at);
    await waitFor(() => h.slack.callsOf("response_url").find((c) => String(c.body.text).includes("already approved")), "already decided refusal");
    expect(audit("mute.refused").length).toBeGreaterThanOrEqual(3);
  });

  it("/posture mutes lists the approved mute; /posture audit <finding> shows its timeline", async () => {
    const mutes = await sendSlashCommand(target(), { text: "mutes payments", responseUrl: h.slack.responseUrl("cmd1") });
    const listed = textOf(await mutes.json());
    expect(listed).toContain("Export bucket behind CloudFront");
    expect(listed).toContain(`<@${BOB}>`);
    const { id } = h.posture.db.prepare("SELECT id FROM findings").get() as { id: number };
    const timeline = textOf(await (await sendSlashCommand(target(), { text: `audit ${id}`, responseUrl: h.slack.responseUrl("cmd2") })).json());
    expect(timeline).toMatch(/mute.requested/);
    expect(timeline).toMatch(/mute.approved/);
    const usage = textOf(await (await sendSlashCommand(target(), { text: "audit pay-exports", responseUrl: h.slack.responseUrl("cmd3") })).json());
    expect(usage).toContain("finding id");
  });

  it("the mute-expiry job ends a mute past its expiry: the finding counts again, its message and thread say so", async () => {
    const findingTs = (h.posture.db.prepare("SELECT ts FROM slack_messages LIMIT 1").get() as { ts: string }).ts;
    h.posture.db.prepare("UPDATE mutes SET expires_at = ? WHERE state = 'approved'").run(new Date(Date.now() - 60_000).toISOString());
    await h.posture.scheduler.runNow("mute-expiry");
    const reply = await waitFor(() => h.slack.callsOf("chat.postMessage").find((c) => c.body.thread_ts === findingTs && textOf(c.body.blocks).includes("Unmuted")), "unmuted reply");
    expect(textOf(reply.body.blocks)).toContain("the mute expired");
    // One reply for the step: the status sync does not add a generic one of its own.
    await h.posture.runtime.deliver();
    expect(threadReplies(findingTs, "Unmuted")).toHaveLength(1);
    expect(h.posture.db.prepare("SELECT status FROM findings").all()).toEqual([{ status: "open" }]);
    expect(await scoreAnswer("score-expired")).toEqual({ text: expect.stringContaining(formatScore(0)), score: 0 });
    expect(audit("mute.expired")).toHaveLength(1);
  });

  it("Mute from the overflow menu, then Bob denies with a comment: the requester reads it in the thread", async () => {
    const findingTs = (h.posture.db.prepare("SELECT ts FROM slack_messages LIMIT 1").get() as { ts: string }).ts;
    const { id } = h.posture.db.prepare("SELECT id FROM findings").get() as { id: number };
    const opensBefore = h.slack.callsOf("views.open").length;
    await sendInteraction(target(), blockActionsPayload({
      actionId: ACTION_IDS.findingMenu, selectedOption: encodeValue("findingMenu", { v: 1, action: "mute", findingId: id }, 150), userId: ALICE,
      channel: PAYMENTS, messageTs: findingTs, responseUrl: h.slack.responseUrl("menu"), triggerId: "trigger-menu",
    }));
    const modal = viewOf(await waitFor(() => h.slack.callsOf("views.open")[opensBefore], "mute modal from the overflow"));
    const date = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    await submitView(CALLBACK_IDS.muteModal, modal.private_metadata, ALICE, {
      [BLOCK_IDS.muteReason]: { [ACTION_IDS.muteReason]: { type: "static_select", selected_option: { value: "pending_fix" } } },
      [BLOCK_IDS.muteJustification]: { [ACTION_IDS.muteJustification]: { type: "plain_text_input", value: "Fix lands next sprint" } },
      [BLOCK_IDS.muteExpiry]: { [ACTION_IDS.muteExpiry]: { type: "datepicker", selected_date: date } },
      [BLOCK_IDS.muteScope]: { [ACTION_IDS.muteScope]: { type: "radio_buttons", selected_option: { value: "finding" } } },
      [BLOCK_IDS.muteTag]: { [ACTION_IDS.muteTag]: { type: "plain_text_input", value: null } },
    });
    const request = await waitFor(() => h.slack.callsOf("chat.postMessage").find((c) => c.body.channel === APPROVALS && textOf(c.body.blocks).includes("Fix lands next sprint")), "second request");
    const at = { channel: APPROVALS, ts: "1700000010.000001" };
    // Mallory is no approver: refused before any modal opens.
    await click(ACTION_IDS.muteDeny, buttonOf(request, ACTION_IDS.muteDeny)!.value!, MALLORY, "mallory-deny", at);
    await waitFor(() => h.slack.callsOf("response_url").find((c) => String(c.body.text).includes("Only the configured mute approvers")), "non-approver refusal");
    expect(h.slack.callsOf("views.open")).toHaveLength(opensBefore + 1);
    await click(ACTION_IDS.muteDeny, buttonOf(request, ACTION_IDS.muteDeny)!.value!, BOB, "deny", at);
    const decision = viewOf(await waitFor(() => h.slack.callsOf("views.open")[opensBefore + 1], "deny modal"));
    const empty = await submitView(CALLBACK_IDS.muteDecisionModal, decision.private_metadata, BOB, { [BLOCK_IDS.muteDecisionComment]: { [ACTION_IDS.muteDecisionComment]: { value: "" } } });
    expect(await empty.json()).toMatchObject({ response_action: "errors" });
    await submitView(CALLBACK_IDS.muteDecisionModal, decision.private_metadata, BOB, { [BLOCK_IDS.muteDecisionComment]: { [ACTION_IDS.muteDecisionComment]: { value: "Turn on Block Public Access instead" } } });
    const denied = await waitFor(() => h.slack.callsOf("chat.postMessage").find((c) => c.body.thread_ts === findingTs && textOf(c.body.blocks).includes("Mute denied")), "denied reply");
    expect(textOf(denied.body.blocks)).toContain("Turn on Block Public Access instead");
    expect(h.posture.db.prepare("SELECT status FROM findings").all()).toEqual([{ status: "open" }]);
    expect(audit("mute.denied")).toHaveLength(1);
  });

  it("Slack failing while a decision is recorded loses nothing: a later delivery makes each update once, a second delivery none", async () => {
    const findingTs = (h.posture.db.prepare("SELECT ts FROM slack_messages LIMIT 1").get() as { ts: string }).ts;
    const request = await requestMuteAsAlice(findingTs, "Outage drill: decided while Slack is down");
    // Both edits fail (Slack answers an internal error), so the request update and the finding's row stay queued.
    h.slack.failWith("chat.update", "internal_error", { times: 2 });
    const replies = threadReplies(findingTs, "approved by").length;
    await decideAsBob(request, "Approved during the outage");
    const pending = () => h.posture.db.prepare("SELECT idempotency_key AS k, attempts FROM outbox WHERE kind = 'mute.step' AND sent_at IS NULL ORDER BY id").all() as { k: string; attempts: number }[];
    const queued = await waitFor(() => (pending().length === 2 && pending().every((r) => r.attempts === 1) ? pending() : undefined), "both rows tried once and kept");
    const muteId = (h.posture.db.prepare("SELECT id FROM mutes WHERE state = 'approved'").get() as { id: string }).id;
    expect(queued.map((r) => r.k)).toEqual([`mute:${muteId}:approved:request`, expect.stringMatching(new RegExp(`^mute:${muteId}:approved:\\d+$`))]);
    // The database already holds the decision: muted, audited; the thread has not been told yet, by anyone.
    expect(h.posture.db.prepare("SELECT status FROM findings").all()).toEqual([{ status: "muted" }]);
    expect(audit("mute.approved")).toHaveLength(2);
    await h.posture.runtime.deliver();
    expect(threadReplies(findingTs, "approved by")).toHaveLength(replies);

    // Slack is back; the retry is due.
    h.posture.db.prepare("UPDATE outbox SET next_attempt_at = ? WHERE sent_at IS NULL").run(new Date(Date.now() - 1000).toISOString());
    const before = { updates: h.slack.callsOf("chat.update").length, posts: h.slack.callsOf("chat.postMessage").length };
    const report = await h.posture.runtime.deliver();
    expect(report).toMatchObject({ muteSteps: 2, muteStepsDeferred: 0 });
    const updates = h.slack.callsOf("chat.update").slice(before.updates);
    expect(updates.map((c) => c.body.channel).sort()).toEqual([APPROVALS, PAYMENTS].sort());
    expect(textOf(updates.find((c) => c.body.channel === APPROVALS)!.body.blocks)).toContain("Approved during the outage");
    expect(textOf(updates.find((c) => c.body.channel === PAYMENTS)!.body.blocks)).toContain("Muted");
    expect(h.slack.callsOf("chat.postMessage").slice(before.posts)).toHaveLength(1);
    const told = threadReplies(findingTs, "approved by");
    expect(told).toHaveLength(replies + 1);
    expect(textOf(told.at(-1)!.body.blocks)).toContain("Approved during the outage");
    expect(pending()).toEqual([]);

    const after = h.slack.calls.length;
    expect(await h.posture.runtime.deliver()).toMatchObject({ muteSteps: 0, updated: 0, replies: 0 });
    expect(h.slack.calls.length).toBe(after);
  });

  it("Unmute… from the muted finding: only the security team, with a reason and comment; the thread says who and why once", async () => {
    const findingTs = (h.posture.db.prepare("SELECT ts FROM slack_messages LIMIT 1").get() as { ts: string }).ts;
    const where = { channel: PAYMENTS, ts: findingTs };
    const shown = h.slack.callsOf("chat.update").filter((c) => c.body.channel === PAYMENTS && c.body.ts === findingTs).at(-1)!;
    const unmuteValue = buttonOf(shown, ACTION_IDS.muteRevoke)!.value!;
    const muteId = (h.posture.db.prepare("SELECT id FROM mutes WHERE state = 'approved'").get() as { id: string }).id;
    expect(JSON.parse(unmuteValue)).toEqual({ v: 1, muteId: Number(muteId) });
    const refusedBefore = audit("mute.refused").length;
    const opens = h.slack.callsOf("views.open").length;

    await click(ACTION_IDS.muteRevoke, unmuteValue, MALLORY, "unmute-mallory", where);
    await click(ACTION_IDS.muteRevoke, unmuteValue, ALICE, "unmute-alice", where);
    await click(ACTION_IDS.muteRevoke, JSON.stringify({ v: 1, muteId: 999 }), BOB, "unmute-tampered", where);
    const texts = await waitFor(() => {
      const all = h.slack.callsOf("response_url").map((c) => String(c.body.text));
      return all.filter((t) => t.includes("Only the security team")).length === 2 && all.some((t) => t.includes("no longer known")) ? all : undefined;
    }, "three ephemeral refusals");
    expect(texts.filter((t) => t.includes("Only the security team")).every((t) => t.startsWith(":no_entry: Sorry"))).toBe(true);
    expect(h.slack.callsOf("response_url").slice(-3).every((c) => c.body.response_type === "ephemeral")).toBe(true);
    expect(h.slack.callsOf("views.open")).toHaveLength(opens);
    const refusals = audit("mute.refused").slice(refusedBefore).map((r) => ({ actor: r.actor, ...(JSON.parse(r.details) as { action: string; code: string }) }));
    expect(refusals).toEqual(expect.arrayContaining([
      expect.objectContaining({ actor: MALLORY, action: "mute.revoke", code: "not_security_team" }),
      expect.objectContaining({ actor: ALICE, action: "mute.revoke", code: "not_security_team" }),
      expect.objectContaining({ actor: BOB, action: "mute.revoke", code: "unknown_mute" }),
    ]));

    await click(ACTION_IDS.muteRevoke, unmuteValue, BOB, "unmute-bob", where);
    const modal = viewOf(await waitFor(() => h.slack.callsOf("views.open")[opens], "unmute modal"));
    expect(modal.callback_id).toBe(CALLBACK_IDS.muteRevokeModal);
    expect(validateModalView(modal), textOf(validateModalView.errors)).toBe(true);
    const form = (comment: string) => ({
      [BLOCK_IDS.muteRevokeReason]: { [ACTION_IDS.muteRevokeReason]: { type: "static_select", selected_option: { value: "no_longer_accepted" } } },
      [BLOCK_IDS.muteRevokeComment]: { [ACTION_IDS.muteRevokeComment]: { type: "plain_text_input", value: comment } },
    });
    const empty = await submitView(CALLBACK_IDS.muteRevokeModal, modal.private_metadata, BOB, form("  "));
    expect(await empty.json()).toMatchObject({ response_action: "errors", errors: { [BLOCK_IDS.muteRevokeComment]: expect.stringContaining("Say why") } });
    const done = await submitView(CALLBACK_IDS.muteRevokeModal, modal.private_metadata, BOB, form("The CDN migration was cancelled"));
    expect(done.status).toBe(200);

    const reply = await waitFor(() => threadReplies(findingTs, "mute revoked by").at(0), "unmuted reply");
    for (const part of [`<@${BOB}>`, "No longer an accepted risk", "The CDN migration was cancelled", "open again"]) expect(textOf(reply.body.blocks)).toContain(part);
    await h.posture.runtime.deliver();
    expect(threadReplies(findingTs, "Unmuted")).toHaveLength(2); // the earlier expiry, and this revocation: one each
    const request = await waitFor(() => h.slack.callsOf("chat.update").find((c) => c.body.channel === APPROVALS && textOf(c.body.blocks).includes("Revoked")), "request shows the revocation");
    expect(buttonOf(request, ACTION_IDS.muteRevoke)).toBeUndefined();
    expect(h.posture.db.prepare("SELECT status, mute_id FROM findings").all()).toEqual([{ status: "open", mute_id: null }]);
    const revoked = audit("mute.revoked");
    expect(revoked).toHaveLength(1);
    expect(JSON.parse(revoked[0]!.details)).toMatchObject({ reason: "no_longer_accepted", comment: "The CDN migration was cancelled", actorName: "x" });

    // The same button again: the mute is no longer active.
    await click(ACTION_IDS.muteRevoke, unmuteValue, BOB, "unmute-again", where);
    await waitFor(() => h.slack.callsOf("response_url").find((c) => String(c.body.text).includes("not active")), "not active refusal");
  });

  it("a picked expiry date ends at the end of that day in the requester's Slack time zone, else in the digest's zone", async () => {
    const findingTs = (h.posture.db.prepare("SELECT ts FROM slack_messages LIMIT 1").get() as { ts: string }).ts;
    const date = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const localEnd = (timeZone: string) => {
      const { expires_at: expiresAt } = h.posture.db.prepare("SELECT expires_at FROM mutes WHERE state = 'pending'").get() as { expires_at: string };
      return format(new TZDate(Date.parse(expiresAt), timeZone), "yyyy-MM-dd HH:mm:ss.SSS");
    };

    h.slack.setUserTimeZone(ALICE, "America/New_York");
    const fromNewYork = await requestMuteAsAlice(findingTs, "Time zone check: New York", date);
    expect(h.slack.callsOf("users.info").at(-1)!.body.user).toBe(ALICE);
    expect(localEnd("America/New_York")).toBe(`${date} 23:59:59.999`);
    await decideAsBob(fromNewYork, "Deny to clean up", "deny");
    await waitFor(() => (h.posture.db.prepare("SELECT COUNT(*) AS n FROM mutes WHERE state = 'pending'").get() as { n: number }).n === 0 || undefined, "denied");

    // users.info refused (no users:read granted): the date is read in schedules.digest.timeZone.
    h.slack.failWith("users.info", "missing_scope", { times: 2 });
    const fromNowhere = await requestMuteAsAlice(findingTs, "Time zone check: fallback", date);
    expect(localEnd("Europe/Paris")).toBe(`${date} 23:59:59.999`);
    await decideAsBob(fromNowhere, "Deny to clean up", "deny");
  });

  it("a request submitted while Slack fails is kept: a later delivery posts it, then the thread reply linking to it", async () => {
    const findingTs = (h.posture.db.prepare("SELECT ts FROM slack_messages LIMIT 1").get() as { ts: string }).ts;
    const opens = h.slack.callsOf("views.open").length;
    await click(ACTION_IDS.mute, buttonOf(findingPost, ACTION_IDS.mute)!.value!, ALICE, `alice-down-${opens}`, { channel: PAYMENTS, ts: findingTs });
    const modal = viewOf(await waitFor(() => h.slack.callsOf("views.open")[opens], "mute modal"));
    h.slack.failWith("chat.postMessage", "internal_error", { times: 1 });
    const submitted = await submitView(CALLBACK_IDS.muteModal, modal.private_metadata, ALICE, {
      [BLOCK_IDS.muteReason]: { [ACTION_IDS.muteReason]: { type: "static_select", selected_option: { value: "pending_fix" } } },
      [BLOCK_IDS.muteJustification]: { [ACTION_IDS.muteJustification]: { type: "plain_text_input", value: "Requested during an outage" } },
      [BLOCK_IDS.muteExpiry]: { [ACTION_IDS.muteExpiry]: { type: "datepicker", selected_date: new Date(Date.now() + 9 * 86_400_000).toISOString().slice(0, 10) } },
    });
    expect(submitted.status).toBe(200);
    const pending = () => h.posture.db.prepare("SELECT idempotency_key AS k FROM outbox WHERE kind = 'mute.step' AND sent_at IS NULL AND attempts > 0 ORDER BY id").all() as { k: string }[];
    const kept = await waitFor(() => (pending().length === 2 ? pending() : undefined), "request and thread rows kept");
    expect(kept.map((r) => r.k)).toEqual([expect.stringMatching(/:requested:request$/), expect.stringMatching(/:requested:\d+$/)]);
    expect(h.posture.db.prepare("SELECT state, permalink FROM mutes WHERE state = 'pending'").all()).toEqual([{ state: "pending", permalink: null }]);

    h.posture.db.prepare("UPDATE outbox SET next_attempt_at = ? WHERE sent_at IS NULL").run(new Date(Date.now() - 1000).toISOString());
    const before = h.slack.callsOf("chat.postMessage").length;
    expect(await h.posture.runtime.deliver()).toMatchObject({ muteSteps: 2, muteStepsDeferred: 0 });
    const request = h.slack.callsOf("chat.postMessage").slice(before).filter((c) => c.body.channel === APPROVALS && textOf(c.body.blocks).includes("Requested during an outage"));
    expect(request).toHaveLength(1);
    const reply = threadReplies(findingTs, "Requested during an outage");
    expect(reply).toHaveLength(1);
    const { permalink } = h.posture.db.prepare("SELECT permalink FROM mutes WHERE state = 'pending'").get() as { permalink: string };
    expect(textOf(reply[0]!.body.blocks)).toContain(permalink);
    await decideAsBob(request[0]!, "Deny to clean up", "deny");
    await waitFor(() => (h.posture.db.prepare("SELECT COUNT(*) AS n FROM mutes WHERE state = 'pending'").get() as { n: number }).n === 0 || undefined, "denied");
  });
});
