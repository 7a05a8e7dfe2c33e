import { namedChecks } from "../../core/checks/index.js";
import { evaluateRule } from "../../core/engine.js";
import {
  keyStatuses, planKeysToDeactivate, withKeyStatus, type UserCredentialsState,
} from "../../core/fixes/access-keys.js";
import { describePasswordPolicyChanges, mergePasswordPolicy, passwordPolicyParams } from "../../core/fixes/password-policy.js";
import { canonicalJson, FixNotApplicableError, type ApiCall } from "../../core/fixes/types.js";
import type { PasswordPolicy } from "../../core/snapshot.js";
import { assertReads, describeEvidence, type FixerSpec } from "./define-fixer.js";
import { fetchUserCredentials, passwordPolicyResource, readPasswordPolicy, userResourceOf } from "./read-iam.js";

const USER_READS = ["iam:GetUser", "iam:GetLoginProfile", "iam:ListAccessKeys", "iam:GetAccessKeyLastUsed", "iam:ListMFADevices", "iam:ListSigningCertificates"];

const keyCall = (userName: string, accessKeyId: string, status: "Active" | "Inactive"): ApiCall =>
  ({ service: "iam", operation: "UpdateAccessKey", params: { UserName: userName, AccessKeyId: accessKeyId, Status: status } });

/**
 * Deactivates (never deletes) the access keys that fail the rule now, judged on a direct read of the
 * user's keys: the credential report may be 4 hours old. A deactivated key can be reactivated by Undo.
 */
export const deactivateAccessKey: FixerSpec<UserCredentialsState> = {
  id: "iam-user-deactivate-access-key",
  title: "Deactivate the access key (it is not deleted)",
  resourceType: "aws:iam:user",
  rules: ["iam-user-access-keys-rotated-90-days", "iam-user-credentials-unused-45-days", "iam-user-no-unused-initial-access-key"],
  actions: [...USER_READS, "iam:UpdateAccessKey"],
  read: (clients, target) => fetchUserCredentials(clients.iam, target.name),
  plan(before, { target, rule, now }) {
    const result = evaluateRule(rule, userResourceOf(target, before, now), { now, checks: namedChecks }, () => undefined);
    if (result?.status !== "fail") throw new FixNotApplicableError(`rule ${rule.id} does not fail for user ${target.name} on a direct read of its keys (${result?.status ?? "not applicable"})`);
    const keys = planKeysToDeactivate(before.keys, result.evidence);
    const ids = new Set(keys.map((k) => k.accessKeyId));
    return {
      summary: `Deactivate access key${keys.length > 1 ? "s" : ""} ${[...ids].join(", ")} of user ${target.name}`,
      before, after: withKeyStatus(before, ids, "Inactive"),
      calls: keys.map((key) => keyCall(target.name, key.accessKeyId, "Inactive")),
      notes: [
        `Why: ${describeEvidence(result.evidence)}`,
        "The key is deactivated, not deleted: anything still using it gets InvalidClientTokenId until Undo reactivates it.",
      ],
    };
  },
  planUndo: (previous, current, target) => previous.keys
    .filter((key) => key.status === "Active" && current.keys.some((k) => k.accessKeyId === key.accessKeyId && k.status === "Inactive"))
    .map((key) => keyCall(target.name, key.accessKeyId, "Active")),
  rollbackOf: (call) => (call.operation === "UpdateAccessKey" && call.params.Status === "Inactive"
    ? keyCall(call.params.UserName, call.params.AccessKeyId, "Active") : undefined),
  // Last-used dates move on their own; what the fix changes, and what undo must find, is the statuses.
  fingerprint: keyStatuses,
  async collect(clients, target, rule, now) {
    assertReads(rule, ["credentials"]);
    return userResourceOf(target, await fetchUserCredentials(clients.iam, target.name), now);
  },
};

/** GetAccountPasswordPolicy omits unset values; this compares what the API round-trips. */
function comparablePolicy(policy: PasswordPolicy | null): unknown {
  if (policy === null) return null;
  return canonicalJson(passwordPolicyParams({ ...policy, hardExpiry: policy.hardExpiry ?? false }));
}

export const passwordPolicyBaseline: FixerSpec<PasswordPolicy | null> = {
  id: "iam-password-policy-cis-baseline",
  title: "Raise the account password policy to the CIS baseline",
  resourceType: "aws:iam:password-policy",
  rules: [
    "iam-password-policy-exists", "iam-password-policy-min-length-14", "iam-password-policy-reuse-24", "iam-password-policy-symbols",
    "iam-password-policy-numbers", "iam-password-policy-uppercase", "iam-password-policy-lowercase", "iam-password-policy-expiry-90-days",
  ],
  actions: ["iam:GetAccountPasswordPolicy", "iam:UpdateAccountPasswordPolicy", "iam:DeleteAccountPasswordPolicy"],
  read: (clients, target) => readPasswordPolicy(clients.iam, target.accountId),
  plan(before, { target }) {
    const after = mergePasswordPolicy(before);
    if (comparablePolicy(before) === comparablePolicy(after)) throw new FixNotApplicableError("the password policy already meets the CIS baseline");
    return {
      summary: `${before === null ? "Create" : "Strengthen"} the password policy of account ${target.accountId} (CIS baseline; stricter values kept)`,
      before, after,
      calls: [{ service: "iam", operation: "UpdateAccountPasswordPolicy", params: passwordPolicyParams(after) }],
      notes: [
        ...describePasswordPolicyChanges(before, after),
        "Current passwords stay valid; the new rules apply when each user next sets a password (or when it expires).",
      ],
    };
  },
  planUndo: (previous) => [previous === null
    ? { service: "iam", operation: "DeleteAccountPasswordPolicy", params: {} }
    : { service: "iam", operation: "UpdateAccountPasswordPolicy", params: passwordPolicyParams(previous) }],
  fingerprint: comparablePolicy,
  collect: async (clients, target) => passwordPolicyResource(target, await readPasswordPolicy(clients.iam, target.accountId)),
};
