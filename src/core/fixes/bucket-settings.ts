import type { Bucket } from "../snapshot.js";
import type { EncryptionRuleConfig } from "./types.js";

export type BucketEncryption = Extract<NonNullable<Bucket["encryption"]>, { rules: unknown }>;
export type BucketVersioning = Extract<NonNullable<Bucket["versioning"]>, { status: unknown }>;

/**
 * Default encryption: SSE-KMS with the configured key (and an S3 Bucket Key, which cuts KMS request
 * costs by up to 99 %), or SSE-S3 when no key is configured.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
 */
export function planDefaultEncryption(kmsKeyId: string | undefined): BucketEncryption {
  if (kmsKeyId === undefined) return { rules: [{ algorithm: "AES256", bucketKeyEnabled: false }] };
  return { rules: [{ algorithm: "aws:kms", kmsKeyId, bucketKeyEnabled: true }] };
}

export function encryptionRulesOf(encryption: BucketEncryption): EncryptionRuleConfig[] {
  return encryption.rules.map((rule) => ({
    ApplyServerSideEncryptionByDefault: {
      SSEAlgorithm: rule.algorithm,
      ...(rule.kmsKeyId !== undefined ? { KMSMasterKeyID: rule.kmsKeyId } : {}),
    },
    BucketKeyEnabled: rule.bucketKeyEnabled,
  }));
}

/**
 * Versioning cannot be turned off once enabled, only suspended (existing versions stay):
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html
 */
export function versioningUndoStatus(previous: BucketVersioning): "Enabled" | "Suspended" {
  return previous.status === "Enabled" ? "Enabled" : "Suspended";
}
