import type { PasswordPolicy as SdkPasswordPolicy, ServerCertificateMetadata, VirtualMFADevice } from "@aws-sdk/client-iam";
import type { IamAccount, IamPasswordPolicy, IamRootUser, PasswordPolicy, ServerCertificate } from "../core/snapshot.js";
import { isUnknown, type OrUnknown } from "../core/unknown.js";
import { IAM_REGION, mapEach, requireIso, requireString, type Mapped } from "./map-iam-common.js";
import { credentialsOf, type AuthorizationDetails, type CredentialReport } from "./map-iam-principals.js";

/** What the account-level IAM calls returned: `undefined` = not requested, Unknown = failed. */
export interface AccountIamData {
  credentialReport?: OrUnknown<CredentialReport>;
  accountSummary?: OrUnknown<Record<string, number>>;
  virtualMfaDevices?: OrUnknown<VirtualMFADevice[]>;
  /** `null`: GetAccountPasswordPolicy answered NoSuchEntity (no policy). */
  passwordPolicy?: OrUnknown<SdkPasswordPolicy | null>;
  authorizationDetails?: OrUnknown<AuthorizationDetails>;
}

/**
 * The root user's virtual MFA device is named root-account-mfa-device and bound to the root ARN
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-virt-mfa-for-root.html).
 */
export function isRootVirtualMfa(device: VirtualMFADevice, accountId: string): boolean {
  return device.SerialNumber === `arn:aws:iam::${accountId}:mfa/root-account-mfa-device`
    || (device.User?.Arn ?? "").endsWith(":root");
}

/** Virtual MFA serial numbers by the ARN of the user they are bound to (unbound devices are left out). */
export function mapVirtualMfaByUser(devices: readonly VirtualMFADevice[]): Map<string, string[]> {
  const byUser = new Map<string, string[]>();
  for (const device of devices) {
    const owner = device.User?.Arn;
    if (owner !== undefined && device.SerialNumber !== undefined) byUser.set(owner, [...(byUser.get(owner) ?? []), device.SerialNumber]);
  }
  return byUser;
}

export function mapRootUser(accountId: string, data: AccountIamData): IamRootUser {
  const arn = `arn:aws:iam::${accountId}:root`;
  // The root user cannot carry tags.
  const root: IamRootUser = { type: "aws:iam:root-user", arn, accountId, region: IAM_REGION, name: "<root_account>", tags: {} };
  if (data.credentialReport !== undefined) root.credentials = credentialsOf(arn, data.credentialReport);
  if (data.accountSummary !== undefined) {
    const summary = data.accountSummary;
    root.accountSummary = isUnknown(summary)
      ? summary
      : { mfaEnabled: summary.AccountMFAEnabled === 1, accessKeysPresent: summary.AccountAccessKeysPresent === 1 };
  }
  if (data.virtualMfaDevices !== undefined) {
    const devices = data.virtualMfaDevices;
    root.virtualMfaDevices = isUnknown(devices)
      ? devices
      : devices.filter((d) => isRootVirtualMfa(d, accountId)).map((d) => d.SerialNumber ?? "");
  }
  return root;
}

export function mapPasswordPolicy(accountId: string, policy: OrUnknown<SdkPasswordPolicy | null>): IamPasswordPolicy {
  return {
    type: "aws:iam:password-policy", arn: `arn:aws:iam::${accountId}:account-password-policy`, accountId,
    region: IAM_REGION, name: "account-password-policy", tags: {},
    policy: policy === null || isUnknown(policy) ? policy : mapPasswordPolicySettings(policy),
  };
}

function mapPasswordPolicySettings(p: SdkPasswordPolicy): PasswordPolicy {
  const settings: PasswordPolicy = {
    minimumPasswordLength: p.MinimumPasswordLength ?? 0,
    requireSymbols: p.RequireSymbols === true,
    requireNumbers: p.RequireNumbers === true,
    requireUppercaseCharacters: p.RequireUppercaseCharacters === true,
    requireLowercaseCharacters: p.RequireLowercaseCharacters === true,
    allowUsersToChangePassword: p.AllowUsersToChangePassword === true,
    expirePasswords: p.ExpirePasswords === true,
  };
  // Absent in the response when not set: kept absent rather than defaulted.
  if (p.MaxPasswordAge !== undefined) settings.maxPasswordAge = p.MaxPasswordAge;
  if (p.PasswordReusePrevention !== undefined) settings.passwordReusePrevention = p.PasswordReusePrevention;
  if (p.HardExpiry !== undefined) settings.hardExpiry = p.HardExpiry;
  return settings;
}

const SUPPORT_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\/AWSSupportAccess$/;

export function mapIamAccount(accountId: string, data: AccountIamData): IamAccount {
  const account: IamAccount = {
    type: "aws:iam:account", arn: `arn:aws:iam::${accountId}:account`, accountId, region: IAM_REGION, name: accountId, tags: {},
  };
  const details = data.authorizationDetails;
  if (details !== undefined) {
    account.supportRoles = isUnknown(details)
      ? details
      : details.roles.filter((r) => (r.AttachedManagedPolicies ?? []).some((p) => SUPPORT_POLICY.test(p.PolicyArn ?? ""))).map((r) => r.Arn ?? "");
  }
  if (data.accountSummary !== undefined) account.summary = data.accountSummary;
  return account;
}

export function mapServerCertificates(list: readonly ServerCertificateMetadata[], accountId: string): Mapped<ServerCertificate> {
  return mapEach(list, (c) => c.Arn, (c): ServerCertificate => {
    const arn = requireString(c.Arn, "server certificate");
    return {
      type: "aws:iam:server-certificate", arn, accountId, region: IAM_REGION, name: requireString(c.ServerCertificateName, arn),
      certificateId: requireString(c.ServerCertificateId, arn), path: c.Path ?? "/",
      uploadedAt: requireIso(c.UploadDate, `${arn} UploadDate`), expiration: requireIso(c.Expiration, `${arn} Expiration`),
    };
  });
}
