import { describe, expect, it } from "vitest";
import { renderTransitionReply, type TransitionReplyView } from "../../../src/slack/blocks/transition-reply.js";
import { ACTION_IDS, decodeValue } from "../../../src/slack/ids.js";
import { HOSTILE } from "./fixtures.js";
import { expectValidMessage } from "./helpers.js";

const base = { findingId: 123, resourceName: "payments-exports", at: "2026-11-03T08:00:00Z" };
const views: [string, TransitionReplyView][] = [
  ["resolved", { ...base, kind: "resolved", exposureSeconds: 3 * 86_400 + 5 }],
  ["resource deleted", { ...base, kind: "resource_deleted" }],
  ["reopened", { ...base, kind: "reopened", reopenCount: 2, evidence: [{ path: "policyStatus.isPublic", expected: "false", observed: true }] }],
  ["mute requested", { ...base, kind: "mute_requested", requestedBy: "U0REQ", reason: "pending fix", justification: "Migrating to CloudFront next sprint", until: "2026-12-03T00:00:00Z", requestPermalink: "https://example.slack.com/archives/C1/p1700000000000100" }],
  ["mute denied", { ...base, kind: "mute_denied", deniedBy: "U0APP", comment: "Public data must go through CloudFront" }],
  ["muted", { ...base, kind: "muted", requestedBy: "U0REQ", approvedBy: "U0APP", reason: "risk accepted", justification: "Public website assets", until: null }],
  ["unmuted on expiry", { ...base, kind: "unmuted", cause: "expired", status: "open" }],
  ["unmuted by revocation", { ...base, kind: "unmuted", cause: "revoked", by: "U0SEC", status: "resolved" }],
  ["fixed", { ...base, kind: "fixed", by: "U0FIX", summary: "Removed statement PublicRead from the bucket policy", fixRunId: 9, canUndo: true }],
  ["fix failed", { ...base, kind: "fix_failed", by: "U0FIX", reason: "AccessDenied: s3:PutBucketPolicy" }],
  ["fix undone", { ...base, kind: "fix_undone", by: "U0FIX" }],
];

describe("renderTransitionReply", () => {
  it.each(views)("%s: valid Block Kit, matches its snapshot", (_name, view) => {
    const message = renderTransitionReply(view);
    expectValidMessage(message);
    expect(message).toMatchSnapshot();
  });

  it("a fix reply offers Undo with the fix run in a versioned value; without undo, no button", () => {
    const fixed = views.find(([name]) => name === "fixed")![1];
    const withUndo = renderTransitionReply(fixed).blocks.find((b) => b.type === "actions");
    expect(withUndo?.type === "actions" && withUndo.elements[0]?.action_id).toBe(ACTION_IDS.fixUndo);
    expect(withUndo?.type === "actions" && decodeValue("fixRun", withUndo.elements[0] && "value" in withUndo.elements[0] ? withUndo.elements[0].value : "")).toEqual({ ok: true, value: { v: 1, fixRunId: 9 } });
    expect(renderTransitionReply({ ...fixed, canUndo: false } as TransitionReplyView).blocks.some((b) => b.type === "actions")).toBe(false);
  });

  it("escapes hostile names, reasons and comments; a non-https permalink is not linked", () => {
    const message = renderTransitionReply({ ...base, resourceName: HOSTILE, kind: "mute_requested", requestedBy: "<!channel>", reason: HOSTILE, justification: HOSTILE, until: null, requestPermalink: "javascript:alert(1)" });
    expectValidMessage(message);
    expect(JSON.stringify(message)).not.toMatch(/<!channel>|<@U123ABC>|<https:\/\/evil|javascript:/);
  });

  it("a 10,000-character justification stays within the limits", () => {
    expectValidMessage(renderTransitionReply({ ...base, kind: "muted", requestedBy: "U1", approvedBy: "U2", reason: "other", justification: "j".repeat(10_000), until: null }));
  });
});
