import type { PasswordPolicy } from "../snapshot.js";
import type { PasswordPolicyParams } from "./types.js";

/** CIS AWS Foundations 1.8 / 1.9 (length 14, reuse 24) plus the character classes and a 90-day expiry. */
export const CIS_PASSWORD_BASELINE = {
  minimumPasswordLength: 14,
  passwordReusePrevention: 24,
  maxPasswordAge: 90,
} as const;

/** IAM's own bounds (https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAccountPasswordPolicy.html). */
const MAX_REUSE_PREVENTION = 24;

/**
 * The CIS baseline merged into the current policy, never weakening it: a longer minimum, a larger
 * reuse window, a shorter expiry, hard expiry and "users may change their password" are all kept.
 * An account without a policy gets the baseline with users allowed to change their own password
 * (what the console's default policy does).
 */
export function mergePasswordPolicy(current: PasswordPolicy | null): PasswordPolicy {
  const currentAge = current?.expirePasswords === true ? current.maxPasswordAge : undefined;
  const merged: PasswordPolicy = {
    minimumPasswordLength: Math.max(current?.minimumPasswordLength ?? 0, CIS_PASSWORD_BASELINE.minimumPasswordLength),
    requireSymbols: true,
    requireNumbers: true,
    requireUppercaseCharacters: true,
    requireLowercaseCharacters: true,
    allowUsersToChangePassword: current?.allowUsersToChangePassword ?? true,
    expirePasswords: true,
    maxPasswordAge: Math.min(currentAge ?? Infinity, CIS_PASSWORD_BASELINE.maxPasswordAge),
    passwordReusePrevention: Math.min(MAX_REUSE_PREVENTION, Math.max(current?.passwordReusePrevention ?? 0, CIS_PASSWORD_BASELINE.passwordReusePrevention)),
  };
  if (current?.hardExpiry !== undefined) merged.hardExpiry = current.hardExpiry;
  return merged;
}

/**
 * UpdateAccountPasswordPolicy replaces the whole policy: a parameter left out reverts to IAM's default
 * (for instance no expiry, no reuse prevention), so every value is always sent.
 */
export function passwordPolicyParams(policy: PasswordPolicy): PasswordPolicyParams {
  const params: PasswordPolicyParams = {
    MinimumPasswordLength: policy.minimumPasswordLength,
    RequireSymbols: policy.requireSymbols,
    RequireNumbers: policy.requireNumbers,
    RequireUppercaseCharacters: policy.requireUppercaseCharacters,
    RequireLowercaseCharacters: policy.requireLowercaseCharacters,
    AllowUsersToChangePassword: policy.allowUsersToChangePassword,
  };
  if (policy.expirePasswords && policy.maxPasswordAge !== undefined) params.MaxPasswordAge = policy.maxPasswordAge;
  if (policy.passwordReusePrevention !== undefined) params.PasswordReusePrevention = policy.passwordReusePrevention;
  if (policy.hardExpiry !== undefined) params.HardExpiry = policy.hardExpiry;
  return params;
}

/** The settings the merge strengthened, for the preview ("minimum length 8 -> 14"). */
export function describePasswordPolicyChanges(before: PasswordPolicy | null, after: PasswordPolicy): string[] {
  const keys = Object.keys(after) as (keyof PasswordPolicy)[];
  return keys
    .filter((key) => before === null || before[key] !== after[key])
    .map((key) => `${key}: ${before === null ? "no policy" : JSON.stringify(before[key] ?? null)} -> ${JSON.stringify(after[key])}`);
}
