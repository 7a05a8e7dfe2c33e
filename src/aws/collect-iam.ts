import type { IAMClient } from "@aws-sdk/client-iam";
import type { Resource } from "../core/snapshot.js";
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

function keep<T extends Resource>(scan: AccountScan, operation: string, mapped: Mapped<T>): T[] {
  for (const problem of mapped.problems) recordFailure(scan, { ...site(operation), resource: problem.resource }, Object.assign(new Error(problem.message), { name: "ResponseFormatError" }));
  return mapped.resources;
}

function mapPrincipals(scan: AccountScan, data: AccountIamData): Resource[] {
  const details = data.authorizationDetails;
  if (details === undefined || isUnknown(details)) return [];
  const id = scan.accountId;
  const virtualMfa = data.virtualMfaDevices === undefined || isUnknown(data.virtualMfaDevices)
    ? data.virtualMfaDevices
    : mapVirtualMfaByUser(data.virtualMfaDevices);
  const op = "GetAccountAuthorizationDetails";
  return [
    ...keep(scan, op, mapUsers(details, id, { credentialReport: data.credentialReport, virtualMfa })),
    ...keep(scan, op, mapGroups(details, id)),
    ...keep(scan, op, mapRoles(details, id)),
    ...keep(scan, op, mapPolicies(details, id)),
  ];
}

async function collectServerCertificates(scan: AccountScan, iam: IAMClient): Promise<Resource[]> {
  const list = await settle(scan, site("ListServerCertificates"), () => fetchServerCertificates(scan, iam));
  return isUnknown(list) ? [] : keep(scan, "ListServerCertificates", mapServerCertificates(list, scan.accountId));
}

/** IAM resources of one account in O(pages): GAAD, the credential report and a few account calls. */
export async function collectIam(scan: AccountScan, iam: IAMClient, plan: IamPlan, timing: PollTiming): Promise<Resource[]> {
  const [data, certificates] = await Promise.all([
    fetchAccountIamData(scan, iam, plan, timing),
    plan.serverCertificates ? collectServerCertificates(scan, iam) : Promise.resolve([]),
  ]);
  const resources = mapPrincipals(scan, data);
  if (plan.rootUser) resources.push(mapRootUser(scan.accountId, data));
  if (data.passwordPolicy !== undefined) resources.push(mapPasswordPolicy(scan.accountId, data.passwordPolicy));
  if (plan.iamAccount) resources.push(mapIamAccount(scan.accountId, data));
  return [...resources, ...certificates];
}
