import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SNAPSHOT_SCHEMA_VERSION, type Bucket } from "../../src/core/snapshot.js";
import { ACTION_IDS, CALLBACK_IDS, decodeValue } from "../../src/slack/ids.js";
import { exactBody, sub, XML } from "../aws/fixers/fixer-harness.js";
import { ACCOUNT, bucketHost, queryBody, S3_CONTROL, s3Error, STS } from "../aws/nock-aws.js";
import { blockActionsPayload, sendInteraction, viewSubmissionPayload } from "../helpers/fake-slack/signed-requests.js";
import { validateModalView } from "../helpers/slack-schemas.js";
import { buttonOf, catalogWorkspace, type Harness, SECRET, startHarness, textOf, viewOf, waitFor } from "./harness.js";

const PAYMENTS = "C0PAYMENTS1";
const ALICE = "U0ALICE001";
const MALLORY = "U0MALLORY1";
const FIXER_ROLE = `arn:aws:iam::${ACCOUNT}:role/PostureFixer`;
const BUCKET = "pay-exports";
const HOST = bucketHost(BUCKET, "eu-west-1");
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
const blockXml = ([a, b, c, d]: boolean[]) => `<?xml version="1.0" encoding="UTF-8"?><PublicAccessBlockConfiguration ${NS}><BlockPublicAcls>${a}</BlockPublicAcls><IgnorePublicAcls>${b}</IgnorePublicAcls><BlockPublicPolicy>${c}</BlockPublicPolicy><RestrictPublicBuckets>${d}</RestrictPublicBuckets></PublicAccessBlockConfiguration>`;
const ORIGINAL = [true, false, false, false];
const ALL_ON = [true, true, true, true];
const ASSUME_ROLE_XML = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAFIXER</AccessKeyId><SecretAccessKey>fixer-secret</SecretAccessKey><SessionToken>fixer-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::${ACCOUNT}:assumed-role/PostureFixer/posture-fix</Arn><AssumedRoleId>AROAFIXER:posture-fix</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></AssumeRoleResponse>`;
const bucketBlock = () => nock(HOST).get("/").query(sub("publicAccessBlock"));
const accountBlock = () => nock(S3_CONTROL).get("/v20180820/configuration/publicAccessBlock").matchHeader("x-amz-account-id", ACCOUNT);

/** The real rule catalog, one account with a fixer role, the payments team (Alice) owning the bucket. */
function fixWorkspace(): { dir: string; cleanup(): void } {
  return catalogWorkspace("fix", [
    "accounts:", `  - id: "${ACCOUNT}"`, "    name: prod", `    fixerRoleArn: ${FIXER_ROLE}`, "    fixerExternalId: posture-fix-test",
    "scan: { maxAttempts: 1 }", "teams:", "  - handle: payments", `    channel: ${PAYMENTS}`, `    members: [${ALICE}]`,
    "securityChannel: C0SECURITY1", "fixes: { undoWindowMinutes: 30 }",
  ]);
}

const publicBucket: Bucket = {
  type: "aws:s3:bucket", arn: `arn:aws:s3:::${BUCKET}`, name: BUCKET, accountId: ACCOUNT, region: "eu-west-1", tags: { team: "payments" },
  publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false }, accountPublicAccessBlock: null,
};


const ws = fixWorkspace();
let h: Harness;
let fixItValue: string;
let messageTs: string;
const target = () => ({ url: h.eventsUrl, secret: SECRET });
const click = (actionId: string, value: string, userId = ALICE, id = "r") => sendInteraction(target(), blockActionsPayload({ actionId, value, userId, channel: PAYMENTS, messageTs, responseUrl: h.slack.responseUrl(id) }));
const submit = (privateMetadata: string, userId = ALICE) => {
  const payload = viewSubmissionPayload(CALLBACK_IDS.fixPreviewModal, privateMetadata);
  return sendInteraction(target(), { ...payload, user: { id: userId, username: "x", team_id: "T00000001" } });
};
const audit = (action: string) => h.posture.db.prepare("SELECT actor, details FROM audit_log WHERE action = ? ORDER BY id").all(action) as { actor: string; details: string }[];

beforeAll(async () => {
  h = await startHarness(ws.dir, { awsCredentials: async () => ({ accessKeyId: "AKIDBASEIDENTITY", secretAccessKey: "base/secret/EXAMPLEKEY" }) });
  h.setSnapshot({
    schemaVersion: SNAPSHOT_SCHEMA_VERSION, collectedAt: new Date().toISOString(),
    accounts: [{ accountId: ACCOUNT, regions: ["eu-west-1"], status: "ok", startedAt: new Date().toISOString(), finishedAt: new Date().toISOString(), apiCalls: {}, errors: [] }],
    resources: [publicBucket],
  });
  await h.posture.runtime.scans.request("test").done;
  const posted = h.slack.callsOf("chat.postMessage").find((c) => c.body.channel === PAYMENTS && textOf(c.body.blocks).includes("s3-bucket-block-public-access"));
  fixItValue = buttonOf(posted!, ACTION_IDS.fixIt)!.value!;
  messageTs = "1700000000.000001";
});
afterAll(async () => {
  await h.close();
  ws.cleanup();
});
beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  // Each fixer client (S3 per region, S3 Control, IAM) assumes the fixer role once: only that role,
  // with its external id, is answered; a request signed otherwise would not match the writes below.
  nock(STS).post("/", queryBody("AssumeRole", { RoleArn: FIXER_ROLE, ExternalId: "posture-fix-test", RoleSessionName: "posture-fix" })).optionally().times(10)
    .reply(200, ASSUME_ROLE_XML, { "content-type": "text/xml" });
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  nock.enableNetConnect();
  if (pending.length > 0) throw new Error(`unused AWS mocks: ${pending.join(", ")}`);
});

describe("one-click fix in Slack, end to end (real Bolt app, fake Web API, AWS on nock)", () => {
  it("Fix it -> preview -> Apply -> exact PutPublicAccessBlock -> verified -> message fixed, thread Undo -> Undo restores the original byte for byte", async () => {
    bucketBlock().reply(200, blockXml(ORIGINAL), XML);

    await click(ACTION_IDS.fixIt, fixItValue);
    const opened = await waitFor(() => h.slack.callsOf("views.open")[0], "views.open");
    expect(opened.body.trigger_id).toBe("1.2.trigger");
    const loading = viewOf(opened);
    expect(loading.callback_id).toBe(CALLBACK_IDS.fixPreviewModal);
    expect(validateModalView(loading)).toBe(true);
    const previewCall = await waitFor(() => h.slack.callsOf("views.update")[0], "views.update with the preview");
    const preview = viewOf(previewCall);
    expect(validateModalView(preview), textOf(validateModalView.errors)).toBe(true);
    expect(preview.submit.text).toBe("Apply fix");
    expect(textOf(preview.blocks)).toContain("s3:PutPublicAccessBlock");
    expect(textOf(preview.blocks)).toContain("Turn on all four Block Public Access settings for bucket pay-exports");
    expect(textOf(preview.blocks)).toContain("for 30 minutes");

    bucketBlock().reply(200, blockXml(ORIGINAL), XML);
    // The write is signed with the assumed fixer role's credentials, never the base identity's.
    const put = nock(HOST).put("/", exactBody(blockXml(ALL_ON))).query(sub("publicAccessBlock"))
      .matchHeader("authorization", /Credential=ASIAFIXER\//).matchHeader("x-amz-security-token", "fixer-token").reply(200);
    bucketBlock().reply(200, blockXml(ALL_ON), XML);
    accountBlock().reply(404, s3Error("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found"), XML);
    const ack = await submit(preview.private_metadata);
    expect(await ack.json()).toMatchObject({ response_action: "update", view: { blocks: [{ text: { text: expect.stringContaining("Applying the fix") } }] } });

    const update = await waitFor(() => h.slack.callsOf("chat.update").find((c) => c.body.channel === PAYMENTS), "chat.update of the finding message");
    expect(put.isDone()).toBe(true);
    expect(textOf(update.body.blocks)).toContain("Fixed");
    const reply = await waitFor(() => h.slack.callsOf("chat.postMessage").find((c) => c.body.thread_ts === update.body.ts && buttonOf(c, ACTION_IDS.fixUndo)), "thread reply with Undo");
    expect(textOf(reply.body.blocks)).toContain(`<@${ALICE}>`);
    const result = await waitFor(() => h.slack.callsOf("views.update")[1], "result modal");
    expect(textOf(result.body.view)).toContain("passes the check");
    expect(audit("fix.applied")).toHaveLength(1);
    expect(JSON.parse(audit("fix.applied")[0]!.details)).toMatchObject({ before: { blockPublicAcls: true, ignorePublicAcls: false }, after: { ignorePublicAcls: true } });

    // Undo: the fixer checks the bucket still has what the fix wrote, then puts back the stored original.
    bucketBlock().reply(200, blockXml(ALL_ON), XML);
    const restore = nock(HOST).put("/", exactBody(blockXml(ORIGINAL))).query(sub("publicAccessBlock")).reply(200);
    await click(ACTION_IDS.fixUndo, buttonOf(reply, ACTION_IDS.fixUndo)!.value!);
    const undone = await waitFor(() => h.slack.callsOf("chat.postMessage").find((c) => c.body.thread_ts === update.body.ts && textOf(c.body.blocks).includes("Fix undone")), "undo reply");
    expect(restore.isDone()).toBe(true);
    expect(textOf(undone.body.blocks)).toContain("previous configuration");
    expect(audit("fix.undone")).toHaveLength(1);
  });

  it("refuses Fix it to someone outside the owning team and the security team, with an audit entry, before any AWS call", async () => {
    const opens = h.slack.callsOf("views.open").length;
    await click(ACTION_IDS.fixIt, fixItValue, MALLORY, "mallory");
    const answer = await waitFor(() => h.slack.callsOf("response_url").find((c) => c.body && textOf(c.body).includes("Only the owning team")), "ephemeral refusal");
    expect(answer.body.response_type).toBe("ephemeral");
    expect(h.slack.callsOf("views.open")).toHaveLength(opens);
    expect(audit("fix.refused").some((e) => e.actor === MALLORY)).toBe(true);
  });

  it("refuses Undo to a non-member even with a genuine fix run value", async () => {
    const answers = h.slack.callsOf("response_url").length;
    await click(ACTION_IDS.fixUndo, JSON.stringify({ v: 1, fixRunId: 1 }), MALLORY, "mallory-undo");
    const answer = await waitFor(() => h.slack.callsOf("response_url")[answers], "undo refusal");
    expect(textOf(answer.body)).toContain("Only the owning team");
    expect(audit("fix.refused").some((e) => e.actor === MALLORY && JSON.parse(e.details).step === "undo")).toBe(true);
  });

  it("re-checks the user when a preview is confirmed: a non-member's submission applies nothing", async () => {
    bucketBlock().reply(200, blockXml(ORIGINAL), XML);
    const updates = h.slack.callsOf("views.update").length;
    await click(ACTION_IDS.fixIt, fixItValue);
    const preview = viewOf(await waitFor(() => h.slack.callsOf("views.update")[updates], "preview"));
    const response = await submit(preview.private_metadata, MALLORY);
    expect(textOf(await response.json())).toContain("Only the owning team");
    expect(audit("fix.refused").filter((e) => e.actor === MALLORY).length).toBeGreaterThanOrEqual(2);
  });

  it.each([
    ["an extra field", (v: string) => v.replace("}", ",\"admin\":true}")],
    ["not JSON", () => "{findingId:1"],
    ["an unknown finding", () => JSON.stringify({ v: 1, findingId: 99999 })],
  ])("refuses a tampered Fix it value (%s) without opening anything", async (_name, tamper) => {
    const opens = h.slack.callsOf("views.open").length;
    const answers = h.slack.callsOf("response_url").length;
    await click(ACTION_IDS.fixIt, tamper(fixItValue), ALICE, "tampered");
    const answer = await waitFor(() => h.slack.callsOf("response_url")[answers], "refusal");
    expect(answer.body.response_type).toBe("ephemeral");
    expect(textOf(answer.body)).toContain("out of date");
    expect(h.slack.callsOf("views.open")).toHaveLength(opens);
  });

  it("refuses a tampered Undo value and a forged preview id", async () => {
    await click(ACTION_IDS.fixUndo, JSON.stringify({ v: 1, fixRunId: 424242 }), ALICE, "undo-forged");
    await waitFor(() => h.slack.callsOf("response_url").find((c) => textOf(c.body).includes("out of date")), "undo refusal");
    const response = await submit(JSON.stringify({ v: 1, fixRunId: 424242 }));
    expect(textOf(await response.json())).toContain("This preview is out of date");
    expect(decodeValue("fixRun", "{\"v\":1,\"fixRunId\":\"1; DROP\"}").ok).toBe(false);
  });

  it("reports a failed apply (AccessDenied) in the thread with the AWS error; nothing is changed", async () => {
    bucketBlock().reply(200, blockXml(ORIGINAL), XML);
    const updates = h.slack.callsOf("views.update").length;
    await click(ACTION_IDS.fixIt, fixItValue);
    const preview = viewOf(await waitFor(() => h.slack.callsOf("views.update")[updates], "preview"));
    bucketBlock().reply(200, blockXml(ORIGINAL), XML);
    nock(HOST).put("/", exactBody(blockXml(ALL_ON))).query(sub("publicAccessBlock")).reply(403, s3Error("AccessDenied", "Access Denied", BUCKET), XML);
    await submit(preview.private_metadata);
    const reply = await waitFor(() => h.slack.callsOf("chat.postMessage").find((c) => c.body.thread_ts !== undefined && textOf(c.body.blocks).includes("AccessDenied")), "failure in the thread");
    expect(textOf(reply.body.blocks)).toContain("Access Denied");
    expect(audit("fix.failed")).toHaveLength(1);
  });

  it("refuses a stale preview (the bucket changed since) and shows a fresh one", async () => {
    bucketBlock().reply(200, blockXml(ORIGINAL), XML);
    const updates = h.slack.callsOf("views.update").length;
    await click(ACTION_IDS.fixIt, fixItValue);
    const preview = viewOf(await waitFor(() => h.slack.callsOf("views.update")[updates], "preview"));
    const changed = [true, true, false, false];
    bucketBlock().times(2).reply(200, blockXml(changed), XML);
    await submit(preview.private_metadata);
    const fresh = await waitFor(() => h.slack.callsOf("views.update").slice(updates + 1).find((c) => textOf(c.body.view).includes("changed since")), "fresh preview");
    const view = viewOf(fresh);
    expect(validateModalView(view)).toBe(true);
    expect(view.private_metadata).not.toBe(preview.private_metadata);
    expect(audit("fix.stale").length).toBeGreaterThanOrEqual(1);
  });

  it("refuses to apply while another fix is running on the same bucket", async () => {
    bucketBlock().reply(200, blockXml(ORIGINAL), XML);
    const updates = h.slack.callsOf("views.update").length;
    await click(ACTION_IDS.fixIt, fixItValue);
    const preview = viewOf(await waitFor(() => h.slack.callsOf("views.update")[updates], "preview"));
    const decoded = decodeValue("fixRun", preview.private_metadata);
    if (!decoded.ok) throw new Error(decoded.error);
    const runId = String(decoded.value.fixRunId);
    // Another run of the same bucket is mid-apply (another user, another Posture process).
    const other = h.posture.db.prepare("SELECT * FROM fix_runs WHERE id <> ? ORDER BY CAST(id AS INTEGER) DESC LIMIT 1").get(runId) as { id: string };
    h.posture.db.prepare("UPDATE fix_runs SET state = 'applying' WHERE id = ?").run(other.id);
    try {
      bucketBlock().reply(200, blockXml(ORIGINAL), XML);
      await submit(preview.private_metadata);
      const refused = await waitFor(() => h.slack.callsOf("views.update").slice(updates + 1).find((c) => textOf(c.body.view).includes("Another fix or undo is running")), "busy refusal");
      expect(textOf(refused.body.view)).toContain("nothing was applied");
      expect(audit("fix.refused").some((e) => JSON.parse(e.details).reason.includes(`fix run ${other.id} is applying`))).toBe(true);
    } finally {
      h.posture.db.prepare("UPDATE fix_runs SET state = 'failed' WHERE id = ?").run(other.id);
    }
  });

  it("says honestly when the change was applied but a fresh read still fails, and keeps Undo", async () => {
    bucketBlock().reply(200, blockXml(ORIGINAL), XML);
    const updates = h.slack.callsOf("views.update").length;
    await click(ACTION_IDS.fixIt, fixItValue);
    const preview = viewOf(await waitFor(() => h.slack.callsOf("views.update")[updates], "preview"));
    bucketBlock().reply(200, blockXml(ORIGINAL), XML);
    nock(HOST).put("/", exactBody(blockXml(ALL_ON))).query(sub("publicAccessBlock")).reply(200);
    // Someone (or an SCP-driven automation) turned two settings back off right after the write.
    bucketBlock().reply(200, blockXml([true, true, false, false]), XML);
    accountBlock().reply(404, s3Error("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found"), XML);
    await submit(preview.private_metadata);
    const reply = await waitFor(() => h.slack.callsOf("chat.postMessage").find((c) => c.body.thread_ts !== undefined && textOf(c.body.blocks).includes("a fresh read still fails")), "still-failing reply");
    expect(textOf(reply.body.blocks)).toContain("blockPublicPolicy");
    expect(buttonOf(reply, ACTION_IDS.fixUndo)).toBeDefined();
    const result = await waitFor(() => h.slack.callsOf("views.update").slice(updates + 1).find((c) => textOf(c.body.view).includes("still does not pass")), "result modal");
    expect(result).toBeDefined();
  });
});
