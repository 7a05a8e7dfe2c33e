import { z } from "zod";
import { defineCheck } from "./check.js";
import { fail, pass, undecided, type Outcome } from "../condition.js";
import { isUnknown } from "../unknown.js";
import type { IamGroup, IamRole, IamUser, Resource } from "../snapshot.js";
import {
  allowsAssumeRoleOnAnyRole, allowsFullServiceAccess, analyzeAdminAccess, type AccessAnalysis, type PolicySource,
} from "../policy/admin.js";
import { gatherPolicySources, readManagedDocument } from "../policy/effective-policies.js";

const PRINCIPALS = ["aws:iam:user", "aws:iam:role", "aws:iam:group"] as const;
const DOCUMENTS = ["aws:iam:policy", "aws:iam:user", "aws:iam:role", "aws:iam:group"] as const;
const ADMIN = "no Allow of every action (*, *:* or NotAction) on every resource";

/** Turns an analysis into an outcome: fail with one evidence per granting statement, conditions as qualifiers. */
function outcomeOf(analysis: AccessAnalysis, expected: string, unreadable: string[] = []): Outcome {
  if (analysis.granted) {
    const evidence = analysis.grants.map((grant) => ({ path: grant.path, expected, observed: { policy: grant.source, statement: grant.statement } }));
    const qualifiers = [...analysis.qualifiers, ...unreadable.map((reason) => `not read (a Deny there is not accounted for): ${reason}`)];
    return qualifiers.length > 0 ? { ...fail(evidence), qualifiers } : fail(evidence);
  }
  if (unreadable.length > 0) return undecided(unreadable.join("; "));
  const negated = analysis.negatedBy.map((deny) => ({ path: deny.path, expected, observed: { policy: deny.source, statement: deny.statement } }));
  return pass(negated);
}

/** The documents a check reads: a managed policy's document, or a principal's inline policies. */
function documentsOf(resource: Resource): PolicySource[] | string {
  if (resource.type === "aws:iam:policy") {
    if (resource.document === undefined) return "document: not collected";
    if (isUnknown(resource.document)) return `document: ${resource.document.$unknown}`;
    return [{ label: `managed policy ${resource.name}`, document: resource.document, basePath: "document" }];
  }
  const principal = resource as IamUser | IamRole | IamGroup;
  if (principal.inlinePolicies === undefined) return "inlinePolicies: not collected";
  return principal.inlinePolicies.map((policy, index) => ({
    label: `inline policy ${policy.name}`, document: policy.document, basePath: `inlinePolicies[${index}].document`,
  }));
}

/**
 * A permissions boundary caps a user's or role's effective permissions
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html): admin through
 * identity policies is effective only if the boundary allows everything too.
 */
function boundaryOutcome(principal: IamUser | IamRole | IamGroup, ctx: { lookup(arn: string): Resource | undefined }): Outcome | undefined {
  if (principal.type === "aws:iam:group" || !principal.permissionsBoundary) return undefined;
  const document = readManagedDocument(principal.permissionsBoundary, ctx.lookup);
  if (typeof document === "string") return undecided(`permissionsBoundary ${principal.permissionsBoundary}: ${document}`);
  const analysis = analyzeAdminAccess([{ label: `permissions boundary ${principal.permissionsBoundary}`, document, basePath: "permissionsBoundary.document" }]);
  return analysis.granted ? undefined : pass([{ path: "permissionsBoundary", expected: ADMIN, observed: principal.permissionsBoundary }]);
}

/**
 * Effective administrator access of a principal: its inline and attached managed policies (looked up
 * in the snapshot) and, for a user, those of its groups; `*`, `*:*` and NotAction handled, Deny
 * subtracted, conditions reported as qualifiers. One verdict per principal.
 */
export const iamPrincipalNotAdmin = defineCheck({
  name: "iamPrincipalNotAdmin",
  description: "Principal (user with its groups, role, group) has no administrator access",
  resourceTypes: PRINCIPALS,
  reads: ["attachedPolicies", "inlinePolicies", "groups", "permissionsBoundary"],
  params: z.strictObject({}),
  evaluate(resource, _params, ctx) {
    const principal = resource as IamUser | IamRole | IamGroup;
    for (const attribute of ["attachedPolicies", "inlinePolicies"] as const) {
      if (principal[attribute] === undefined) return undecided(`${attribute}: not collected`);
    }
    if (principal.type === "aws:iam:user" && principal.groups === undefined) return undecided("groups: not collected");
    const { sources, unreadable } = gatherPolicySources(principal, ctx.lookup);
    const outcome = outcomeOf(analyzeAdminAccess(sources), ADMIN, unreadable);
    return outcome.status === "fail" ? (boundaryOutcome(principal, ctx) ?? outcome) : outcome;
  },
});

/** A managed policy's default version does not allow `*` on `*` (Action `*`/`*:*` or any NotAction). */
export const iamPolicyNotAdmin = defineCheck({
  name: "iamPolicyNotAdmin",
  description: "Managed policy does not grant administrator access",
  resourceTypes: ["aws:iam:policy"],
  reads: ["document"],
  params: z.strictObject({}),
  evaluate(resource) {
    const documents = documentsOf(resource);
    if (typeof documents === "string") return undecided(documents);
    return outcomeOf(analyzeAdminAccess(documents), ADMIN);
  },
});

/**
 * No policy document allows every action of one service (`kms:*`, `cloudtrail:*`) on all resources.
 * For a managed policy: its document; for a principal: its inline policies (managed ones are
 * evaluated as policy resources of their own).
 */
export const iamPolicyNoFullServiceAccess = defineCheck({
  name: "iamPolicyNoFullServiceAccess",
  description: "Policy does not allow all actions of a service on all resources",
  resourceTypes: DOCUMENTS,
  reads: ["document", "inlinePolicies"],
  params: z.strictObject({ service: z.string().regex(/^[a-z0-9-]+$/) }),
  evaluate(resource, { service }) {
    const documents = documentsOf(resource);
    if (typeof documents === "string") return undecided(documents);
    return outcomeOf(allowsFullServiceAccess(documents, service), `no Allow of ${service}:* (or * / NotAction) on every resource`);
  },
});

/** No policy document allows sts:AssumeRole on Resource `*`. */
export const iamPolicyNoAssumeRoleOnWildcard = defineCheck({
  name: "iamPolicyNoAssumeRoleOnWildcard",
  description: "Policy does not allow sts:AssumeRole on every role",
  resourceTypes: DOCUMENTS,
  reads: ["document", "inlinePolicies"],
  params: z.strictObject({}),
  evaluate(resource) {
    const documents = documentsOf(resource);
    if (typeof documents === "string") return undecided(documents);
    return outcomeOf(allowsAssumeRoleOnAnyRole(documents), "no Allow of sts:AssumeRole on Resource * (or arn:aws:iam::*:role/*)");
  },
});
