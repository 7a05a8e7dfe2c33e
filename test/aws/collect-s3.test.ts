import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BUCKET_ATTRIBUTES } from "../../src/aws/collection-plan.js";
import { snapshotSchema, type Bucket } from "../../src/core/snapshot.js";
import {
  ACCOUNT_PUBLIC_ACCESS_BLOCK, ACL_PUBLIC_READ, ENCRYPTION_KMS, LOGGING_OFF, LOGGING_ON, OBJECT_LOCK, OWNERSHIP_OBJECT_WRITER,
  POLICY_STATUS_PUBLIC, PUBLIC_ACCESS_BLOCK, PUBLIC_POLICY, TAGGING, VERSIONING_ENABLED, VERSIONING_NEVER, listBucketsPage,
} from "./fixtures-s3.js";
import { ACCOUNT, S3_CONTROL, S3_HOME, bucketHost, mockCallerIdentity, reads, s3Error, setUpNock, tearDownNock, testCollector, testConfig } from "./nock-aws.js";

const XML = { "content-type": "application/xml" };
const ALL_BUCKET = reads({ "aws:s3:bucket": [...BUCKET_ATTRIBUTES, "accountPublicAccessBlock"], "aws:s3:account": ["publicAccessBlock"] });

function mockBucketList(pages: [string, string][][]) {
  pages.forEach((buckets, i) => {
    // The SDK adds x-id=ListBuckets; the paging parameters are what matters.
    const query = (q: Record<string, unknown>) => q["max-buckets"] === "1000" && q["continuation-token"] === (i > 0 ? `token-${i}` : undefined);
    nock(S3_HOME).get("/").query(query).reply(200, listBucketsPage(buckets, i + 1 < pages.length ? `token-${i + 1}` : undefined), XML);
  });
}

/** GET /?{subresource} (the SDK may add x-id=OperationName). */
const sub = (key: string) => (query: Record<string, unknown>) => key in query;
const notFound = (code: string, message: string, bucket: string) => [404, s3Error(code, message, bucket), XML] as const;

describe("S3 collection against S3's wire format", () => {
  beforeEach(setUpNock);
  afterEach(tearDownNock);

  it("lists buckets page by page and sends each bucket's calls to its own region", async () => {
    mockCallerIdentity();
    mockBucketList([[["site-assets", "eu-west-1"]], [["empty-config", "us-east-1"]]]);
    nock(S3_CONTROL).get("/v20180820/configuration/publicAccessBlock").matchHeader("x-amz-account-id", ACCOUNT).reply(200, ACCOUNT_PUBLIC_ACCESS_BLOCK, XML);
    nock(bucketHost("site-assets", "eu-west-1"))
      .get("/").query(sub("publicAccessBlock")).reply(200, PUBLIC_ACCESS_BLOCK, XML)
      .get("/").query(sub("policyStatus")).reply(200, POLICY_STATUS_PUBLIC, XML)
      .get("/").query(sub("policy")).reply(200, PUBLIC_POLICY, { "content-type": "application/json" })
      .get("/").query(sub("acl")).reply(200, ACL_PUBLIC_READ, XML)
      .get("/").query(sub("ownershipControls")).reply(200, OWNERSHIP_OBJECT_WRITER, XML)
      .get("/").query(sub("tagging")).reply(200, TAGGING, XML)
      .get("/").query(sub("versioning")).reply(200, VERSIONING_ENABLED, XML)
      .get("/").query(sub("encryption")).reply(200, ENCRYPTION_KMS, XML)
      .get("/").query(sub("logging")).reply(200, LOGGING_ON, XML)
      .get("/").query(sub("object-lock")).reply(200, OBJECT_LOCK, XML);
    const b = "empty-config";
    nock(bucketHost(b, "us-east-1"))
      .get("/").query(sub("publicAccessBlock")).reply(...notFound("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found", b))
      .get("/").query(sub("policyStatus")).reply(...notFound("NoSuchBucketPolicy", "The bucket policy does not exist", b))
      .get("/").query(sub("policy")).reply(...notFound("NoSuchBucketPolicy", "The bucket policy does not exist", b))
      .get("/").query(sub("acl")).reply(200, ACL_PUBLIC_READ, XML)
      .get("/").query(sub("ownershipControls")).reply(...notFound("OwnershipControlsNotFoundError", "The bucket ownership controls were not found", b))
      .get("/").query(sub("tagging")).reply(...notFound("NoSuchTagSet", "The TagSet does not exist", b))
      .get("/").query(sub("versioning")).reply(200, VERSIONING_NEVER, XML)
      .get("/").query(sub("encryption")).reply(...notFound("ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found", b))
      .get("/").query(sub("logging")).reply(200, LOGGING_OFF, XML)
      .get("/").query(sub("object-lock")).reply(...notFound("ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket", b));

    const snapshot = await testCollector(testConfig()).collect({ reads: ALL_BUCKET });
    expect(snapshotSchema.safeParse(snapshot).success).toBe(true);
    expect(snapshot.accounts[0]).toMatchObject({ status: "ok", errors: [], regions: ["us-east-1", "eu-west-1"], resourceTypes: ["aws:s3:bucket", "aws:s3:account"] });
    expect(snapshot.accounts[0]!.apiCalls).toMatchObject({ "s3:ListBuckets": 2, "s3:GetBucketAcl": 2, "s3control:GetPublicAccessBlock": 1 });

    const accountBlock = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };
    expect(snapshot.resources.find((r) => r.type === "aws:s3:account")).toEqual({
      type: "aws:s3:account", arn: `arn:aws:s3::${ACCOUNT}:account`, accountId: ACCOUNT, region: "us-east-1", name: "s3-account-settings", tags: {}, publicAccessBlock: accountBlock,
    });
    const site = snapshot.resources.find((r) => r.name === "site-assets") as Bucket;
    expect(site).toEqual({
      type: "aws:s3:bucket", arn: "arn:aws:s3:::site-assets", accountId: ACCOUNT, region: "eu-west-1", name: "site-assets",
      createdAt: "2019-12-11T23:32:47.000Z",
      publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false },
      accountPublicAccessBlock: accountBlock,
      policyStatus: { isPublic: true },
      policy: JSON.parse(PUBLIC_POLICY),
      acl: {
        owner: { id: "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", displayName: "webfile" },
        grants: [
          { grantee: { type: "CanonicalUser", id: "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", displayName: "webfile" }, permission: "FULL_CONTROL" },
          { grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" }, permission: "READ" },
        ],
      },
      ownershipControls: "ObjectWriter",
      tags: { team: "web", env: "prod" },
      versioning: { status: "Enabled", mfaDelete: "Enabled" },
      encryption: { rules: [{ algorithm: "aws:kms", kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", bucketKeyEnabled: true }] },
      logging: { targetBucket: "access-logs", targetPrefix: "site-assets/" },
      objectLock: { enabled: true, defaultRetention: { mode: "COMPLIANCE", years: 7 } },
    });
    expect(snapshot.resources.find((r) => r.name === "empty-config")).toMatchObject({
      publicAccessBlock: null, policyStatus: null, policy: null, ownershipControls: null, tags: {},
      versioning: { status: "Disabled", mfaDelete: "Disabled" }, encryption: null, logging: null, objectLock: null,
    });
  });

  it("makes only the calls the requested attributes need (plus tags, for ownership routing)", async () => {
    mockCallerIdentity();
    mockBucketList([[["site-assets", "eu-west-1"]]]);
    nock(bucketHost("site-assets", "eu-west-1"))
      .get("/").query(sub("versioning")).reply(200, VERSIONING_NEVER, XML)
      .get("/").query(sub("tagging")).reply(200, TAGGING, XML);
    const snapshot = await testCollector(testConfig()).collect({ reads: reads({ "aws:s3:bucket": ["versioning"] }) });
    expect(Object.keys(snapshot.resources[0]!).sort()).toEqual(["accountId", "arn", "createdAt", "name", "region", "tags", "type", "versioning"]);
    expect(snapshot.accounts[0]!.apiCalls).toEqual({ "s3:GetBucketTagging": 1, "s3:GetBucketVersioning": 1, "s3:ListBuckets": 1, "sts:GetCallerIdentity": 1 });
    // A `--rule` scan of bucket rules: only the bucket inventory is complete (no IAM type can reveal a deletion).
    expect(snapshot.accounts[0]!.resourceTypes).toEqual(["aws:s3:bucket"]);
  });

  it("declares no bucket inventory when ListBuckets fails", async () => {
    mockCallerIdentity();
    nock(S3_HOME).get("/").query(true).reply(403, s3Error("AccessDenied", "Access Denied"), XML);
    nock(S3_CONTROL).get("/v20180820/configuration/publicAccessBlock").reply(200, ACCOUNT_PUBLIC_ACCESS_BLOCK, XML);
    const snapshot = await testCollector(testConfig()).collect({ reads: reads({ "aws:s3:bucket": ["accountPublicAccessBlock"] }) });
    expect(snapshot.resources.map((r) => r.type)).toEqual(["aws:s3:account"]);
    expect(snapshot.accounts[0]).toMatchObject({ status: "partial", errors: [{ operation: "ListBuckets", code: "AccessDenied" }], resourceTypes: ["aws:s3:account"] });
  });

  it("restricts buckets to the configured regions", async () => {
    mockCallerIdentity();
    mockBucketList([[["in-scope", "eu-west-1"], ["out-of-scope", "ap-south-1"]]]);
    nock(bucketHost("in-scope", "eu-west-1")).get("/").query(sub("tagging")).reply(200, TAGGING, XML);
    const snapshot = await testCollector(testConfig({ regions: ["eu-west-1"] })).collect({ reads: reads({ "aws:s3:bucket": [] }) });
    expect(snapshot.resources.map((r) => r.name)).toEqual(["in-scope"]);
    expect(snapshot.accounts[0]!.regions).toEqual(["eu-west-1"]);
  });

  it("turns AccessDenied into an unknown attribute with the reason, keeps the other buckets, and drops a bucket deleted meanwhile", async () => {
    mockCallerIdentity();
    mockBucketList([[["locked", "us-east-1"], ["fine", "us-east-1"], ["deleted", "us-east-1"]]]);
    nock(bucketHost("locked", "us-east-1"))
      .get("/").query(sub("policy")).reply(403, s3Error("AccessDenied", "Access Denied"), XML)
      .get("/").query(sub("tagging")).reply(200, TAGGING, XML);
    nock(bucketHost("fine", "us-east-1"))
      .get("/").query(sub("policy")).reply(200, PUBLIC_POLICY, { "content-type": "application/json" })
      .get("/").query(sub("tagging")).reply(200, TAGGING, XML);
    nock(bucketHost("deleted", "us-east-1"))
      .get("/").query(sub("policy")).reply(...notFound("NoSuchBucket", "The specified bucket does not exist", "deleted"))
      .get("/").query(sub("tagging")).reply(...notFound("NoSuchBucket", "The specified bucket does not exist", "deleted"));
    const snapshot = await testCollector(testConfig()).collect({ reads: reads({ "aws:s3:bucket": ["policy"] }) });
    expect(snapshot.resources.map((r) => r.name)).toEqual(["locked", "fine"]);
    expect(snapshot.resources[0]).toMatchObject({ policy: { $unknown: "AccessDenied: Access Denied" }, tags: { team: "web" } });
    expect(snapshot.resources[1]).toMatchObject({ policy: { Id: "public-read" } });
    expect(snapshot.accounts[0]).toMatchObject({
      status: "partial",
      errors: [{ service: "s3", operation: "GetBucketPolicy", region: "us-east-1", resource: "locked", code: "AccessDenied", message: "Access Denied" }],
    });
  });

  it("recovers from SlowDown with the adaptive retry, and reports exhausted throttling as unknown", async () => {
    mockCallerIdentity();
    mockBucketList([[["busy", "us-east-1"], ["overloaded", "us-east-1"]]]);
    const slowDown = [503, s3Error("SlowDown", "Please reduce your request rate."), XML] as const;
    nock(bucketHost("busy", "us-east-1"))
      .get("/").query(sub("tagging")).reply(...slowDown)
      .get("/").query(sub("tagging")).reply(200, TAGGING, XML);
    nock(bucketHost("overloaded", "us-east-1")).get("/").query(sub("tagging")).times(2).reply(...slowDown);
    const snapshot = await testCollector(testConfig({ scan: { maxAttempts: 2 } })).collect({ reads: reads({ "aws:s3:bucket": [] }) });
    expect(snapshot.resources.find((r) => r.name === "busy")).toMatchObject({ tags: { team: "web", env: "prod" } });
    expect(snapshot.resources.find((r) => r.name === "overloaded")).toMatchObject({ tags: { $unknown: "SlowDown: Please reduce your request rate." } });
    expect(snapshot.accounts[0]!.apiCalls["s3:GetBucketTagging"]).toBe(4);
    expect(snapshot.accounts[0]!.errors).toEqual([expect.objectContaining({ resource: "overloaded", code: "SlowDown" })]);
  });

  it("reads a missing account-level Block Public Access as null, copied to every bucket", async () => {
    mockCallerIdentity();
    mockBucketList([[["site-assets", "eu-west-1"]]]);
    nock(S3_CONTROL).get("/v20180820/configuration/publicAccessBlock")
      .reply(404, s3Error("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found"), XML);
    nock(bucketHost("site-assets", "eu-west-1")).get("/").query(sub("tagging")).reply(200, TAGGING, XML);
    const snapshot = await testCollector(testConfig()).collect({ reads: reads({ "aws:s3:bucket": ["accountPublicAccessBlock"] }) });
    expect(snapshot.resources).toEqual([
      expect.objectContaining({ type: "aws:s3:account", publicAccessBlock: null }),
      expect.objectContaining({ type: "aws:s3:bucket", accountPublicAccessBlock: null }),
    ]);
  });
});
