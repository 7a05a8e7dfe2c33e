import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FixTarget } from "../../../src/app/fix-ports.js";
import { FixNotApplicableError } from "../../../src/core/fixes/types.js";
import { ACCOUNT, S3_CONTROL, bucketHost, s3Error, setUpNock, tearDownNock } from "../nock-aws.js";
import { NOW, XML, bucketTarget, exactBody, ruleWithFix, sub, testRegistry } from "./fixer-harness.js";

const BUCKET = "web-assets";
const HOST = bucketHost(BUCKET, "eu-west-1");
const target = bucketTarget(BUCKET, "eu-west-1");
const DECL = '<?xml version="1.0" encoding="UTF-8"?>';
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
const CONTROL_NS = 'xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/"';
const OWNER = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";

const blockXml = (ns: string, [a, b, c, d]: boolean[]) => `${DECL}<PublicAccessBlockConfiguration ${ns}><BlockPublicAcls>${a}</BlockPublicAcls><IgnorePublicAcls>${b}</IgnorePublicAcls><BlockPublicPolicy>${c}</BlockPublicPolicy><RestrictPublicBuckets>${d}</RestrictPublicBuckets></PublicAccessBlockConfiguration>`;
const ALL_ON = [true, true, true, true];
const noSuchBlock = (bucket?: string) => [404, s3Error("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found", bucket), XML] as const;
const accountBlock = () => nock(S3_CONTROL).get("/v20180820/configuration/publicAccessBlock").matchHeader("x-amz-account-id", ACCOUNT);

describe("bucket Block Public Access", () => {
  beforeEach(setUpNock);
  afterEach(tearDownNock);
  const fixer = testRegistry().get("s3-bucket-block-public-access")!;
  const rule = ruleWithFix("s3-bucket-block-public-access", fixer.id);

  it("puts all four settings (exact XML), verifies on a direct re-read, and undo deletes the bucket's own configuration", async () => {
    nock(HOST).get("/").query(sub("publicAccessBlock")).reply(...noSuchBlock(BUCKET));
    const preview = await fixer.preview(target, rule, NOW);
    expect(preview.before).toBeNull();
    nock(HOST).put("/", exactBody(blockXml(NS, ALL_ON))).query(sub("publicAccessBlock")).reply(200);
    expect(await fixer.apply(target, preview)).toEqual({ ok: true });

    nock(HOST).get("/").query(sub("publicAccessBlock")).reply(200, blockXml(NS, ALL_ON), XML);
    accountBlock().reply(...noSuchBlock());
    expect(await fixer.verify(target, rule, NOW)).toMatchObject({ status: "pass" });

    nock(HOST).get("/").query(sub("publicAccessBlock")).reply(200, blockXml(NS, ALL_ON), XML);
    nock(HOST).delete("/").query(sub("publicAccessBlock")).reply(204);
    expect(await fixer.undo(target, { before: preview.before, after: preview.after, ruleId: rule.id }, NOW)).toMatchObject({ ok: true });
  });

  it("verify says still failing, with the reason, when the re-read shows a setting off", async () => {
    nock(HOST).get("/").query(sub("publicAccessBlock")).reply(200, blockXml(NS, [true, true, false, false]), XML);
    accountBlock().reply(...noSuchBlock());
    const verification = await fixer.verify(target, rule, NOW);
    expect(verification).toMatchObject({ status: "fail" });
    expect(verification.status === "fail" && verification.reason).toContain("publicAccessBlock.blockPublicPolicy: expected equals true, observed false");
  });

  it("undo refuses to overwrite a configuration changed after the fix", async () => {
    nock(HOST).get("/").query(sub("publicAccessBlock")).reply(200, blockXml(NS, [true, false, true, true]), XML);
    const before = { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false };
    const after = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };
    expect(await fixer.undo(target, { before, after, ruleId: rule.id }, NOW)).toMatchObject({ ok: false, changed: true });
  });
});

describe("account Block Public Access", () => {
  beforeEach(setUpNock);
  afterEach(tearDownNock);
  const fixer = testRegistry().get("s3-account-block-public-access")!;
  const rule = ruleWithFix("s3-account-block-public-access", fixer.id);
  const account: FixTarget = { arn: `arn:aws:s3::${ACCOUNT}:account`, type: "aws:s3:account", accountId: ACCOUNT, region: "us-east-1", name: "s3-account-settings" };

  it("puts all four settings through S3 Control, verifies, and undo restores the previous flags", async () => {
    const previous = blockXml(CONTROL_NS, [true, true, false, false]);
    accountBlock().reply(200, previous, XML);
    const preview = await fixer.preview(account, rule, NOW);
    nock(S3_CONTROL).put("/v20180820/configuration/publicAccessBlock", exactBody(blockXml(CONTROL_NS, ALL_ON))).matchHeader("x-amz-account-id", ACCOUNT).reply(200);
    expect(await fixer.apply(account, preview)).toEqual({ ok: true });
    accountBlock().reply(200, blockXml(CONTROL_NS, ALL_ON), XML);
    expect(await fixer.verify(account, rule, NOW)).toMatchObject({ status: "pass" });
    accountBlock().reply(200, blockXml(CONTROL_NS, ALL_ON), XML);
    nock(S3_CONTROL).put("/v20180820/configuration/publicAccessBlock", exactBody(previous)).reply(200);
    expect(await fixer.undo(account, { before: preview.before, after: preview.after, ruleId: rule.id }, NOW)).toMatchObject({ ok: true });
  });

  it("says there is nothing to do when every setting is already on", async () => {
    accountBlock().reply(200, blockXml(CONTROL_NS, ALL_ON), XML);
    await expect(fixer.preview(account, rule, NOW)).rejects.toBeInstanceOf(FixNotApplicableError);
  });
});

describe("default encryption", () => {
  beforeEach(setUpNock);
  afterEach(tearDownNock);
  const noEncryption = () => nock(HOST).get("/").query(sub("encryption"))
    .reply(404, s3Error("ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found", BUCKET), XML);
  const sse = (rule: string) => `${DECL}<ServerSideEncryptionConfiguration ${NS}><Rule>${rule}</Rule></ServerSideEncryptionConfiguration>`;

  it("sets SSE-S3 without a configured key; undo deletes the configuration", async () => {
    const fixer = testRegistry().get("s3-bucket-default-encryption")!;
    const rule = ruleWithFix("s3-bucket-default-encryption", fixer.id);
    noEncryption();
    const preview = await fixer.preview(target, rule, NOW);
    const body = sse("<ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled>");
    nock(HOST).put("/", exactBody(body)).query(sub("encryption")).reply(200);
    expect(await fixer.apply(target, preview)).toEqual({ ok: true });
    nock(HOST).get("/").query(sub("encryption")).reply(200, body, XML);
    nock(HOST).delete("/").query(sub("encryption")).reply(204);
    expect(await fixer.undo(target, { before: preview.before, after: preview.after, ruleId: rule.id }, NOW)).toMatchObject({ ok: true });
  });

  it("sets SSE-KMS with the configured key and a bucket key", async () => {
    const fixer = testRegistry({ kmsKeyId: "alias/posture-s3" }).get("s3-bucket-default-encryption")!;
    noEncryption();
    const preview = await fixer.preview(target, ruleWithFix("s3-bucket-kms-encryption", fixer.id), NOW);
    const body = sse("<ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>alias/posture-s3</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled>");
    nock(HOST).put("/", exactBody(body)).query(sub("encryption")).reply(200);
    expect(await fixer.apply(target, preview)).toEqual({ ok: true });
  });

  it("refuses the KMS rule when no key is configured", async () => {
    const fixer = testRegistry().get("s3-bucket-default-encryption")!;
    noEncryption();
    await expect(fixer.preview(target, ruleWithFix("s3-bucket-kms-encryption", fixer.id), NOW)).rejects.toThrow(/configure the fixer's KMS key/);
  });
});

describe("versioning", () => {
  beforeEach(setUpNock);
  afterEach(tearDownNock);
  const fixer = testRegistry().get("s3-bucket-enable-versioning")!;
  const rule = ruleWithFix("s3-bucket-versioning", fixer.id);
  const versioning = (status: string) => `${DECL}<VersioningConfiguration ${NS}><Status>${status}</Status></VersioningConfiguration>`;

  it("enables it, says it can never be turned off, and undo suspends it", async () => {
    nock(HOST).get("/").query(sub("versioning")).reply(200, `${DECL}<VersioningConfiguration ${NS}/>`, XML);
    const preview = await fixer.preview(target, rule, NOW);
    expect(preview.notes.join(" ")).toMatch(/can never be turned off/);
    nock(HOST).put("/", exactBody(versioning("Enabled"))).query(sub("versioning")).reply(200);
    expect(await fixer.apply(target, preview)).toEqual({ ok: true });
    nock(HOST).get("/").query(sub("versioning")).reply(200, versioning("Enabled"), XML);
    expect(await fixer.verify(target, rule, NOW)).toMatchObject({ status: "pass" });
    nock(HOST).get("/").query(sub("versioning")).reply(200, versioning("Enabled"), XML);
    nock(HOST).put("/", exactBody(versioning("Suspended"))).query(sub("versioning")).reply(200);
    expect(await fixer.undo(target, { before: preview.before, after: preview.after, ruleId: rule.id }, NOW)).toMatchObject({ ok: true });
  });

  it("refuses a bucket with MFA Delete (only root with its MFA device can change versioning)", async () => {
    nock(HOST).get("/").query(sub("versioning")).reply(200, `${DECL}<VersioningConfiguration ${NS}><Status>Suspended</Status><MfaDelete>Enabled</MfaDelete></VersioningConfiguration>`, XML);
    await expect(fixer.preview(target, rule, NOW)).rejects.toThrow(/MFA Delete/);
  });
});

describe("public ACL grants", () => {
  beforeEach(setUpNock);
  afterEach(tearDownNock);
  const fixer = testRegistry().get("s3-bucket-acl-remove-public-grants")!;
  const rule = ruleWithFix("s3-bucket-public-read-acl", fixer.id);
  const grant = (grantee: string, permission: string) => `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="${grantee.startsWith("http") ? "Group" : "CanonicalUser"}">${grantee.startsWith("http") ? `<URI>${grantee}</URI>` : `<ID>${grantee}</ID><DisplayName>webfile</DisplayName>`}</Grantee><Permission>${permission}</Permission></Grant>`;
  const ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
  const LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery";
  const aclXml = (grants: string[]) => `${DECL}<AccessControlPolicy ${NS}><Owner><ID>${OWNER}</ID><DisplayName>webfile</DisplayName></Owner><AccessControlList>${grants.join("")}</AccessControlList></AccessControlPolicy>`;
  // The SDK serialises grantees as xsi:type first, DisplayName before ID, and Owner after the list.
  const sent = (grants: string[]) => `${DECL}<AccessControlPolicy ${NS}><AccessControlList>${grants.join("")}</AccessControlList><Owner><DisplayName>webfile</DisplayName><ID>${OWNER}</ID></Owner></AccessControlPolicy>`;
  const sentOwner = `<Grant><Grantee xsi:type="CanonicalUser" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><DisplayName>webfile</DisplayName><ID>${OWNER}</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant>`;
  const sentGroup = (uri: string, permission: string) => `<Grant><Grantee xsi:type="Group" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><URI>${uri}</URI></Grantee><Permission>${permission}</Permission></Grant>`;

  it("replaces the ACL keeping the owner's and the log-delivery grants; undo puts the public grant back", async () => {
    const original = [grant(OWNER, "FULL_CONTROL"), grant(ALL_USERS, "READ"), grant(LOG_DELIVERY, "WRITE")];
    nock(HOST).get("/").query(sub("acl")).reply(200, aclXml(original), XML);
    const preview = await fixer.preview(target, rule, NOW);
    nock(HOST).put("/", exactBody(sent([sentOwner, sentGroup(LOG_DELIVERY, "WRITE")]))).query(sub("acl")).reply(200);
    expect(await fixer.apply(target, preview)).toEqual({ ok: true });

    nock(HOST).get("/").query(sub("acl")).reply(200, aclXml([grant(OWNER, "FULL_CONTROL"), grant(LOG_DELIVERY, "WRITE")]), XML);
    nock(HOST).put("/", exactBody(sent([sentOwner, sentGroup(ALL_USERS, "READ"), sentGroup(LOG_DELIVERY, "WRITE")]))).query(sub("acl")).reply(200);
    expect(await fixer.undo(target, { before: preview.before, after: preview.after, ruleId: rule.id }, NOW)).toMatchObject({ ok: true });
  });

  it("verify fails honestly when the re-read still shows a public grant", async () => {
    nock(HOST).get("/").query(sub("publicAccessBlock")).reply(...noSuchBlock(BUCKET));
    accountBlock().reply(...noSuchBlock());
    nock(HOST).get("/").query(sub("acl")).reply(200, aclXml([grant(OWNER, "FULL_CONTROL"), grant("http://acs.amazonaws.com/groups/global/AuthenticatedUsers", "READ_ACP")]), XML);
    expect(await fixer.verify(target, rule, NOW)).toMatchObject({ status: "fail" });
  });

  it("reports NoSuchBucket on apply as the AWS error", async () => {
    nock(HOST).get("/").query(sub("acl")).reply(200, aclXml([grant(OWNER, "FULL_CONTROL"), grant(ALL_USERS, "READ")]), XML);
    const preview = await fixer.preview(target, rule, NOW);
    nock(HOST).put("/").query(sub("acl")).reply(404, s3Error("NoSuchBucket", "The specified bucket does not exist", BUCKET), XML);
    expect(await fixer.apply(target, preview)).toMatchObject({ ok: false, error: { code: "NoSuchBucket" } });
  });
});
