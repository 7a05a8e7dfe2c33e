import { z } from "zod";
import { defineCheck } from "./check.js";
import { undecided } from "../condition.js";

const TODO = () => undecided("not implemented yet");
const PRINCIPALS = ["aws:iam:user", "aws:iam:role", "aws:iam:group"] as const;
const DOCUMENTS = ["aws:iam:policy", "aws:iam:user", "aws:iam:role", "aws:iam:group"] as const;

/**
 * Effective administrator access of a principal: its inline and attached managed policies (looked up
 * in the snapshot) and, for a user, those of its groups; `*`, `*:*` and NotAction handled, Deny
 * subtracted, conditions reported as qualifiers. One verdict per principal.
 */
export const iamPrincipalNotAdmin = defineCheck({
  name: "iamPrincipalNotAdmin",
  description: "Principal (user with its groups, role, group) has no administrator access",
  resourceTypes: PRINCIPALS,
  reads: ["attachedPolicies", "inlinePolicies", "groups"],
  params: z.strictObject({}),
  evaluate: TODO,
});

/** A managed policy's default version does not allow `*` on `*` (Action `*`/`*:*` or any NotAction). */
export const iamPolicyNotAdmin = defineCheck({
  name: "iamPolicyNotAdmin",
  description: "Managed policy does not grant administrator access",
  resourceTypes: ["aws:iam:policy"],
  reads: ["document"],
  params: z.strictObject({}),
  evaluate: TODO,
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
  evaluate: TODO,
});

/** No policy document allows sts:AssumeRole on Resource `*`. */
export const iamPolicyNoAssumeRoleOnWildcard = defineCheck({
  name: "iamPolicyNoAssumeRoleOnWildcard",
  description: "Policy does not allow sts:AssumeRole on every role",
  resourceTypes: DOCUMENTS,
  reads: ["document", "inlinePolicies"],
  params: z.strictObject({}),
  evaluate: TODO,
});
