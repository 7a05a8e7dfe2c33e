import { createHash } from "node:crypto";
import type { PasswordPolicy, PublicAccessBlock } from "../snapshot.js";

/**
 * One AWS write a fix makes, as data: shown in the preview, stored with the fix run, executed by the
 * AWS adapter. Parameter names are the API's own (PascalCase), so the preview reads like the API docs.
 */
export type ApiCall =
  | { service: "s3"; operation: "PutPublicAccessBlock"; params: { Bucket: string; PublicAccessBlockConfiguration: PublicAccessBlockConfig } }
  | { service: "s3"; operation: "DeletePublicAccessBlock"; params: { Bucket: string } }
  | { service: "s3control"; operation: "PutPublicAccessBlock"; params: { AccountId: string; PublicAccessBlockConfiguration: PublicAccessBlockConfig } }
  | { service: "s3control"; operation: "DeletePublicAccessBlock"; params: { AccountId: string } }
  | { service: "s3"; operation: "PutBucketPolicy"; params: { Bucket: string; Policy: string } }
  | { service: "s3"; operation: "DeleteBucketPolicy"; params: { Bucket: string } }
  | { service: "s3"; operation: "PutBucketEncryption"; params: { Bucket: string; ServerSideEncryptionConfiguration: { Rules: EncryptionRuleConfig[] } } }
  | { service: "s3"; operation: "DeleteBucketEncryption"; params: { Bucket: string } }
  | { service: "s3"; operation: "PutBucketVersioning"; params: { Bucket: string; VersioningConfiguration: { Status: "Enabled" | "Suspended" } } }
  | { service: "s3"; operation: "PutBucketAcl"; params: { Bucket: string; AccessControlPolicy: AccessControlPolicyConfig } }
  | { service: "iam"; operation: "UpdateAccessKey"; params: { UserName: string; AccessKeyId: string; Status: "Active" | "Inactive" } }
  | { service: "iam"; operation: "UpdateAccountPasswordPolicy"; params: PasswordPolicyParams }
  | { service: "iam"; operation: "DeleteAccountPasswordPolicy"; params: Record<string, never> };

export type ApiOperation = ApiCall extends infer C ? (C extends ApiCall ? `${C["service"]}:${C["operation"]}` : never) : never;

export function operationOf(call: ApiCall): ApiOperation {
  return `${call.service}:${call.operation}` as ApiOperation;
}

export interface PublicAccessBlockConfig {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

export interface EncryptionRuleConfig {
  ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" | "aws:kms" | "aws:kms:dsse"; KMSMasterKeyID?: string };
  BucketKeyEnabled?: boolean;
}

export interface AclGranteeConfig {
  Type: "CanonicalUser" | "Group" | "AmazonCustomerByEmail";
  ID?: string;
  URI?: string;
  DisplayName?: string;
  EmailAddress?: string;
}

export interface AccessControlPolicyConfig {
  Owner: { ID: string; DisplayName?: string };
  Grants: { Grantee: AclGranteeConfig; Permission: "FULL_CONTROL" | "READ" | "WRITE" | "READ_ACP" | "WRITE_ACP" }[];
}

export interface PasswordPolicyParams {
  MinimumPasswordLength: number;
  RequireSymbols: boolean;
  RequireNumbers: boolean;
  RequireUppercaseCharacters: boolean;
  RequireLowercaseCharacters: boolean;
  AllowUsersToChangePassword: boolean;
  MaxPasswordAge?: number;
  PasswordReusePrevention?: number;
  HardExpiry?: boolean;
}

/**
 * What a fix will do, computed from a fresh read and without writing: the configuration before and
 * after (JSON values), the exact calls, and notes the person confirming must read.
 */
export interface FixPlan<S = unknown> {
  summary: string;
  before: S;
  after: S;
  calls: ApiCall[];
  notes: string[];
}

/** The resource does not need this fix, or the fix cannot apply to it (said before anything is written). */
export class FixNotApplicableError extends Error {
  readonly code = "POSTURE_FIX_NOT_APPLICABLE";
  constructor(message: string) {
    super(message);
    this.name = "FixNotApplicable";
  }
}

/** Key-order-independent JSON, so that two reads of the same configuration hash the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Hash of a configuration: a preview is stale when the resource's hash changed since. */
export function hashConfiguration(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}

export function toPublicAccessBlockConfig(block: PublicAccessBlock): PublicAccessBlockConfig {
  return {
    BlockPublicAcls: block.blockPublicAcls,
    IgnorePublicAcls: block.ignorePublicAcls,
    BlockPublicPolicy: block.blockPublicPolicy,
    RestrictPublicBuckets: block.restrictPublicBuckets,
  };
}

export const BLOCK_ALL_PUBLIC_ACCESS: PublicAccessBlock = {
  blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true,
};

export type { PasswordPolicy };
