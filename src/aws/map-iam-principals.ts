import type { GroupDetail, ManagedPolicyDetail, RoleDetail, UserDetail } from "@aws-sdk/client-iam";
import type { CredentialReportRow, IamGroup, IamPolicy, IamRole, IamUser } from "../core/snapshot.js";
import { isUnknown, unknown, type OrUnknown, type Unknown } from "../core/unknown.js";
import {
  IAM_REGION, mapAttachedPolicies, mapEach, mapInlinePolicies, mapTags, requireIso, requireString, type Mapped,
} from "./map-iam-common.js";
import { parsePolicyDocument } from "./parse-policy-document.js";

/** The four entity lists of GetAccountAuthorizationDetails, all pages merged. */
export interface AuthorizationDetails {
  users: UserDetail[];
  groups: GroupDetail[];
  roles: RoleDetail[];
  policies: ManagedPolicyDetail[];
}

export interface CredentialReport {
  generatedAt: string;
  /** Rows by ARN, `<root_account>` included (its ARN is arn:aws:iam::ACCOUNT:root). */
  rows: ReadonlyMap<string, CredentialReportRow>;
}

/** Optional per-user attributes: `undefined` = not requested, Unknown = the call failed. */
export interface UserExtras {
  credentialReport?: OrUnknown<CredentialReport>;
  /** Virtual MFA serial numbers by user ARN. */
  virtualMfa?: OrUnknown<ReadonlyMap<string, string[]>>;
}

export function mapUsers(details: AuthorizationDetails, accountId: string, extras: UserExtras): Mapped<IamUser> {
  const groupArns = new Map(details.groups.map((g) => [g.GroupName ?? "", g.Arn ?? ""]));
  return mapEach(details.users, (u) => u.Arn, (u): IamUser => {
    const arn = requireString(u.Arn, "user");
    const user: IamUser = {
      type: "aws:iam:user", arn, accountId, region: IAM_REGION, name: requireString(u.UserName, arn),
      userId: requireString(u.UserId, arn), path: u.Path ?? "/", createdAt: requireIso(u.CreateDate, `${arn} CreateDate`),
      tags: mapTags(u.Tags),
      groups: (u.GroupList ?? []).map((name) => ({ name, arn: groupArns.get(name) ?? groupArnFallback(accountId, name) })),
      attachedPolicies: mapAttachedPolicies(u.AttachedManagedPolicies),
      inlinePolicies: mapInlinePolicies(u.UserPolicyList, arn),
      permissionsBoundary: u.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    };
    if (extras.credentialReport !== undefined) user.credentials = credentialsOf(arn, extras.credentialReport);
    if (extras.virtualMfa !== undefined) user.virtualMfaDevices = isUnknown(extras.virtualMfa) ? extras.virtualMfa : extras.virtualMfa.get(arn) ?? [];
    return user;
  });
}

// GroupList holds names only; a group outside the listed pages (never expected) still gets its
// canonical ARN so the user's membership is not lost.
function groupArnFallback(accountId: string, name: string): string {
  return `arn:aws:iam::${accountId}:group/${name}`;
}

export function credentialsOf(arn: string, report: OrUnknown<CredentialReport>): OrUnknown<CredentialReportRow> {
  if (isUnknown(report)) return report;
  // The report is regenerated at most every 4 hours: newer users are not in it yet.
  return report.rows.get(arn) ?? unknown(`NotInCredentialReport: no row for ${arn} in the credential report generated at ${report.generatedAt}`);
}

export function mapGroups(details: AuthorizationDetails, accountId: string): Mapped<IamGroup> {
  const members = new Map<string, string[]>();
  for (const user of details.users) {
    for (const group of user.GroupList ?? []) members.set(group, [...(members.get(group) ?? []), user.Arn ?? ""]);
  }
  return mapEach(details.groups, (g) => g.Arn, (g): IamGroup => {
    const arn = requireString(g.Arn, "group");
    const name = requireString(g.GroupName, arn);
    return {
      type: "aws:iam:group", arn, accountId, region: IAM_REGION, name, groupId: requireString(g.GroupId, arn),
      path: g.Path ?? "/", createdAt: requireIso(g.CreateDate, `${arn} CreateDate`),
      // IAM groups cannot carry tags (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html).
      tags: {},
      attachedPolicies: mapAttachedPolicies(g.AttachedManagedPolicies),
      inlinePolicies: mapInlinePolicies(g.GroupPolicyList, arn),
      members: members.get(name) ?? [],
    };
  });
}

export function mapRoles(details: AuthorizationDetails, accountId: string): Mapped<IamRole> {
  return mapEach(details.roles, (r) => r.Arn, (r): IamRole => {
    const arn = requireString(r.Arn, "role");
    const path = r.Path ?? "/";
    return {
      type: "aws:iam:role", arn, accountId, region: IAM_REGION, name: requireString(r.RoleName, arn),
      roleId: requireString(r.RoleId, arn), path, createdAt: requireIso(r.CreateDate, `${arn} CreateDate`),
      tags: mapTags(r.Tags),
      trustPolicy: parsePolicyDocument(requireString(r.AssumeRolePolicyDocument, `${arn} trust policy`), `${arn} trust policy`),
      attachedPolicies: mapAttachedPolicies(r.AttachedManagedPolicies),
      inlinePolicies: mapInlinePolicies(r.RolePolicyList, arn),
      permissionsBoundary: r.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
      lastUsed: r.RoleLastUsed?.LastUsedDate
        ? { date: requireIso(r.RoleLastUsed.LastUsedDate, `${arn} RoleLastUsed`), region: r.RoleLastUsed.Region ?? null }
        : null,
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html
      serviceLinked: path.startsWith("/aws-service-role/"),
    };
  });
}

const AWS_MANAGED_ARN = /^arn:aws[a-z-]*:iam::aws:policy\//;

/** Customer managed policies all; AWS managed ones only when attached (the other ~1,300 cannot matter). */
export function mapPolicies(details: AuthorizationDetails, accountId: string): Mapped<IamPolicy> {
  const relevant = details.policies.filter((p) => !AWS_MANAGED_ARN.test(p.Arn ?? "") || (p.AttachmentCount ?? 0) > 0);
  return mapEach(relevant, (p) => p.Arn, (p): IamPolicy => {
    const arn = requireString(p.Arn, "policy");
    const defaultVersionId = requireString(p.DefaultVersionId, `${arn} DefaultVersionId`);
    return {
      type: "aws:iam:policy", arn, accountId, region: IAM_REGION, name: requireString(p.PolicyName, arn),
      policyId: requireString(p.PolicyId, arn), path: p.Path ?? "/", awsManaged: AWS_MANAGED_ARN.test(arn),
      attachmentCount: p.AttachmentCount ?? 0, isAttachable: p.IsAttachable === true, defaultVersionId,
      document: defaultDocument(p, defaultVersionId),
      createdAt: requireIso(p.CreateDate, `${arn} CreateDate`), updatedAt: requireIso(p.UpdateDate ?? p.CreateDate, `${arn} UpdateDate`),
    };
  });
}

function defaultDocument(policy: ManagedPolicyDetail, versionId: string): OrUnknown<IamPolicy["document"]> {
  const version = (policy.PolicyVersionList ?? []).find((v) => v.VersionId === versionId);
  if (version?.Document === undefined) return unknown(`ResponseFormatError: ${policy.Arn}: default version ${versionId} not in the response`);
  try {
    return parsePolicyDocument(version.Document, `${policy.Arn} ${versionId}`);
  } catch (error) {
    return unknown(`ResponseFormatError: ${(error as Error).message}`) satisfies Unknown;
  }
}
