import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FixNotApplicableError } from "../../../src/core/fixes/types.js";
import { POLICY_STATUS_PUBLIC } from "../fixtures-s3.js";
import { ACCOUNT, S3_CONTROL, bucketHost, s3Error, setUpNock, tearDownNock } from "../nock-aws.js";
import { JSON_TYPE, NOW, XML, bucketTarget, exactBody, ruleWithFix, sub, testRegistry } from "./fixer-harness.js";

const BUCKET = "payments-exports";
const HOST = bucketHost(BUCKET, "us-east-1");
const target = bucketTarget(BUCKET);
const REMOVE = "s3-bucket-policy-remove-public-statements";
const TLS = "s3-bucket-policy-deny-insecure-transport";

const keep = [
  { Sid: "CloudFrontOAC", Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: { StringEquals: { "AWS:SourceArn": "arn:aws:cloudfront::123456789012:distribution/EDFDVBD6EXAMPLE" } } },
  { Sid: "PartnerRead", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: ["s3:GetObject", "s3:ListBucket"], Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`] },
  { Sid: "DenyHttp", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
  { Sid: "VpcEndpointOnly", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: { StringEquals: { "aws:SourceVpce": "vpce-1a2b3c4d" } } },
];
const PUBLIC_READ = { Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*` };
const FIVE = { Version: "2012-10-17", Id: "exports-policy", Statement: [keep[0], PUBLIC_READ, keep[1], keep[2], keep[3]] };
// Pretty-printed on purpose: undo must put back these exact bytes, not a re-serialisation.
const ORIGINAL_TEXT = JSON.stringify(FIVE, null, 2);
const EXPECTED_AFTER = JSON.stringify({ Version: "2012-10-17", Id: "exports-policy", Statement: keep });

const policyStatus = (isPublic: boolean) => `<?xml version="1.0" encoding="UTF-8"?>\n<PolicyStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><IsPublic>${isPublic}</IsPublic></PolicyStatus>`;
const noBlock = () => {
  nock(HOST).get("/").query(sub("publicAccessBlock")).reply(404, s3Error("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found", BUCKET), XML);
  nock(S3_CONTROL).get("/v20180820/configuration/publicAccessBlock").matchHeader("x-amz-account-id", ACCOUNT)
    .reply(404, s3Error("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found"), XML);
};
const getPolicy = (text: string) => nock(HOST).get("/").query(sub("policy")).reply(200, text, JSON_TYPE);
const noPolicy = () => nock(HOST).get("/").query(sub("policy")).reply(404, s3Error("NoSuchBucketPolicy", "The bucket policy does not exist", BUCKET), XML);

describe("remove the public statements of a bucket policy", () => {
  beforeEach(setUpNock);
  afterEach(tearDownNock);
  const fixer = testRegistry().get(REMOVE)!;
  const rule = ruleWithFix("s3-bucket-public-policy", REMOVE);

  it("keeps the four statements that are not public (exact PutBucketPolicy body), verifies, and undo restores the original bytes", async () => {
    getPolicy(ORIGINAL_TEXT);
    const preview = await fixer.preview(target, rule, NOW);
    expect(preview.calls).toEqual([{ service: "s3", operation: "PutBucketPolicy", params: { Bucket: BUCKET, Policy: EXPECTED_AFTER } }]);
    expect(preview.before).toBe(ORIGINAL_TEXT);
    expect(preview.notes[0]).toMatch(/^removed statement PublicRead: /);

    const put = nock(HOST).put("/", exactBody(EXPECTED_AFTER)).query(sub("policy")).reply(204);
    expect(await fixer.apply(target, preview)).toEqual({ ok: true });
    expect(put.isDone()).toBe(true);

    nock(HOST).get("/").query(sub("policyStatus")).reply(200, policyStatus(false), XML);
    getPolicy(EXPECTED_AFTER);
    noBlock();
    expect(await fixer.verify(target, rule, NOW)).toMatchObject({ status: "pass" });

    getPolicy(EXPECTED_AFTER);
    const restore = nock(HOST).put("/", exactBody(ORIGINAL_TEXT)).query(sub("policy")).reply(204);
    const undone = await fixer.undo(target, { before: preview.before, after: preview.after, ruleId: rule.id }, NOW);
    expect(undone).toEqual({ ok: true, calls: [{ service: "s3", operation: "PutBucketPolicy", params: { Bucket: BUCKET, Policy: ORIGINAL_TEXT } }] });
    expect(restore.isDone()).toBe(true);
  });

  it("deletes the policy when its only statement is public, and undo puts it back", async () => {
    const only = JSON.stringify({ Version: "2012-10-17", Statement: [PUBLIC_READ] });
    getPolicy(only);
    const preview = await fixer.preview(target, rule, NOW);
    expect(preview.calls).toEqual([{ service: "s3", operation: "DeleteBucketPolicy", params: { Bucket: BUCKET } }]);
    nock(HOST).delete("/").query(sub("policy")).reply(204);
    expect(await fixer.apply(target, preview)).toEqual({ ok: true });
    noPolicy();
    nock(HOST).put("/", exactBody(only)).query(sub("policy")).reply(204);
    expect(await fixer.undo(target, { before: preview.before, after: preview.after, ruleId: rule.id }, NOW)).toMatchObject({ ok: true });
  });

  it("verify fails honestly when a second public statement was added concurrently", async () => {
    getPolicy(ORIGINAL_TEXT);
    const preview = await fixer.preview(target, rule, NOW);
    nock(HOST).put("/", exactBody(EXPECTED_AFTER)).query(sub("policy")).reply(204);
    await fixer.apply(target, preview);
    const sneaky = { Sid: "AddedMeanwhile", Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:PutObject", Resource: `arn:aws:s3:::${BUCKET}/*` };
    nock(HOST).get("/").query(sub("policyStatus")).reply(200, POLICY_STATUS_PUBLIC, XML);
    getPolicy(JSON.stringify({ Version: "2012-10-17", Statement: [...keep, sneaky] }));
    noBlock();
    const verification = await fixer.verify(target, rule, NOW);
    expect(verification).toMatchObject({ status: "fail" });
    expect(verification.status === "fail" && verification.reason).toContain("AddedMeanwhile");
  });

  it("reports AccessDenied on apply and writes nothing else", async () => {
    getPolicy(ORIGINAL_TEXT);
    const preview = await fixer.preview(target, rule, NOW);
    nock(HOST).put("/").query(sub("policy")).reply(403, s3Error("AccessDenied", "Access Denied", BUCKET), XML);
    // nock.disableNetConnect(): any further request (a DeleteBucketPolicy, a retry) would fail the test.
    expect(await fixer.apply(target, preview)).toEqual({ ok: false, error: { code: "AccessDenied", message: "Access Denied" }, rolledBack: [] });
  });

  it("refuses a policy without a public statement before writing anything", async () => {
    getPolicy(JSON.stringify({ Version: "2012-10-17", Statement: keep }));
    await expect(fixer.preview(target, rule, NOW)).rejects.toBeInstanceOf(FixNotApplicableError);
  });

  it("for the public-write rule removes only the statements granting write", async () => {
    const writer = { Sid: "PublicUpload", Effect: "Allow", Principal: "*", Action: "s3:PutObject", Resource: `arn:aws:s3:::${BUCKET}/*` };
    getPolicy(JSON.stringify({ Version: "2012-10-17", Statement: [PUBLIC_READ, writer] }));
    const preview = await fixer.preview(target, ruleWithFix("s3-bucket-public-write-policy", REMOVE), NOW);
    expect(preview.after).toBe(JSON.stringify({ Version: "2012-10-17", Statement: [PUBLIC_READ] }));
  });
});

describe("add the TLS-only deny statement", () => {
  beforeEach(setUpNock);
  afterEach(tearDownNock);
  const fixer = testRegistry().get(TLS)!;
  const rule = ruleWithFix("s3-bucket-secure-transport", TLS);
  const deny = {
    Sid: "PostureDenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*",
    Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } },
  };

  it("creates a policy when there is none; undo deletes it", async () => {
    noPolicy();
    const preview = await fixer.preview(target, rule, NOW);
    const expected = JSON.stringify({ Version: "2012-10-17", Statement: [deny] });
    nock(HOST).put("/", exactBody(expected)).query(sub("policy")).reply(204);
    expect(await fixer.apply(target, preview)).toEqual({ ok: true });
    getPolicy(expected);
    expect(await fixer.verify(target, rule, NOW)).toMatchObject({ status: "pass" });
    getPolicy(expected);
    nock(HOST).delete("/").query(sub("policy")).reply(204);
    expect(await fixer.undo(target, { before: preview.before, after: preview.after, ruleId: rule.id }, NOW)).toMatchObject({ ok: true });
  });

  it("appends to an existing policy, keeping every statement", async () => {
    const existing = { Version: "2012-10-17", Statement: [keep[0], PUBLIC_READ] };
    getPolicy(JSON.stringify(existing));
    const preview = await fixer.preview(target, rule, NOW);
    const expected = JSON.stringify({ ...existing, Statement: [keep[0], PUBLIC_READ, deny] });
    nock(HOST).put("/", exactBody(expected)).query(sub("policy")).reply(204);
    expect(await fixer.apply(target, preview)).toEqual({ ok: true });
  });

  it("refuses when the policy already denies plain HTTP", async () => {
    getPolicy(JSON.stringify({ Version: "2012-10-17", Statement: [keep[2]] }));
    await expect(fixer.preview(target, rule, NOW)).rejects.toThrow(/already denies/);
  });
});
