import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand } from "@aws-sdk/client-s3-control";
import type { FixTarget } from "../../app/fix-ports.js";
import { accessControlPolicyOf, planAclWithoutPublicGrants, type AclAccess, type BucketAcl } from "../../core/fixes/bucket-acl.js";
import {
  encryptionRulesOf, planDefaultEncryption, versioningUndoStatus, type BucketEncryption, type BucketVersioning,
} from "../../core/fixes/bucket-settings.js";
import {
  BLOCK_ALL_PUBLIC_ACCESS, FixNotApplicableError, toPublicAccessBlockConfig, type ApiCall, type FixPlan,
} from "../../core/fixes/types.js";
import type { PublicAccessBlock } from "../../core/snapshot.js";
import { mapPublicAccessBlock } from "../map-s3.js";
import type { FixerSpec } from "./define-fixer.js";
import { collectBucketForRule, collectS3Account, readBucketAttribute, readOrFail } from "./read-bucket.js";

type Block = PublicAccessBlock | null;
const allOn = (block: Block) => block !== null && Object.values(block).every((flag) => flag === true);
const collectBucket: FixerSpec<unknown>["collect"] = (clients, target, rule) => collectBucketForRule(clients, target, rule.reads);

function blockPlan(before: Block, call: ApiCall, where: string): FixPlan<Block> {
  if (allOn(before)) throw new FixNotApplicableError(`all four Block Public Access settings are already on for ${where}`);
  return {
    summary: `Turn on all four Block Public Access settings for ${where}`,
    before, after: BLOCK_ALL_PUBLIC_ACCESS, calls: [call],
    notes: ["S3 then ignores public ACLs and refuses public bucket policies: anything served publicly from S3 (a static website, public downloads) stops working."],
  };
}

export const bucketBlockPublicAccess: FixerSpec<Block> = {
  id: "s3-bucket-block-public-access",
  title: "Turn on Block Public Access for the bucket",
  resourceType: "aws:s3:bucket",
  rules: ["s3-bucket-block-public-access"],
  actions: ["s3:GetBucketPublicAccessBlock", "s3:PutBucketPublicAccessBlock", "s3:GetAccountPublicAccessBlock"],
  read: (clients, target) => readBucketAttribute(clients, target, "publicAccessBlock"),
  plan: (before, { target }) => blockPlan(before, {
    service: "s3", operation: "PutPublicAccessBlock",
    params: { Bucket: target.name, PublicAccessBlockConfiguration: toPublicAccessBlockConfig(BLOCK_ALL_PUBLIC_ACCESS) },
  }, `bucket ${target.name}`),
  // The bucket had no configuration of its own: deleting it restores exactly that (the account's still applies).
  planUndo: (previous, _current, target) => [previous === null
    ? { service: "s3", operation: "DeletePublicAccessBlock", params: { Bucket: target.name } }
    : { service: "s3", operation: "PutPublicAccessBlock", params: { Bucket: target.name, PublicAccessBlockConfiguration: toPublicAccessBlockConfig(previous) } }],
  collect: collectBucket,
};

async function readAccountBlock(clients: Parameters<FixerSpec<Block>["read"]>[0], target: FixTarget): Promise<Block> {
  const output = await readOrFail("GetPublicAccessBlock", () => clients.s3Control.send(new GetAccountPublicAccessBlockCommand({ AccountId: target.accountId })), null);
  return output === null ? null : mapPublicAccessBlock(output.PublicAccessBlockConfiguration);
}

export const accountBlockPublicAccess: FixerSpec<Block> = {
  id: "s3-account-block-public-access",
  title: "Turn on Block Public Access for the whole account",
  resourceType: "aws:s3:account",
  rules: ["s3-account-block-public-access"],
  actions: ["s3:GetAccountPublicAccessBlock", "s3:PutAccountPublicAccessBlock"],
  read: readAccountBlock,
  plan: (before, { target }) => blockPlan(before, {
    service: "s3control", operation: "PutPublicAccessBlock",
    params: { AccountId: target.accountId, PublicAccessBlockConfiguration: toPublicAccessBlockConfig(BLOCK_ALL_PUBLIC_ACCESS) },
  }, `every bucket of account ${target.accountId}`),
  planUndo: (previous, _current, target) => [previous === null
    ? { service: "s3control", operation: "DeletePublicAccessBlock", params: { AccountId: target.accountId } }
    : { service: "s3control", operation: "PutPublicAccessBlock", params: { AccountId: target.accountId, PublicAccessBlockConfiguration: toPublicAccessBlockConfig(previous) } }],
  collect: (clients, target) => collectS3Account(clients, target),
};

type Encryption = BucketEncryption | null;

export const defaultEncryption: FixerSpec<Encryption> = {
  id: "s3-bucket-default-encryption",
  title: "Set default encryption (SSE-S3, or SSE-KMS with the configured key)",
  resourceType: "aws:s3:bucket",
  rules: ["s3-bucket-default-encryption", "s3-bucket-kms-encryption"],
  actions: ["s3:GetEncryptionConfiguration", "s3:PutEncryptionConfiguration"],
  read: (clients, target) => readBucketAttribute(clients, target, "encryption"),
  plan(before, { target, rule, env }) {
    const wantsKms = rule.id === "s3-bucket-kms-encryption";
    if (wantsKms && env.kmsKeyId === undefined) throw new FixNotApplicableError("SSE-KMS needs a key: configure the fixer's KMS key id");
    const satisfied = wantsKms ? before?.rules.some((r) => r.algorithm !== "AES256") : (before?.rules.length ?? 0) > 0;
    if (satisfied) throw new FixNotApplicableError(`bucket ${target.name} already has ${wantsKms ? "SSE-KMS" : "default"} encryption`);
    const after = planDefaultEncryption(env.kmsKeyId);
    const notes = ["Only new objects are encrypted with the new default; existing objects keep the encryption they were written with."];
    if (env.kmsKeyId !== undefined) notes.push(`Writers and readers of the bucket need kms:GenerateDataKey / kms:Decrypt on ${env.kmsKeyId}.`);
    return {
      summary: `Set default encryption of ${target.name} to ${env.kmsKeyId === undefined ? "SSE-S3 (AES256)" : `SSE-KMS with ${env.kmsKeyId}`}`,
      before, after, notes,
      calls: [{ service: "s3", operation: "PutBucketEncryption", params: { Bucket: target.name, ServerSideEncryptionConfiguration: { Rules: encryptionRulesOf(after) } } }],
    };
  },
  // Since January 2023 a bucket without a configuration still gets SSE-S3: deleting restores exactly that state.
  planUndo: (previous, _current, target) => [previous === null
    ? { service: "s3", operation: "DeleteBucketEncryption", params: { Bucket: target.name } }
    : { service: "s3", operation: "PutBucketEncryption", params: { Bucket: target.name, ServerSideEncryptionConfiguration: { Rules: encryptionRulesOf(previous) } } }],
  collect: collectBucket,
};

export const enableVersioning: FixerSpec<BucketVersioning> = {
  id: "s3-bucket-enable-versioning",
  title: "Enable versioning",
  resourceType: "aws:s3:bucket",
  rules: ["s3-bucket-versioning"],
  actions: ["s3:GetBucketVersioning", "s3:PutBucketVersioning"],
  read: async (clients, target) => (await readBucketAttribute(clients, target, "versioning"))!,
  plan(before, { target }) {
    if (before.status === "Enabled") throw new FixNotApplicableError(`versioning is already enabled on ${target.name}`);
    // With MFA Delete on, every PutBucketVersioning needs the root user's MFA code (x-amz-mfa).
    if (before.mfaDelete === "Enabled") throw new FixNotApplicableError("MFA Delete is enabled: only the root user with its MFA device can change versioning");
    return {
      summary: `Enable versioning on ${target.name}`,
      before, after: { ...before, status: "Enabled" },
      calls: [{ service: "s3", operation: "PutBucketVersioning", params: { Bucket: target.name, VersioningConfiguration: { Status: "Enabled" } } }],
      notes: [
        "Versioning can never be turned off again once enabled: Undo suspends it (Status Suspended), it does not return to \"never enabled\".",
        "Every overwrite and delete then keeps the previous version, which is billed until a lifecycle rule expires it.",
      ],
    };
  },
  planUndo: (previous, _current, target) => [
    { service: "s3", operation: "PutBucketVersioning", params: { Bucket: target.name, VersioningConfiguration: { Status: versioningUndoStatus(previous) } } },
  ],
  collect: collectBucket,
};

const ACL_ACCESS: Record<string, AclAccess> = { "s3-bucket-public-read-acl": "read", "s3-bucket-public-write-acl": "write" };

export const removePublicAclGrants: FixerSpec<BucketAcl> = {
  id: "s3-bucket-acl-remove-public-grants",
  title: "Remove the ACL grants to AllUsers / AuthenticatedUsers",
  resourceType: "aws:s3:bucket",
  rules: ["s3-bucket-public-read-acl", "s3-bucket-public-write-acl"],
  actions: ["s3:GetBucketAcl", "s3:PutBucketAcl", "s3:GetBucketPublicAccessBlock", "s3:GetAccountPublicAccessBlock"],
  read: async (clients, target) => (await readBucketAttribute(clients, target, "acl"))!,
  plan(before, { target, rule }) {
    const { after, removed } = planAclWithoutPublicGrants(before, ACL_ACCESS[rule.id] ?? "any");
    return {
      summary: `Remove ${removed.length} public grant(s) from the ACL of ${target.name}, keeping the owner's and the other ${after.grants.length}`,
      before, after,
      // PutBucketAcl replaces the whole ACL: the body lists every grant that stays.
      calls: [{ service: "s3", operation: "PutBucketAcl", params: { Bucket: target.name, AccessControlPolicy: accessControlPolicyOf(after) } }],
      notes: removed.map((g) => `removed: ${g.permission} for ${g.grantee.uri}`),
    };
  },
  planUndo: (previous, _current, target) => [
    { service: "s3", operation: "PutBucketAcl", params: { Bucket: target.name, AccessControlPolicy: accessControlPolicyOf(previous) } },
  ],
  collect: collectBucket,
};
