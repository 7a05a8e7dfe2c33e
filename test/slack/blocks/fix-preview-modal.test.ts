import { describe, expect, it } from "vitest";
import { renderFixPreviewModal, renderFixStatusModal, type FixPreviewModalView, type FixStatusModalView } from "../../../src/slack/blocks/fix-preview-modal.js";
import { CALLBACK_IDS, decodeValue } from "../../../src/slack/ids.js";
import { expectValidModal, visibleText } from "./helpers.js";

const publicStatement = { Sid: "Public", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::pay-exports/*" };
const keep = (i: number) => ({ Sid: `Keep${i}`, Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::pay-exports/*" });

function view(overrides: Partial<FixPreviewModalView> = {}): FixPreviewModalView {
  const after = { Version: "2012-10-17", Statement: [keep(1), keep(2)] };
  return {
    fixRunId: 42, ruleTitle: "S3 bucket is not public through its bucket policy",
    resource: { name: "pay-exports", arn: "arn:aws:s3:::pay-exports", accountId: "111122223333", region: "eu-west-1" },
    preview: {
      summary: "Remove the public statement Public from the bucket policy of pay-exports (2 statements are kept)",
      before: { Version: "2012-10-17", Statement: [publicStatement, keep(1), keep(2)] }, after,
      calls: [{ service: "s3", operation: "PutBucketPolicy", params: { Bucket: "pay-exports", Policy: JSON.stringify(after) } }],
      notes: ["Anonymous readers lose access to the objects."],
    },
    undoWindowMinutes: 60,
    ...overrides,
  };
}

describe("renderFixPreviewModal", () => {
  it("is a valid modal with summary, before, after, the exact calls, notes and a confirm button", () => {
    const modal = renderFixPreviewModal(view());
    expectValidModal(modal);
    expect(modal.callback_id).toBe(CALLBACK_IDS.fixPreviewModal);
    expect(modal.submit?.text).toBe("Apply fix");
    const text = visibleText(modal.blocks);
    expect(text).toContain("Remove the public statement Public");
    expect(text).toContain("*Before*");
    expect(text).toContain("\"Sid\": \"Public\"");
    expect(text).toContain("`s3:PutBucketPolicy`");
    expect(text).toContain("Anonymous readers lose access");
    expect(text).toContain("for 60 minutes");
  });

  it("names the run in private_metadata as a typed envelope", () => {
    expect(decodeValue("fixRun", renderFixPreviewModal(view()).private_metadata)).toEqual({ ok: true, value: { v: 1, fixRunId: 42 } });
  });

  it("stays valid with huge configurations, many calls, a missing configuration and hostile names", () => {
    const huge = { Statement: Array.from({ length: 400 }, (_, i) => keep(i)) };
    const calls = Array.from({ length: 9 }, (_, i) => ({ service: "s3", operation: "PutBucketPolicy", params: { Bucket: `b${i}`, Policy: JSON.stringify(huge) } }));
    const modal = renderFixPreviewModal(view({
      ruleTitle: "x".repeat(500), notice: "The bucket changed since the last preview: this is a fresh one.",
      resource: { name: "<!channel> `evil` *bold*", arn: "arn:aws:s3:::evil", accountId: "111122223333", region: "eu-west-1" },
      preview: { summary: "s".repeat(5000), before: null, after: huge, calls, notes: Array.from({ length: 9 }, () => "n".repeat(3000)) },
    }));
    expectValidModal(modal);
    const text = visibleText(modal.blocks);
    expect(text).toContain("(none: not configured)");
    expect(text).toContain("…and 4 more calls");
    expect(text).not.toContain("<!channel>");
    for (const block of modal.blocks) expect(JSON.stringify(block).length).toBeLessThan(3_500);
  });
});

describe("renderFixStatusModal", () => {
  it.each<[string, FixStatusModalView, string]>([
    ["reading", { kind: "reading", resourceName: "pay-exports" }, "Reading the current configuration"],
    ["applying", { kind: "applying", resourceName: "pay-exports" }, "Applying the fix"],
    ["applied and passing", { kind: "applied", resourceName: "pay-exports", summary: "Turned on BPA", passes: true }, "passes the check"],
    ["applied, still failing", { kind: "applied", resourceName: "pay-exports", summary: "x", passes: false, reason: "account BPA off" }, "still does not pass: account BPA off"],
    ["failed", { kind: "failed", resourceName: "pay-exports", error: { code: "AccessDenied", message: "Access Denied" } }, "`AccessDenied` Access Denied"],
    ["refused", { kind: "refused", message: "Another fix is running on this bucket." }, "Another fix is running"],
  ])("%s: a valid modal without a submit button", (_name, status, expected) => {
    const modal = renderFixStatusModal(status);
    expectValidModal(modal);
    expect(modal.submit).toBeUndefined();
    expect(visibleText(modal.blocks)).toContain(expected);
  });
});
