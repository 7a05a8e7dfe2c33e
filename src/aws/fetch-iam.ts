import {
  GetAccountAuthorizationDetailsCommand, GetAccountPasswordPolicyCommand, GetAccountSummaryCommand,
  ListServerCertificatesCommand, ListVirtualMFADevicesCommand,
  type IAMClient, type PasswordPolicy, type ServerCertificateMetadata, type VirtualMFADevice,
} from "@aws-sdk/client-iam";
import type { AccountScan } from "./account-scan.js";
import { AwsResponseFormatError } from "./errors.js";
import type { AuthorizationDetails } from "./map-iam-principals.js";

/** All five entity filters: users, groups, roles, customer and AWS managed policies, in O(pages). */
export const AUTHORIZATION_DETAILS_FILTER = ["User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy"] as const;

/** IAM lists paginate with Marker/IsTruncated; this follows every page. */
async function fetchAllPages<P extends { IsTruncated?: boolean; Marker?: string }>(
  scan: AccountScan, fetchPage: (marker: string | undefined) => Promise<P>,
): Promise<P[]> {
  const pages: P[] = [];
  let marker: string | undefined;
  do {
    const page = await scan.limit(() => fetchPage(marker));
    pages.push(page);
    marker = page.IsTruncated === true ? page.Marker : undefined;
  } while (marker !== undefined);
  return pages;
}

export async function fetchAuthorizationDetails(scan: AccountScan, iam: IAMClient): Promise<AuthorizationDetails> {
  const pages = await fetchAllPages(scan, (Marker) => iam.send(new GetAccountAuthorizationDetailsCommand({
    Filter: [...AUTHORIZATION_DETAILS_FILTER], MaxItems: 1000, Marker,
  })));
  return {
    users: pages.flatMap((p) => p.UserDetailList ?? []),
    groups: pages.flatMap((p) => p.GroupDetailList ?? []),
    roles: pages.flatMap((p) => p.RoleDetailList ?? []),
    policies: pages.flatMap((p) => p.Policies ?? []),
  };
}

export async function fetchVirtualMfaDevices(scan: AccountScan, iam: IAMClient): Promise<VirtualMFADevice[]> {
  const pages = await fetchAllPages(scan, (Marker) => iam.send(new ListVirtualMFADevicesCommand({ MaxItems: 1000, Marker })));
  return pages.flatMap((p) => p.VirtualMFADevices ?? []);
}

export async function fetchServerCertificates(scan: AccountScan, iam: IAMClient): Promise<ServerCertificateMetadata[]> {
  const pages = await fetchAllPages(scan, (Marker) => iam.send(new ListServerCertificatesCommand({ MaxItems: 1000, Marker })));
  return pages.flatMap((p) => p.ServerCertificateMetadataList ?? []);
}

export async function fetchAccountSummary(scan: AccountScan, iam: IAMClient): Promise<Record<string, number>> {
  const output = await scan.limit(() => iam.send(new GetAccountSummaryCommand({})));
  return Object.fromEntries(Object.entries(output.SummaryMap ?? {}).filter((e): e is [string, number] => typeof e[1] === "number"));
}

export async function fetchPasswordPolicy(scan: AccountScan, iam: IAMClient): Promise<PasswordPolicy> {
  const output = await scan.limit(() => iam.send(new GetAccountPasswordPolicyCommand({})));
  if (output.PasswordPolicy === undefined) throw new AwsResponseFormatError("GetAccountPasswordPolicy returned no PasswordPolicy");
  return output.PasswordPolicy;
}
