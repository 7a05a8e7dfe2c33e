import type { Config } from "../config.js";

/** "security/PostureScanner" in 111122223333 → arn:aws:iam::111122223333:role/security/PostureScanner. */
export function roleArnIn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/** The partition of a region's accounts, for role ARNs built without an Organizations answer at hand. */
export function partitionOfRegion(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

type RoleConfig = Pick<Config, "accounts" | "organizations" | "homeRegion">;

/**
 * The role one-click fixes assume in an account: an explicit account's `fixerRoleArn` (none: fixes are off
 * there, even with discovery on: the explicit entry wins), else `organizations.fixerRoleName` in the
 * account when discovery is on.
 */
export function fixerRoleOf(config: RoleConfig, accountId: string): { roleArn: string; externalId?: string } | undefined {
  const explicit = config.accounts.find((a) => a.id === accountId);
  if (explicit) return explicit.fixerRoleArn === undefined ? undefined : { roleArn: explicit.fixerRoleArn, ...(explicit.fixerExternalId !== undefined ? { externalId: explicit.fixerExternalId } : {}) };
  const { organizations } = config;
  if (!organizations.enabled || organizations.fixerRoleName === undefined) return undefined;
  return {
    roleArn: roleArnIn(partitionOfRegion(config.homeRegion), accountId, organizations.fixerRoleName),
    ...(organizations.fixerExternalId !== undefined ? { externalId: organizations.fixerExternalId } : {}),
  };
}

/** The scanner's role in an account (explicit `roleArn`, else the discovered accounts' `roleName`): fixes must never use it. */
export function scannerRoleOf(config: RoleConfig, accountId: string): string | undefined {
  const explicit = config.accounts.find((a) => a.id === accountId);
  if (explicit) return explicit.roleArn;
  return config.organizations.enabled ? roleArnIn(partitionOfRegion(config.homeRegion), accountId, config.organizations.roleName) : undefined;
}
