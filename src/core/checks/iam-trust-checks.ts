import { z } from "zod";
import { defineCheck } from "./check.js";
import { undecided } from "../condition.js";

const TODO = () => undecided("not implemented yet");

/** The trust policy does not let any principal (`*`) assume the role without a restricting condition. */
export const iamRoleTrustNotPublic = defineCheck({
  name: "iamRoleTrustNotPublic",
  description: "Role trust policy is not open to every AWS principal",
  resourceTypes: ["aws:iam:role"],
  reads: ["trustPolicy"],
  params: z.strictObject({}),
  evaluate: TODO,
});

/** Principals of other accounts may assume the role only with an sts:ExternalId condition. */
export const iamRoleTrustCrossAccountHasExternalId = defineCheck({
  name: "iamRoleTrustCrossAccountHasExternalId",
  description: "Cross-account role trust requires an external id",
  resourceTypes: ["aws:iam:role"],
  reads: ["trustPolicy"],
  params: z.strictObject({ trustedAccounts: z.array(z.string().regex(/^\d{12}$/)).default([]) }),
  evaluate: TODO,
});
