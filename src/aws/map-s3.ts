import type {
  GetBucketAclCommandOutput, GetBucketEncryptionCommandOutput, GetBucketLoggingCommandOutput, GetBucketVersioningCommandOutput,
  GetObjectLockConfigurationCommandOutput, PublicAccessBlockConfiguration, Tag,
} from "@aws-sdk/client-s3";
import type { Bucket, PublicAccessBlock } from "../core/snapshot.js";
import { AwsResponseFormatError } from "./errors.js";
import { parsePolicyDocument } from "./parse-policy-document.js";

type Value<K extends keyof Bucket> = Exclude<NonNullable<Bucket[K]>, { $unknown: string }>;

/** Bucket and account Block Public Access share the shape; a flag absent from the XML is off. */
export function mapPublicAccessBlock(config: PublicAccessBlockConfiguration | undefined): PublicAccessBlock {
  return {
    blockPublicAcls: config?.BlockPublicAcls === true,
    ignorePublicAcls: config?.IgnorePublicAcls === true,
    blockPublicPolicy: config?.BlockPublicPolicy === true,
    restrictPublicBuckets: config?.RestrictPublicBuckets === true,
  };
}

export function mapBucketPolicy(policy: string | undefined, bucket: string): Value<"policy"> {
  if (policy === undefined) throw new AwsResponseFormatError(`GetBucketPolicy ${bucket}: empty policy`);
  return parsePolicyDocument(policy, `bucket ${bucket} policy`);
}

const GRANTEE_TYPES = ["CanonicalUser", "Group", "AmazonCustomerByEmail"] as const;
const PERMISSIONS = ["FULL_CONTROL", "READ", "WRITE", "READ_ACP", "WRITE_ACP"] as const;

function oneOf<T extends string>(allowed: readonly T[], value: string | undefined, where: string): T {
  if (value !== undefined && (allowed as readonly string[]).includes(value)) return value as T;
  throw new AwsResponseFormatError(`${where}: unexpected value ${JSON.stringify(value)} (expected ${allowed.join(" | ")})`);
}

export function mapBucketAcl(output: Pick<GetBucketAclCommandOutput, "Owner" | "Grants">, bucket: string): Value<"acl"> {
  const owner: Value<"acl">["owner"] = { id: output.Owner?.ID ?? "" };
  if (output.Owner?.DisplayName !== undefined) owner.displayName = output.Owner.DisplayName;
  const grants = (output.Grants ?? []).map((grant) => {
    const g = grant.Grantee;
    const grantee: Value<"acl">["grants"][number]["grantee"] = { type: oneOf(GRANTEE_TYPES, g?.Type, `bucket ${bucket} ACL grantee`) };
    if (g?.ID !== undefined) grantee.id = g.ID;
    if (g?.URI !== undefined) grantee.uri = g.URI;
    if (g?.DisplayName !== undefined) grantee.displayName = g.DisplayName;
    if (g?.EmailAddress !== undefined) grantee.email = g.EmailAddress;
    return { grantee, permission: oneOf(PERMISSIONS, grant.Permission, `bucket ${bucket} ACL permission`) };
  });
  return { owner, grants };
}

const OWNERSHIPS = ["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"] as const;

export function mapOwnershipControls(rules: { ObjectOwnership?: string }[] | undefined, bucket: string): Value<"ownershipControls"> {
  return oneOf(OWNERSHIPS, rules?.[0]?.ObjectOwnership, `bucket ${bucket} ownership controls`);
}

export function mapTagSet(tagSet: Tag[] | undefined): Value<"tags"> {
  return Object.fromEntries((tagSet ?? []).map((tag) => [tag.Key ?? "", tag.Value ?? ""]));
}

/**
 * A bucket that never had versioning answers with an empty VersioningConfiguration: no Status, no
 * MfaDelete (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketVersioning.html).
 */
export function mapVersioning(output: Pick<GetBucketVersioningCommandOutput, "Status" | "MFADelete">, bucket: string): Value<"versioning"> {
  return {
    status: output.Status === undefined ? "Disabled" : oneOf(["Enabled", "Suspended"] as const, output.Status, `bucket ${bucket} versioning`),
    mfaDelete: output.MFADelete === undefined ? "Disabled" : oneOf(["Enabled", "Disabled"] as const, output.MFADelete, `bucket ${bucket} MFA delete`),
  };
}

const ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"] as const;

export function mapEncryption(output: Pick<GetBucketEncryptionCommandOutput, "ServerSideEncryptionConfiguration">, bucket: string): Value<"encryption"> {
  const rules = (output.ServerSideEncryptionConfiguration?.Rules ?? []).map((rule) => {
    const byDefault = rule.ApplyServerSideEncryptionByDefault;
    const mapped: Value<"encryption">["rules"][number] = {
      algorithm: oneOf(ALGORITHMS, byDefault?.SSEAlgorithm, `bucket ${bucket} encryption`),
      bucketKeyEnabled: rule.BucketKeyEnabled === true,
    };
    if (byDefault?.KMSMasterKeyID !== undefined) mapped.kmsKeyId = byDefault.KMSMasterKeyID;
    return mapped;
  });
  return { rules };
}

/** No LoggingEnabled element: server access logging is off. */
export function mapLogging(output: Pick<GetBucketLoggingCommandOutput, "LoggingEnabled">): Value<"logging"> | null {
  const enabled = output.LoggingEnabled;
  if (enabled === undefined) return null;
  return { targetBucket: enabled.TargetBucket ?? "", targetPrefix: enabled.TargetPrefix ?? "" };
}

export function mapObjectLock(output: Pick<GetObjectLockConfigurationCommandOutput, "ObjectLockConfiguration">, bucket: string): Value<"objectLock"> {
  const config = output.ObjectLockConfiguration;
  const lock: NonNullable<Value<"objectLock">> = { enabled: config?.ObjectLockEnabled === "Enabled" };
  const retention = config?.Rule?.DefaultRetention;
  if (retention !== undefined) {
    lock.defaultRetention = { mode: oneOf(["GOVERNANCE", "COMPLIANCE"] as const, retention.Mode, `bucket ${bucket} object lock mode`) };
    if (retention.Days !== undefined) lock.defaultRetention.days = retention.Days;
    if (retention.Years !== undefined) lock.defaultRetention.years = retention.Years;
  }
  return lock;
}
