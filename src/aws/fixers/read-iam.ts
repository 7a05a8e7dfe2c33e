import {
  GetAccessKeyLastUsedCommand, GetAccountPasswordPolicyCommand, GetLoginProfileCommand, GetUserCommand, ListAccessKeysCommand,
  ListMFADevicesCommand, ListSigningCertificatesCommand, type IAMClient,
} from "@aws-sdk/client-iam";
import type { FixTarget } from "../../app/fix-ports.js";
import { credentialsRowOf, sortKeysBySlot, type AccessKeyState, type UserCredentialsState } from "../../core/fixes/access-keys.js";
import type { IamPasswordPolicy, IamUser, PasswordPolicy } from "../../core/snapshot.js";
import { mapPasswordPolicy } from "../map-iam-account.js";
import { readOrFail } from "./read-bucket.js";

const iso = (date: Date | undefined): string | null => (date === undefined ? null : date.toISOString());

/**
 * The user's credentials read directly, never from the credential report: AWS regenerates the report
 * at most every 4 hours, so it cannot show a key deactivated a second ago
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html).
 */
export async function fetchUserCredentials(iam: IAMClient, userName: string): Promise<UserCredentialsState> {
  const [user, login, keys, mfa, certificates] = await Promise.all([
    readOrFail("GetUser", () => iam.send(new GetUserCommand({ UserName: userName })), undefined),
    fetchLoginProfile(iam, userName),
    readOrFail("ListAccessKeys", () => iam.send(new ListAccessKeysCommand({ UserName: userName })), undefined),
    readOrFail("ListMFADevices", () => iam.send(new ListMFADevicesCommand({ UserName: userName })), undefined),
    readOrFail("ListSigningCertificates", () => iam.send(new ListSigningCertificatesCommand({ UserName: userName })), undefined),
  ]);
  const keyStates = await Promise.all((keys?.AccessKeyMetadata ?? []).map((key) => fetchKeyState(iam, key)));
  return {
    userName,
    userCreatedAt: iso(user?.User?.CreateDate) ?? "",
    passwordEnabled: login !== null,
    passwordLastUsed: iso(user?.User?.PasswordLastUsed),
    passwordSetAt: login,
    mfaActive: (mfa?.MFADevices ?? []).length > 0,
    keys: sortKeysBySlot(keyStates),
    certificates: (certificates?.Certificates ?? []).slice(0, 2).map((c, index) => ({
      slot: index === 0 ? 1 : 2, active: c.Status === "Active", lastRotated: iso(c.UploadDate),
    })),
  };
}

/** GetLoginProfile answers NoSuchEntity when the user has no console password: a real "no". */
async function fetchLoginProfile(iam: IAMClient, userName: string): Promise<string | null> {
  try {
    const output = await iam.send(new GetLoginProfileCommand({ UserName: userName }));
    return iso(output.LoginProfile?.CreateDate) ?? "";
  } catch (error) {
    if ((error as { name?: string }).name === "NoSuchEntityException" || (error as { Code?: string }).Code === "NoSuchEntity") return null;
    return readOrFail("GetLoginProfile", () => Promise.reject(error), null);
  }
}

type KeyMetadata = { AccessKeyId?: string; Status?: string; CreateDate?: Date };

/** GetAccessKeyLastUsed reports a never-used key with Region and ServiceName "N/A" and no date. */
async function fetchKeyState(iam: IAMClient, key: KeyMetadata): Promise<AccessKeyState> {
  const id = key.AccessKeyId ?? "";
  const output = await readOrFail("GetAccessKeyLastUsed", () => iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: id })), undefined);
  const used = output?.AccessKeyLastUsed;
  const orNull = (value: string | undefined) => (value === undefined || value === "N/A" ? null : value);
  return {
    accessKeyId: id,
    status: key.Status === "Active" ? "Active" : "Inactive",
    createDate: iso(key.CreateDate) ?? "",
    lastUsedDate: iso(used?.LastUsedDate),
    lastUsedRegion: orNull(used?.Region),
    lastUsedService: orNull(used?.ServiceName),
  };
}

/**
 * The user as the rules see it, rebuilt from direct calls. Only `credentials` is re-read: the fixer
 * verifies rules that read nothing else (checked by verifyRule before evaluating).
 */
export function userResourceOf(target: FixTarget, state: UserCredentialsState, now: Date): IamUser {
  return {
    type: "aws:iam:user", arn: target.arn, accountId: target.accountId, region: target.region, name: target.name,
    userId: "", path: "/", createdAt: state.userCreatedAt || now.toISOString(),
    groups: [], attachedPolicies: [], inlinePolicies: [], permissionsBoundary: null,
    credentials: credentialsRowOf(state, now),
  };
}

/** The account password policy; `null` when the account has none (NoSuchEntity). */
export async function readPasswordPolicy(iam: IAMClient, accountId: string): Promise<PasswordPolicy | null> {
  const output = await readOrFail("GetAccountPasswordPolicy", () => iam.send(new GetAccountPasswordPolicyCommand({})), null);
  if (output === null || output.PasswordPolicy === undefined) return null;
  const mapped = mapPasswordPolicy(accountId, output.PasswordPolicy).policy;
  return mapped as PasswordPolicy;
}

export function passwordPolicyResource(target: FixTarget, policy: PasswordPolicy | null): IamPasswordPolicy {
  return { type: "aws:iam:password-policy", arn: target.arn, accountId: target.accountId, region: target.region, name: target.name, tags: {}, policy };
}
