import type { FixTarget } from "../../app/fix-ports.js";
import {
  parseRawPolicy, partitionOf, planRemovePublicStatements, planTlsDenyStatement, TLS_DENY_SID,
} from "../../core/fixes/bucket-policy.js";
import { FixNotApplicableError, type ApiCall } from "../../core/fixes/types.js";
import type { FixerSpec } from "./define-fixer.js";
import { collectBucketForRule, readBucketPolicyText } from "./read-bucket.js";

/** The policy text as S3 returned it, or `null` (no policy): undo puts these exact bytes back. */
type PolicyText = string | null;

function putOrDelete(bucket: string, policy: PolicyText): ApiCall {
  return policy === null
    ? { service: "s3", operation: "DeleteBucketPolicy", params: { Bucket: bucket } }
    : { service: "s3", operation: "PutBucketPolicy", params: { Bucket: bucket, Policy: policy } };
}

const restoreText = (previous: PolicyText, _current: PolicyText, target: FixTarget): ApiCall[] => [putOrDelete(target.name, previous)];
const POLICY_READS = ["s3:GetBucketPolicy", "s3:GetBucketPolicyStatus", "s3:GetBucketPublicAccessBlock", "s3:GetAccountPublicAccessBlock"];
const WRITE_ACCESS: Record<string, "any" | "write"> = { "s3-bucket-public-write-policy": "write" };

/**
 * Surgical: removes only the statements that make the policy public and keeps every other one (a
 * TLS deny, CloudFront OAC, cross-account grants), unlike tools that delete the whole policy.
 */
export const removePublicPolicyStatements: FixerSpec<PolicyText> = {
  id: "s3-bucket-policy-remove-public-statements",
  title: "Remove the public statements from the bucket policy",
  resourceType: "aws:s3:bucket",
  rules: ["s3-bucket-public-policy", "s3-bucket-public-write-policy"],
  actions: [...POLICY_READS, "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"],
  read: (clients, target) => readBucketPolicyText(clients, target),
  plan(before, { target, rule }) {
    if (before === null) throw new FixNotApplicableError(`bucket ${target.name} has no bucket policy`);
    const edit = planRemovePublicStatements(parseRawPolicy(before), WRITE_ACCESS[rule.id] ?? "any");
    const after = edit.after === null ? null : JSON.stringify(edit.after);
    const kept = edit.after === null ? 0 : (edit.after.Statement as unknown[]).length;
    return {
      summary: after === null
        ? `Delete the bucket policy of ${target.name}: its only statement(s) are public`
        : `Remove ${edit.removed.length} public statement(s) from the bucket policy of ${target.name}, keeping the other ${kept}`,
      before, after,
      calls: [putOrDelete(target.name, after)],
      notes: [
        ...edit.removed.map((s) => `removed statement ${s.sid ?? `#${s.index}`}: ${s.reason}`),
        "Undo puts the original policy back byte for byte; S3 refuses it (AccessDenied) if BlockPublicPolicy is on by then.",
      ],
    };
  },
  planUndo: restoreText,
  collect: (clients, target, rule) => collectBucketForRule(clients, target, rule.reads),
};

export const denyInsecureTransport: FixerSpec<PolicyText> = {
  id: "s3-bucket-policy-deny-insecure-transport",
  title: "Add a statement denying requests over plain HTTP",
  resourceType: "aws:s3:bucket",
  rules: ["s3-bucket-secure-transport"],
  actions: ["s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"],
  read: (clients, target) => readBucketPolicyText(clients, target),
  plan(before, { target }) {
    const after = JSON.stringify(planTlsDenyStatement(before === null ? null : parseRawPolicy(before), target.name, partitionOf(target.arn)));
    return {
      summary: before === null
        ? `Create a bucket policy for ${target.name} with one statement (${TLS_DENY_SID}) denying plain-HTTP requests`
        : `Add statement ${TLS_DENY_SID} denying plain-HTTP requests to the bucket policy of ${target.name}; every existing statement stays`,
      before, after,
      calls: [putOrDelete(target.name, after)],
      notes: ["Clients that use http:// endpoints get AccessDenied afterwards; the AWS SDKs and the console use HTTPS."],
    };
  },
  planUndo: restoreText,
  collect: (clients, target, rule) => collectBucketForRule(clients, target, rule.reads),
};
