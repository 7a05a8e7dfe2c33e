import { z } from "zod";
import { defineCheck } from "./check.js";
import { undecided } from "../condition.js";

const BUCKET = ["aws:s3:bucket"] as const;
const TODO = () => undecided("not implemented yet");

/**
 * Public through the bucket policy. Verdict = AWS's own GetBucketPolicyStatus.IsPublic, unless Block
 * Public Access (bucket OR account RestrictPublicBuckets) neutralises it; our statement analysis only
 * explains which statement makes it public (evidence) and, for access "write", narrows to statements
 * granting write/delete actions.
 */
export const s3PublicPolicy = defineCheck({
  name: "s3PublicPolicy",
  description: "Bucket is not public through its bucket policy",
  resourceTypes: BUCKET,
  reads: ["policy", "policyStatus", "publicAccessBlock", "accountPublicAccessBlock"],
  params: z.strictObject({ access: z.enum(["any", "write"]).default("any") }),
  evaluate: TODO,
});

/** Public through ACL grants to AllUsers / AuthenticatedUsers, unless IgnorePublicAcls (bucket OR account). */
export const s3PublicAcl = defineCheck({
  name: "s3PublicAcl",
  description: "Bucket ACL grants nothing to AllUsers or AuthenticatedUsers",
  resourceTypes: BUCKET,
  reads: ["acl", "publicAccessBlock", "accountPublicAccessBlock"],
  params: z.strictObject({ access: z.enum(["any", "read", "write"]).default("any") }),
  evaluate: TODO,
});

/** The policy has a Deny for all principals on s3:* / * when aws:SecureTransport is false. */
export const s3PolicyDeniesInsecureTransport = defineCheck({
  name: "s3PolicyDeniesInsecureTransport",
  description: "Bucket policy denies requests that do not use TLS",
  resourceTypes: BUCKET,
  reads: ["policy"],
  params: z.strictObject({}),
  evaluate: TODO,
});

/** No Allow statement grants access to principals of other accounts (except `trustedAccounts`). */
export const s3PolicyNoCrossAccount = defineCheck({
  name: "s3PolicyNoCrossAccount",
  description: "Bucket policy grants nothing to other AWS accounts",
  resourceTypes: BUCKET,
  reads: ["policy"],
  params: z.strictObject({ trustedAccounts: z.array(z.string().regex(/^\d{12}$/)).default([]) }),
  evaluate: TODO,
});
