import type { IAMClient } from "@aws-sdk/client-iam";
import type { Resource, ResourceType } from "../core/snapshot.js";
import { isUnknown, type OrUnknown } from "../core/unknown.js";
import { recordFailure, settle, type AccountScan } from "./account-scan.js";
import type { IamPlan } from "./collection-plan.js";
import { fetchCredentialReport, type PollTiming } from "./fetch-credential-report.js";
import {
  fetchAccountSummary, fetchAuthorizationDetails, fetchPasswordPolicy, fetchServerCertificates, fetchVirtualMfaDevices,
} from "./fetch-iam.js";
import {
  mapIamAccount, mapPasswordPolicy, mapRootUser, mapServerCertificates, mapVirtualMfaByUser, type AccountIamData,
} from "./map-iam-account.js";
import type { Mapped } from "./map-iam-common.js";
import { mapGroups, mapPolicies, mapRoles, mapUsers } from "./map-iam-principals.js";

const site = (operation: string) => ({ service: "iam", operation });

async function optional<T>(wanted: boolean, fetch: () => Promise<OrUnknown<T>>): Promise<OrUnknown<T> | undefined> {
  return wanted ? fetch() : undefined;
}

/** Fetches what the plan asks for, concurrently; each failure becomes Unknown and a coverage error. */
async function fetchAccountIamData(scan: AccountScan, iam: IAMClient, plan: IamPlan, timing: PollTiming): Promise<AccountIamData> {
  const [authorizationDetails, credentialReport, virtualMfaDevices, accountSummary, passwordPolicy] = await Promise.all([
    optional(plan.authorizationDetails, () => settle(scan, site("GetAccountAuthorizationDetails"), () => fetchAuthorizationDetails(scan, iam))),
    optional(plan.credentialReport, () => settle(scan, site("GetCredentialReport"), () => fetchCredentialReport(scan, iam, timing))),
    optional(plan.virtualMfaDevices, () => settle(scan, site("ListVirtualMFADevices"), () => fetchVirtualMfaDevices(scan, iam))),
    optional(plan.accountSummary, () => settle(scan, site("GetAccountSummary"), () => fetchAccountSummary(scan, iam))),
    // NoSuchEntity: the account has no password policy, a real "not configured".
    optional(plan.passwordPolicy, () => settle(scan, site("GetAccountPasswordPolicy"), () => fetchPasswordPolicy(scan, iam), null)),
  ]);
  return { authorizationDetails, credentialReport, virtualMfaDevices, accountSummary, passwordPolicy };
}

/** What one account's IAM collection emitted, and which types it listed completely. */
export interface IamCollection {
  resources: Resource[];
  /** Types whose inventory is complete: listed by a call that succeeded, every entry mapped. */
  complete: ResourceType[];
}

/**
 * Keeps the mapped resources (recording each problem); `complete` learns the type when nothing of it
 * was dropped: an entry that failed to map is missing, so its type's inventory cannot reveal deletions.
 */
function keep<T extends Resource>(scan: AccountScan, operation: string, mapped: Mapped<T>, type: T["type"], complete: ResourceType[]): T[] {
  for (const problem of mapped.problems) recordFailure(scan, { ...site(operation), resource: problem.resource }, Object.assign(new Error(problem.message), { name: "ResponseFormatError" }));
  if (mapped.problems.length === 0) complete.push(type);
  return mapped.resources;
}

function mapPrincipals(scan: AccountScan, data: AccountIamData, complete: ResourceType[]): Resource[] {
  const details = data.authorizationDetails;
  if (details === undefined || isUnknown(details)) return [];
  const id = scan.accountId;
  const virtualMfa = data.virtualMfaDevices === undefined || isUnknown(data.virtualMfaDevices)
    ? data.virtualMfaDevices
    : mapVirtualMfaByUser(data.virtualMfaDevices);
  const op = "GetAccountAuthorizationDetails";
  return [
    ...keep(scan, op, mapUsers(details, id, { credentialReport: data.credentialReport, virtualMfa }), "aws:iam:user", complete),
    ...keep(scan, op, mapGroups(details, id), "aws:iam:group", complete),
    ...keep(scan, op, mapRoles(details, id), "aws:iam:role", complete),
    ...keep(scan, op, mapPolicies(details, id), "aws:iam:policy", complete),
  ];
}

async function collectServerCertificates(scan: AccountScan, iam: IAMClient, complete: ResourceType[]): Promise<Resource[]> {
  const list = await settle(scan, site("ListServerCertificates"), () => fetchServerCertificates(scan, iam));
  return isUnknown(list) ? [] : keep(scan, "ListServerCertificates", mapServerCertificates(list, scan.accountId), "aws:iam:server-certificate", complete);
}

/**
 * IAM resources of one account in O(pages): GAAD, the credential report and a few account calls.
 * Complete inventories: users, groups, roles and policies when GetAccountAuthorizationDetails succeeded
 * (it lists all four at once), server certificates when ListServerCertificates did, and the account-level
 * singletons (root user, password policy, IAM account) whenever they are emitted.
 */
export async function collectIam(scan: AccountScan, iam: IAMClient, plan: IamPlan, timing: PollTiming): Promise<IamCollection> {
  const complete: ResourceType[] = [];
  const [data, certificates] = await Promise.all([
    fetchAccountIamData(scan, iam, plan, timing),
    plan.serverCertificates ? collectServerCertificates(scan, iam, complete) : Promise.resolve([]),
  ]);
  const resources = mapPrincipals(scan, data, complete);
  const single = (resource: Resource) => {
    resources.push(resource);
    complete.push(resource.type);
  };
  if (plan.rootUser) single(mapRootUser(scan.accountId, data));
  if (data.passwordPolicy !== undefined) single(mapPasswordPolicy(scan.accountId, data.passwordPolicy));
  if (plan.iamAccount) single(mapIamAccount(scan.accountId, data));
  return { resources: [...resources, ...certificates], complete };
}
