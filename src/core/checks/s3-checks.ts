import { z } from "zod";
import { defineCheck } from "./check.js";
import { fail, pass, resolvePath, undecided, type Evidence, type Outcome } from "../condition.js";
import type { AclGrant, Bucket, PublicAccessBlock, Resource } from "../snapshot.js";
import type { PolicyDocument } from "../policy-document.js";
import { analyzePublicStatements, type PublicStatement } from "../policy/public.js";
import { deniesInsecureTransport } from "../policy/transport.js";
import { findCrossAccountStatements } from "../policy/cross-account.js";

const BUCKET = ["aws:s3:bucket"] as const;
const ACCOUNT_ID = /^\d{12}$/;

type Flag = { state: "on"; path: string } | { state: "off" } | { state: "unknown"; reason: string };

/** Block Public Access is the OR of the bucket and account settings; one known `true` decides. */
function effectiveBlock(bucket: Bucket, flag: keyof PublicAccessBlock): Flag {
  const reasons: string[] = [];
  for (const attribute of ["publicAccessBlock", "accountPublicAccessBlock"] as const) {
    const resolved = resolvePath(bucket, attribute, true);
    if (!resolved.known) reasons.push(resolved.reason);
    else if ((resolved.value as PublicAccessBlock | null)?.[flag] === true) return { state: "on", path: `${attribute}.${flag}` };
  }
  return reasons.length > 0 ? { state: "unknown", reason: reasons.join("; ") } : { state: "off" };
}

/** A document attribute: the document, `null` (not configured), or the reason it is unknown. */
function readDocument(resource: Resource, attribute: string): { document: PolicyDocument | null } | { reason: string } {
  const resolved = resolvePath(resource, attribute, true);
  if (!resolved.known) return { reason: resolved.reason };
  return { document: (resolved.value ?? null) as PolicyDocument | null };
}

function statementEvidence(found: PublicStatement, orgScoped = false): Evidence {
  const expected = orgScoped
    ? "no Allow for everyone restricted only by aws:PrincipalOrgID (S3 does not count it as a restriction)"
    : "no Allow for everyone without a restricting condition (aws:SourceIp CIDR, fixed aws:SourceVpce, aws:SourceArn, aws:SourceAccount, aws:PrincipalArn...)";
  return { path: found.path, expected, observed: found.statement };
}

const AWS_VERDICT: Evidence = { path: "policyStatus.isPublic", expected: "false (GetBucketPolicyStatus)", observed: true };

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
  evaluate(resource, { access }) {
    const bucket = resource as Bucket;
    const status = resolvePath(bucket, "policyStatus", true);
    if (!status.known) return undecided(status.reason);
    const isPublic = (status.value as { isPublic: boolean } | null)?.isPublic === true;
    if (!isPublic) return pass([{ path: "policyStatus.isPublic", expected: "false", observed: status.value === null ? null : false }]);
    const block = effectiveBlock(bucket, "restrictPublicBuckets");
    if (block.state === "on") return pass([{ path: block.path, expected: "true", observed: true }]);
    if (block.state === "unknown") return undecided(block.reason);
    const policy = readDocument(bucket, "policy");
    return access === "write" ? evaluatePublicWrite(policy) : explainPublicPolicy(policy);
  },
});

function explainPublicPolicy(policy: ReturnType<typeof readDocument>): Outcome {
  if (!("document" in policy) || policy.document === null) {
    const observed = "reason" in policy ? policy.reason : null;
    return fail([AWS_VERDICT, { path: "policy", expected: "a readable policy to name the public statements", observed }]);
  }
  const analysis = analyzePublicStatements(policy.document);
  const evidence = analysis.public.length > 0
    ? analysis.public.map((s) => statementEvidence(s))
    : analysis.orgScoped.map((s) => statementEvidence(s, true));
  if (evidence.length === 0) {
    evidence.push({ path: "policy", expected: "a statement our analysis identifies as public", observed: "none found: AWS's verdict stands (see GetBucketPolicyStatus)" });
  }
  return withQualifiers(fail([AWS_VERDICT, ...evidence]), analysis.public);
}

function evaluatePublicWrite(policy: ReturnType<typeof readDocument>): Outcome {
  if (!("document" in policy)) return undecided(policy.reason);
  if (policy.document === null) return pass([{ path: "policy", expected: "no public write grant", observed: null }]);
  const analysis = analyzePublicStatements(policy.document);
  const writers = analysis.public.filter((s) => s.grantsWrite);
  if (writers.length > 0) return withQualifiers(fail([AWS_VERDICT, ...writers.map((s) => statementEvidence(s))]), writers);
  if (analysis.public.length > 0) return pass([{ path: "policy", expected: "public statements grant no write or delete action", observed: analysis.public.map((s) => s.path) }]);
  const orgWriters = analysis.orgScoped.filter((s) => s.grantsWrite);
  if (orgWriters.length > 0) return withQualifiers(fail([AWS_VERDICT, ...orgWriters.map((s) => statementEvidence(s, true))]), orgWriters);
  if (analysis.orgScoped.length > 0) return pass([{ path: "policy", expected: "no write or delete action for everyone", observed: analysis.orgScoped.map((s) => s.path) }]);
  return undecided("policyStatus: AWS reports the policy public but no statement could be identified, so write access cannot be told apart from read");
}

function withQualifiers(outcome: Outcome, statements: PublicStatement[]): Outcome {
  const qualifiers = [...new Set(statements.flatMap((s) => s.qualifiers))];
  return qualifiers.length > 0 ? { ...outcome, qualifiers } : outcome;
}

const GROUPS = ["http://acs.amazonaws.com/groups/global/AllUsers", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"];
const ACL_PERMISSIONS: Record<"any" | "read" | "write", readonly string[]> = {
  any: ["READ", "READ_ACP", "WRITE", "WRITE_ACP", "FULL_CONTROL"],
  read: ["READ", "READ_ACP", "FULL_CONTROL"],
  write: ["WRITE", "WRITE_ACP", "FULL_CONTROL"],
};

/** Public through ACL grants to AllUsers / AuthenticatedUsers, unless IgnorePublicAcls (bucket OR account). */
export const s3PublicAcl = defineCheck({
  name: "s3PublicAcl",
  description: "Bucket ACL grants nothing to AllUsers or AuthenticatedUsers",
  resourceTypes: BUCKET,
  reads: ["acl", "publicAccessBlock", "accountPublicAccessBlock"],
  params: z.strictObject({ access: z.enum(["any", "read", "write"]).default("any") }),
  evaluate(resource, { access }) {
    const bucket = resource as Bucket;
    const block = effectiveBlock(bucket, "ignorePublicAcls");
    if (block.state === "on") return pass([{ path: block.path, expected: "true", observed: true }]);
    const acl = resolvePath(bucket, "acl", true);
    if (!acl.known) return undecided(acl.reason);
    const grants = ((acl.value as { grants: AclGrant[] } | undefined)?.grants ?? [])
      .map((grant, index) => ({ grant, index }))
      .filter(({ grant }) => GROUPS.includes(grant.grantee.uri ?? "") && ACL_PERMISSIONS[access].includes(grant.permission));
    if (grants.length === 0) return pass([{ path: "acl.grants", expected: "no grant to AllUsers or AuthenticatedUsers", observed: [] }]);
    if (block.state === "unknown") return undecided(block.reason);
    return fail(grants.map(({ grant, index }) => ({
      path: `acl.grants[${index}]`, expected: `no ${access === "any" ? "" : `${access} `}grant to AllUsers or AuthenticatedUsers`, observed: grant,
    })));
  },
});

/** The policy has a Deny for all principals on s3:* / * when aws:SecureTransport is false. */
export const s3PolicyDeniesInsecureTransport = defineCheck({
  name: "s3PolicyDeniesInsecureTransport",
  description: "Bucket policy denies requests that do not use TLS",
  resourceTypes: BUCKET,
  reads: ["policy"],
  params: z.strictObject({}),
  evaluate(resource) {
    const policy = readDocument(resource, "policy");
    if (!("document" in policy)) return undecided(policy.reason);
    const expected = "a Deny for Principal * of s3:* on the bucket and its objects when Bool aws:SecureTransport is false";
    if (policy.document === null) return fail([{ path: "policy", expected, observed: null }]);
    const found = deniesInsecureTransport(policy.document, resource.name);
    if (found) return pass([{ path: found.path, expected, observed: found }]);
    return fail([{ path: "policy.Statement", expected, observed: policy.document.Statement }]);
  },
});

/** No Allow statement grants access to principals of other accounts (except `trustedAccounts`). */
export const s3PolicyNoCrossAccount = defineCheck({
  name: "s3PolicyNoCrossAccount",
  description: "Bucket policy grants nothing to other AWS accounts",
  resourceTypes: BUCKET,
  reads: ["policy"],
  params: z.strictObject({
    trustedAccounts: z.array(z.string().regex(ACCOUNT_ID)).default([]),
    /** Organizations whose accounts are trusted (statements restricted by aws:PrincipalOrgID). */
    trustedOrgIds: z.array(z.string().regex(/^o-[a-z0-9]+$/)).default([]),
  }),
  evaluate(resource, { trustedAccounts, trustedOrgIds }) {
    const policy = readDocument(resource, "policy");
    if (!("document" in policy)) return undecided(policy.reason);
    if (policy.document === null) return pass([{ path: "policy", expected: "no grant to other accounts", observed: null }]);
    const found = findCrossAccountStatements(policy.document, resource.accountId, trustedAccounts, { trustedOrgIds });
    if (found.length === 0) return pass([{ path: "policy", expected: "no grant to other accounts", observed: [] }]);
    const expected = `grants only to account ${resource.accountId}${trustedAccounts.length > 0 ? `, trusted ${trustedAccounts.join(", ")}` : ""} or AWS services`;
    const outcome = fail(found.map((s) => ({ path: s.path, expected, observed: { foreignAccounts: s.accounts, statement: s.statement } })));
    const qualifiers = [...new Set(found.flatMap((s) => s.qualifiers))];
    return qualifiers.length > 0 ? { ...outcome, qualifiers } : outcome;
  },
});
