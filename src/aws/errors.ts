import type { CollectionError } from "../core/snapshot.js";
import { unknown, type Unknown } from "../core/unknown.js";

/**
 * AWS answers "this is not configured" with an error code, per operation. Those are real values
 * (`null`, or `{}` for tags), never failures. Everything else (AccessDenied, exhausted throttling,
 * network errors) becomes `{ $unknown }` plus a coverage error.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 */
export const NOT_CONFIGURED_CODES: Readonly<Record<string, readonly string[]>> = {
  GetPublicAccessBlock: ["NoSuchPublicAccessBlockConfiguration"],
  GetBucketPolicyStatus: ["NoSuchBucketPolicy"],
  GetBucketPolicy: ["NoSuchBucketPolicy"],
  GetBucketOwnershipControls: ["OwnershipControlsNotFoundError"],
  GetBucketTagging: ["NoSuchTagSet"],
  GetBucketEncryption: ["ServerSideEncryptionConfigurationNotFoundError"],
  GetObjectLockConfiguration: ["ObjectLockConfigurationNotFoundError"],
  GetAccountPasswordPolicy: ["NoSuchEntity"],
};

export interface AwsFailure {
  code: string;
  message: string;
}

/** Code and message of anything thrown by an SDK call (or by our own parsing). */
export function describeAwsError(error: unknown): AwsFailure {
  if (error instanceof Error) {
    const code = (error as { Code?: unknown }).Code;
    const name = typeof code === "string" ? code : error.name;
    return { code: name && name !== "Error" ? name : "Error", message: error.message || "(no message)" };
  }
  return { code: "Error", message: String(error) };
}

export function isNotConfigured(operation: string, error: unknown): boolean {
  return (NOT_CONFIGURED_CODES[operation] ?? []).includes(describeAwsError(error).code);
}

/** The bucket was deleted between ListBuckets and this call: the bucket is dropped from the snapshot. */
export function isBucketGone(error: unknown): boolean {
  return describeAwsError(error).code === "NoSuchBucket";
}

export function unknownFrom(failure: AwsFailure): Unknown {
  return unknown(`${failure.code}: ${failure.message}`);
}

export interface CallSite {
  service: string;
  operation: string;
  region?: string;
  resource?: string;
}

export function collectionError(site: CallSite, failure: AwsFailure): CollectionError {
  const entry: CollectionError = { service: site.service, operation: site.operation, code: failure.code, message: failure.message };
  if (site.region !== undefined) entry.region = site.region;
  if (site.resource !== undefined) entry.resource = site.resource;
  return entry;
}

/** A response we could not turn into the snapshot's shape (an unparseable policy, an unexpected enum). */
export class AwsResponseFormatError extends Error {
  readonly code = "POSTURE_AWS_RESPONSE_FORMAT";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ResponseFormatError";
  }
}

/** The credentials reached a different account than the configuration names. */
export class AccountMismatchError extends Error {
  readonly code = "POSTURE_ACCOUNT_MISMATCH";
  constructor(expected: string, actual: string) {
    super(`posture.config.yml names account ${expected}, but the credentials (or role) belong to account ${actual}; `
      + `check accounts[].id and accounts[].roleArn`);
    this.name = "AccountMismatch";
  }
}

export class BucketGoneError extends Error {
  readonly code = "POSTURE_BUCKET_GONE";
  constructor(bucket: string) {
    super(`bucket ${bucket} was deleted during the scan`);
    this.name = "NoSuchBucket";
  }
}
