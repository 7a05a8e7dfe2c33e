import { coversPattern, matchesPattern } from "./action.js";
import type { NormalizedStatement } from "./statement.js";

/** ARNs of unrelated services and accounts: a Resource matching all of them means "every resource". */
export const ANY_RESOURCE_SAMPLES = [
  "arn:aws:iam::111111111111:user/a",
  "arn:aws:s3:::bucket/key",
  "arn:aws:ec2:us-east-1:222222222222:instance/i-1",
  "arn:aws:kms:eu-west-1:333333333333:key/1234",
];
/** Roles of two accounts: `arn:aws:iam::*:role/*` is as good as `*` for sts:AssumeRole. */
export const ANY_ROLE_SAMPLES = ["arn:aws:iam::111111111111:role/a", "arn:aws:iam::222222222222:role/path/b"];

/**
 * Whether the statement applies to every resource represented by `samples`: a Resource pattern
 * matching them all (`*`, `*:*`, `arn:aws:*`), or a NotResource (everything except a list).
 */
export function appliesToAnyResource(statement: NormalizedStatement, samples: readonly string[] = ANY_RESOURCE_SAMPLES): boolean {
  if (statement.resources) return statement.resources.some((pattern) => samples.every((arn) => matchesPattern(pattern, arn)));
  if (statement.notResources) return !statement.notResources.some((pattern) => samples.every((arn) => matchesPattern(pattern, arn)));
  return false;
}

/** Whether `outer` applies to every resource `inner` names (a Deny covering an Allow's resources). */
export function coversResources(outer: NormalizedStatement, inner: NormalizedStatement): boolean {
  if (!outer.resources) return false;
  if (outer.resources.includes("*")) return true;
  if (!inner.resources) return false;
  return inner.resources.every((resource) => outer.resources!.some((pattern) => coversPattern(pattern, resource)));
}

/** Whether the statement names the bucket or objects in it (`arn:aws:s3:::b`, `arn:aws:s3:::b/*`, `*`). */
export function appliesToBucket(statement: NormalizedStatement, bucketName: string): boolean {
  const targets = [`arn:aws:s3:::${bucketName}`, `arn:aws:s3:::${bucketName}/key`];
  return (statement.resources ?? []).some((pattern) => targets.some((arn) => matchesPattern(pattern, arn)));
}
