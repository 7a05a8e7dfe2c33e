import type { FakeBucket } from "./dataset.js";
import { el, restError, S3_CONTROL_NS, S3_NS, text } from "./xml.js";

export const OWNER_ID = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";
const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';
const doc = (root: string, body: string, ns = S3_NS) => `${XML_DECL}<${root} xmlns="${ns}">${body}</${root}>`;

export interface RestReply {
  status: number;
  body: string;
  contentType?: string;
}

const ok = (body: string, contentType = "application/xml"): RestReply => ({ status: 200, body, contentType });
const notFound = (code: string, message: string, bucket: string): RestReply =>
  ({ status: 404, body: restError(code, message, text("BucketName", bucket)) });

export function renderListBuckets(page: FakeBucket[], continuationToken: string | undefined): string {
  const buckets = page.map((b) => el("Bucket", text("Name", b.name) + text("CreationDate", b.createdAt) + text("BucketRegion", b.region))).join("");
  return doc("ListAllMyBucketsResult", el("Owner", text("ID", OWNER_ID) + text("DisplayName", "posture-demo"))
    + el("Buckets", buckets) + text("ContinuationToken", continuationToken) + "<Prefix></Prefix>");
}

export function renderPublicAccessBlock(flags: readonly boolean[], ns = S3_NS): string {
  const [a, b, c, d] = flags;
  return doc("PublicAccessBlockConfiguration", text("BlockPublicAcls", a) + text("IgnorePublicAcls", b)
    + text("BlockPublicPolicy", c) + text("RestrictPublicBuckets", d), ns);
}

export const renderAccountPublicAccessBlock = (flags: readonly boolean[]) => renderPublicAccessBlock(flags, S3_CONTROL_NS);

function renderAcl(b: FakeBucket): string {
  const owner = text("ID", OWNER_ID) + text("DisplayName", "posture-demo");
  const xsi = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
  const grants = [`<Grant><Grantee ${xsi} xsi:type="CanonicalUser">${owner}</Grantee><Permission>FULL_CONTROL</Permission></Grant>`];
  if (b.publicReadAcl) grants.push(`<Grant><Grantee ${xsi} xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant>`);
  return doc("AccessControlPolicy", el("Owner", owner) + el("AccessControlList", grants.join("")));
}

/** The reply to one GET /{bucket}?{subresource} for a bucket of the dataset. */
export function renderBucketSubresource(b: FakeBucket, subresource: string): RestReply | undefined {
  switch (subresource) {
    case "publicAccessBlock":
      return b.publicAccessBlock ? ok(renderPublicAccessBlock(b.publicAccessBlock)) : notFound("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found", b.name);
    case "policyStatus":
      return b.policy ? ok(doc("PolicyStatus", text("IsPublic", b.policyIsPublic))) : notFound("NoSuchBucketPolicy", "The bucket policy does not exist", b.name);
    case "policy":
      return b.policy ? ok(JSON.stringify(b.policy), "application/json") : notFound("NoSuchBucketPolicy", "The bucket policy does not exist", b.name);
    case "acl":
      return ok(renderAcl(b));
    case "ownershipControls":
      return b.ownership ? ok(doc("OwnershipControls", el("Rule", text("ObjectOwnership", b.ownership)))) : notFound("OwnershipControlsNotFoundError", "The bucket ownership controls were not found", b.name);
    case "tagging":
      return b.tags ? ok(doc("Tagging", el("TagSet", Object.entries(b.tags).map(([k, v]) => el("Tag", text("Key", k) + text("Value", v))).join("")))) : notFound("NoSuchTagSet", "The TagSet does not exist", b.name);
    case "versioning":
      return ok(doc("VersioningConfiguration", text("Status", b.versioning.status) + text("MfaDelete", b.versioning.mfaDelete)));
    case "encryption":
      return b.encryption
        ? ok(doc("ServerSideEncryptionConfiguration", el("Rule", el("ApplyServerSideEncryptionByDefault", text("SSEAlgorithm", b.encryption.algorithm) + text("KMSMasterKeyID", b.encryption.kmsKeyId)) + text("BucketKeyEnabled", b.encryption.bucketKey))))
        : notFound("ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found", b.name);
    case "logging":
      return ok(doc("BucketLoggingStatus", b.logging ? el("LoggingEnabled", text("TargetBucket", b.logging.targetBucket) + text("TargetPrefix", b.logging.targetPrefix)) : ""));
    case "object-lock":
      return b.objectLock
        ? ok(doc("ObjectLockConfiguration", text("ObjectLockEnabled", "Enabled") + el("Rule", el("DefaultRetention", text("Mode", b.objectLock.mode) + text("Days", b.objectLock.days)))))
        : notFound("ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket", b.name);
    default:
      return undefined;
  }
}

/** S3 subresource query key -> the operation name used for call counting and fault injection. */
export const SUBRESOURCE_OPERATIONS: Readonly<Record<string, string>> = {
  publicAccessBlock: "GetPublicAccessBlock", policyStatus: "GetBucketPolicyStatus", policy: "GetBucketPolicy", acl: "GetBucketAcl",
  ownershipControls: "GetBucketOwnershipControls", tagging: "GetBucketTagging", versioning: "GetBucketVersioning",
  encryption: "GetBucketEncryption", logging: "GetBucketLogging", "object-lock": "GetObjectLockConfiguration",
};
