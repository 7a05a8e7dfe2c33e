import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SNAPSHOT_SCHEMA_VERSION, type Bucket, type Snapshot } from "../../src/core/snapshot.js";
import { ACTION_IDS, BLOCK_IDS, CALLBACK_IDS } from "../../src/slack/ids.js";
import { ACCOUNT } from "../aws/nock-aws.js";
import { blockActionsPayload, sendInteraction, viewSubmissionPayload } from "../helpers/fake-slack/signed-requests.js";
import { buttonOf, catalogWorkspace, type Harness, SECRET, startHarness, textOf, viewOf, waitFor } from "./harness.js";

const PAYMENTS = "C0PAYMENTS1";
const APPROVALS = "C0APPROVE1";
const ALICE = "U0ALICE001";
const BOB = "U0BOBSEC01";
const RULE = "s3-bucket-block-public-access";

/** The real rule catalog; Alice (payments) requests, Bob (security team) approves. */
function workspace(): { dir: string; cleanup(): void } {
  return catalogWorkspace("mute-tag", [
    "accounts:", `  - id: "${ACCOUNT}"`, "    name: prod", "scan: { maxAttempts: 1 }",
    "teams:", "  - handle: payments", `    channel: ${PAYMENTS}`, `    members: [${ALICE}]`,
    "securityChannel: C0SECURITY1", `securityTeam: { members: [${BOB}] }`,
    `mutes: { approvers: { members: [${BOB}] }, maxDays: 90, allowPermanent: false, approvalsChannel: ${APPROVALS} }`,
  ]);
}

const openBucket = (name: string, tags: Record<string, string>): Bucket => ({
  type: "aws:s3:bucket", arn: `arn:aws:s3:::${name}`, name, accountId: ACCOUNT, region: "eu-west-1", tags: { team: "payments", ...tags },
  publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false }, accountPublicAccessBlock: null,
});
const WEBSITES = ["site-a", "site-b", "site-c"];
const snapshot = (buckets: Bucket[]): Snapshot => ({
  schemaVersion: SNAPSHOT_SCHEMA_VERSION, collectedAt: new Date().toISOString(),
  accounts: [{ accountId: ACCOUNT, regions: ["eu-west-1"], status: "ok", startedAt: new Date().toISOString(), finishedAt: new Date().toISOString(), apiCalls: {}, errors: [] }],
  resources: buckets,
});
const firstScan = [...WEBSITES.map((n) => openBucket(n, { public: "intended" })), openBucket("pay-private", {})];


const ws = workspace();
let h: Harness;
const target = () => ({ url: h.eventsUrl, secret: SECRET });
const submitView = (callbackId: string, privateMetadata: string, userId: string, values: Record<string, unknown>) => {
  const payload = viewSubmissionPayload(callbackId, privateMetadata) as { view: Record<string, unknown> };
  return sendInteraction(target(), { ...payload, user: { id: userId, username: "x", name: "x", team_id: "T00000001" }, view: { ...payload.view, state: { values } } });
};
const findings = () => h.posture.db.prepare("SELECT f.id, r.name, f.status, f.mute_id AS muteId FROM findings f JOIN resources r ON r.arn = f.resource_arn WHERE f.rule_id = ? ORDER BY r.name").all(RULE) as { id: number; name: string; status: string; muteId: string | null }[];
const messageTs = (name: string) => (h.posture.db.prepare("SELECT m.ts FROM slack_messages m JOIN findings f ON f.id = m.finding_id WHERE f.resource_arn = ? AND f.rule_id = ?").get(`arn:aws:s3:::${name}`, RULE) as { ts: string } | undefined)?.ts;
const replies = (ts: string | undefined, word: string) => h.slack.callsOf("chat.postMessage").filter((c) => c.body.thread_ts === ts && textOf(c.body.blocks).includes(word));

beforeAll(async () => {
  h = await startHarness(ws.dir);
  h.setSnapshot(snapshot(firstScan));
  await h.posture.runtime.scans.request("test").done;
});
afterAll(async () => {
  await h.close();
  ws.cleanup();
});

describe("a rule + tag mute, end to end", () => {
  it("approved once, it mutes every matching finding (one thread reply each), then a later scan's new match is created muted and not posted; the digest lists it as expiring", async () => {
    expect(WEBSITES.concat("pay-private").map(messageTs).every((ts) => ts !== undefined)).toBe(true);
    const siteA = h.slack.callsOf("chat.postMessage").find((c) => c.body.channel === PAYMENTS && textOf(c.body.blocks).includes("site-a"))!;
    await sendInteraction(target(), blockActionsPayload({
      actionId: ACTION_IDS.mute, value: buttonOf(siteA, ACTION_IDS.mute)!.value!, userId: ALICE, channel: PAYMENTS, messageTs: messageTs("site-a")!,
      responseUrl: h.slack.responseUrl("alice"), triggerId: "trigger-alice",
    }));
    const modal = viewOf(await waitFor(() => h.slack.callsOf("views.open")[0], "mute modal"));
    const expiry = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const submitted = await submitView(CALLBACK_IDS.muteModal, modal.private_metadata, ALICE, {
      [BLOCK_IDS.muteReason]: { [ACTION_IDS.muteReason]: { type: "static_select", selected_option: { value: "risk_accepted" } } },
      [BLOCK_IDS.muteJustification]: { [ACTION_IDS.muteJustification]: { type: "plain_text_input", value: "Static websites are public by design" } },
      [BLOCK_IDS.muteExpiry]: { [ACTION_IDS.muteExpiry]: { type: "datepicker", selected_date: expiry } },
      [BLOCK_IDS.muteScope]: { [ACTION_IDS.muteScope]: { type: "radio_buttons", selected_option: { value: "rule_tag" } } },
      [BLOCK_IDS.muteTag]: { [ACTION_IDS.muteTag]: { type: "plain_text_input", value: "public=intended" } },
    });
    expect(submitted.status).toBe(200);
    const request = await waitFor(() => h.slack.callsOf("chat.postMessage").find((c) => c.body.channel === APPROVALS), "request posted");
    expect(textOf(request.body.blocks)).toContain("public=intended");

    await sendInteraction(target(), blockActionsPayload({
      actionId: ACTION_IDS.muteApprove, value: buttonOf(request, ACTION_IDS.muteApprove)!.value!, userId: BOB, channel: APPROVALS, messageTs: "1700000099.000001",
      responseUrl: h.slack.responseUrl("bob"), triggerId: "trigger-bob",
    }));
    const decision = viewOf(await waitFor(() => h.slack.callsOf("views.open")[1], "decision modal"));
    await submitView(CALLBACK_IDS.muteDecisionModal, decision.private_metadata, BOB, { [BLOCK_IDS.muteDecisionComment]: { [ACTION_IDS.muteDecisionComment]: { value: "Reviewed with the web team" } } });

    const muteId = await waitFor(() => (h.posture.db.prepare("SELECT id FROM mutes WHERE state = 'approved'").get() as { id: string } | undefined)?.id, "approved");
    expect(findings().map((f) => [f.name, f.status, f.muteId])).toEqual([["pay-private", "open", null], ...WEBSITES.map((n) => [n, "muted", muteId])]);
    for (const name of WEBSITES) {
      const told = await waitFor(() => (replies(messageTs(name), "approved by").length > 0 ? replies(messageTs(name), "approved by") : undefined), `${name} told`);
      expect(textOf(told[0]!.body.blocks)).toContain("Reviewed with the web team");
      const edit = h.slack.callsOf("chat.update").filter((c) => c.body.ts === messageTs(name)).at(-1)!;
      expect(buttonOf(edit, ACTION_IDS.muteRevoke)).toBeDefined();
    }
    await h.posture.runtime.deliver();
    for (const name of WEBSITES) expect(replies(messageTs(name), "Muted")).toHaveLength(1);
    expect(replies(messageTs("pay-private"), "Muted")).toHaveLength(0);

    // A later scan finds a fourth website: created muted by the same mute, never posted, out of the score.
    const posts = h.slack.callsOf("chat.postMessage").length;
    h.setSnapshot(snapshot([...firstScan, openBucket("site-d", { public: "intended" })]));
    await h.posture.runtime.scans.request("test").done;
    expect(findings().find((f) => f.name === "site-d")).toMatchObject({ status: "muted", muteId });
    expect(h.slack.callsOf("chat.postMessage").slice(posts).filter((c) => textOf(c.body.blocks).includes("site-d"))).toEqual([]);
    const created = h.posture.db.prepare("SELECT details FROM audit_log WHERE action = 'finding.new' AND finding_id = ?").get(findings().find((f) => f.name === "site-d")!.id) as { details: string };
    expect(JSON.parse(created.details)).toMatchObject({ mutedBy: muteId });

    // The daily digest lists the stored mute under "Mutes expiring this week", in the team's digest and the org's.
    await h.posture.scheduler.runNow("digest");
    const digests = h.slack.callsOf("chat.postMessage").filter((c) => textOf(c.body.blocks).includes("Mutes expiring this week"));
    expect(digests.map((c) => c.body.channel).sort()).toEqual([PAYMENTS, "C0SECURITY1"]);
    for (const digest of digests) expect(textOf(digest.body.blocks)).toContain("tag public=intended");
  });
});
