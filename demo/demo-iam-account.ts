import type { IamAccount, IamPasswordPolicy, IamRole, IamRootUser, IamUser, ServerCertificate } from "../src/core/snapshot.js";
import { DEMO_COLLECTED_AT, PROD, STAGING, daysAgo, type Random } from "./demo-kit.js";
import { iamId } from "./demo-iam-policies.js";

/** Production's root has hardware MFA and no keys; staging's root has no MFA and an old access key. */
export function buildRootUsers(): IamRootUser[] {
  const prod: IamRootUser = {
    type: "aws:iam:root-user", arn: `arn:aws:iam::${PROD.id}:root`, name: "<root_account>", accountId: PROD.id, region: "global", tags: {},
    credentials: {
      userCreationTime: daysAgo(2900), passwordEnabled: true, passwordLastUsed: daysAgo(210), passwordLastChanged: daysAgo(700),
      mfaActive: true, accessKeys: [], certificates: [], reportGeneratedAt: DEMO_COLLECTED_AT,
    },
    accountSummary: { mfaEnabled: true, accessKeysPresent: false },
    virtualMfaDevices: [],
  };
  const staging: IamRootUser = {
    type: "aws:iam:root-user", arn: `arn:aws:iam::${STAGING.id}:root`, name: "<root_account>", accountId: STAGING.id, region: "global", tags: {},
    credentials: {
      userCreationTime: daysAgo(1600), passwordEnabled: true, passwordLastUsed: daysAgo(12), passwordLastChanged: daysAgo(1600),
      mfaActive: false,
      accessKeys: [{ slot: 1, active: true, lastRotated: daysAgo(1500), lastUsedDate: daysAgo(40), lastUsedRegion: "us-east-1", lastUsedService: "s3" }],
      certificates: [], reportGeneratedAt: DEMO_COLLECTED_AT,
    },
    accountSummary: { mfaEnabled: false, accessKeysPresent: true },
    virtualMfaDevices: [],
  };
  return [prod, staging];
}

/** Production follows CIS (14 characters, reuse 24, complexity, 90-day expiry); staging kept the weak default. */
export function buildPasswordPolicies(): IamPasswordPolicy[] {
  return [
    {
      type: "aws:iam:password-policy", arn: `arn:aws:iam::${PROD.id}:account-password-policy`, name: "password policy", accountId: PROD.id, region: "global",
      policy: {
        minimumPasswordLength: 14, requireSymbols: true, requireNumbers: true, requireUppercaseCharacters: true, requireLowercaseCharacters: true,
        allowUsersToChangePassword: true, expirePasswords: true, maxPasswordAge: 90, passwordReusePrevention: 24, hardExpiry: false,
      },
    },
    {
      type: "aws:iam:password-policy", arn: `arn:aws:iam::${STAGING.id}:account-password-policy`, name: "password policy", accountId: STAGING.id, region: "global",
      policy: {
        minimumPasswordLength: 8, requireSymbols: false, requireNumbers: false, requireUppercaseCharacters: false, requireLowercaseCharacters: true,
        allowUsersToChangePassword: true, expirePasswords: false,
      },
    },
  ];
}

export function buildIamAccounts(users: readonly IamUser[], roles: readonly IamRole[]): IamAccount[] {
  return [PROD, STAGING].map((account) => {
    const mine = <T extends { accountId: string }>(list: readonly T[]) => list.filter((item) => item.accountId === account.id);
    const supportRoles = mine(roles).filter((role) => role.attachedPolicies.some((p) => p.name === "AWSSupportAccess")).map((role) => role.arn);
    return {
      type: "aws:iam:account", arn: `arn:aws:iam::${account.id}:account`, name: `${account.name} (IAM account settings)`,
      accountId: account.id, region: "global", tags: {}, supportRoles,
      summary: {
        Users: mine(users).length, Roles: mine(roles).length, AccountMFAEnabled: account === PROD ? 1 : 0,
        AccountAccessKeysPresent: account === PROD ? 0 : 1, MFADevices: mine(users).filter((u) => Array.isArray(u.virtualMfaDevices) && u.virtualMfaDevices.length > 0).length,
      },
    };
  });
}

/** One certificate still valid in production, one that expired a month ago in staging. */
export function buildServerCertificates(random: Random): ServerCertificate[] {
  return [
    { account: PROD, name: "api-acme-com-2026", uploaded: 165, expires: -200 },
    { account: STAGING, name: "staging-acme-com-2025", uploaded: 395, expires: 30 },
  ].map(({ account, name, uploaded, expires }) => ({
    type: "aws:iam:server-certificate", arn: `arn:aws:iam::${account.id}:server-certificate/${name}`, name, accountId: account.id,
    region: "global", tags: { team: "web" }, certificateId: iamId(random, "ASCA"), path: "/", uploadedAt: daysAgo(uploaded), expiration: daysAgo(expires),
  }));
}
