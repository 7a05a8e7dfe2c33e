import { z } from "zod";
import { defineCheck } from "./check.js";
import { fail, pass, resolvePath, undecided } from "../condition.js";
import type { PolicyDocument } from "../policy-document.js";
import { findOpenTrustStatements, findTrustWithoutExternalId } from "../policy/trust.js";

/** The trust policy does not let any principal (`*`) assume the role without a restricting condition. */
export const iamRoleTrustNotPublic = defineCheck({
  name: "iamRoleTrustNotPublic",
  description: "Role trust policy is not open to every AWS principal",
  resourceTypes: ["aws:iam:role"],
  reads: ["trustPolicy"],
  params: z.strictObject({}),
  evaluate(resource) {
    const trust = resolvePath(resource, "trustPolicy", true);
    if (!trust.known) return undecided(trust.reason);
    const found = findOpenTrustStatements(trust.value as PolicyDocument);
    if (found.length === 0) return pass([{ path: "trustPolicy", expected: "no open trust", observed: [] }]);
    return fail(found.map((s) => ({
      path: s.path,
      expected: "no Allow of sts:AssumeRole* to everyone, or to an OIDC provider, without a pinning condition",
      observed: { reason: s.reason, statement: s.statement },
    })));
  },
});

/** Principals of other accounts may assume the role only with an sts:ExternalId condition. */
export const iamRoleTrustCrossAccountHasExternalId = defineCheck({
  name: "iamRoleTrustCrossAccountHasExternalId",
  description: "Cross-account role trust requires an external id",
  resourceTypes: ["aws:iam:role"],
  reads: ["trustPolicy"],
  params: z.strictObject({ trustedAccounts: z.array(z.string().regex(/^\d{12}$/)).default([]) }),
  evaluate(resource, { trustedAccounts }) {
    const trust = resolvePath(resource, "trustPolicy", true);
    if (!trust.known) return undecided(trust.reason);
    const found = findTrustWithoutExternalId(trust.value as PolicyDocument, resource.accountId, trustedAccounts);
    if (found.length === 0) return pass([{ path: "trustPolicy", expected: "cross-account trust only with sts:ExternalId", observed: [] }]);
    return fail(found.map((s) => ({
      path: s.path,
      expected: "a StringEquals sts:ExternalId condition for principals of other accounts",
      observed: { foreignAccounts: s.accounts, statement: s.statement },
    })));
  },
});
