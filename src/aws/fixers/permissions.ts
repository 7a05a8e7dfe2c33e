import type { ApiOperation } from "../../core/fixes/types.js";
import { FIXER_SPECS } from "./registry.js";

/**
 * The IAM action each write operation needs. Several differ from the operation name: the Delete
 * operations of Block Public Access and encryption are authorised by the Put action
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
 */
export const FIXER_OPERATION_PERMISSIONS: Readonly<Record<ApiOperation, string>> = {
  "s3:PutPublicAccessBlock": "s3:PutBucketPublicAccessBlock",
  "s3:DeletePublicAccessBlock": "s3:PutBucketPublicAccessBlock",
  "s3control:PutPublicAccessBlock": "s3:PutAccountPublicAccessBlock",
  "s3control:DeletePublicAccessBlock": "s3:PutAccountPublicAccessBlock",
  "s3:PutBucketPolicy": "s3:PutBucketPolicy",
  "s3:DeleteBucketPolicy": "s3:DeleteBucketPolicy",
  "s3:PutBucketEncryption": "s3:PutEncryptionConfiguration",
  "s3:DeleteBucketEncryption": "s3:PutEncryptionConfiguration",
  "s3:PutBucketVersioning": "s3:PutBucketVersioning",
  "s3:PutBucketAcl": "s3:PutBucketAcl",
  "iam:UpdateAccessKey": "iam:UpdateAccessKey",
  "iam:UpdateAccountPasswordPolicy": "iam:UpdateAccountPasswordPolicy",
  "iam:DeleteAccountPasswordPolicy": "iam:DeleteAccountPasswordPolicy",
};

/** Every action the fixer role needs, sorted: what the fixers declare, nothing more. */
export const FIXER_IAM_ACTIONS: readonly string[] = [...new Set(FIXER_SPECS.flatMap((spec) => spec.actions))].sort();

export interface FixerPolicyDocument {
  Version: string;
  Statement: { Sid: string; Effect: "Allow"; Action: string[]; Resource: string }[];
}

/**
 * The fixer role's identity policy, separate from the scanner's read-only one. Resource "*": the
 * account-level actions support nothing else; narrow the bucket actions with a condition or bucket
 * ARNs in your own copy if only some buckets may be fixed. No delete of keys, users or data.
 */
export function fixerPolicyDocument(): FixerPolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "PostureOneClickFixes", Effect: "Allow", Action: [...FIXER_IAM_ACTIONS], Resource: "*" }],
  };
}
