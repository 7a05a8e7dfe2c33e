import { OrganizationsClient, paginateListAccounts, type Account } from "@aws-sdk/client-organizations";
import type { AwsCredentialIdentityProvider, RequestHandler } from "@smithy/types";
import type { AccountConfig } from "../config.js";
import { roleArnIn } from "./account-roles.js";
import { countApiCalls } from "./api-calls.js";
import { describeAwsError } from "./errors.js";

export interface DiscoverAccountsOptions {
  /** Credentials of the management account or of a delegated administrator for Organizations. */
  credentials: AwsCredentialIdentityProvider;
  /** Organizations is a global service: the SDK sends every commercial region to its us-east-1 endpoint. */
  homeRegion: string;
  /** The role Posture assumes in each member account ("PostureScanner"); a path is allowed ("security/PostureScanner"). */
  roleName: string;
  externalId?: string;
  regions?: string[];
  /** The fixer role in each member account (one-click fixes); absent: discovered accounts get none. */
  fixerRoleName?: string;
  fixerExternalId?: string;
  /** Account ids left out (e.g. a sandbox), besides non-active accounts. */
  exclude?: readonly string[];
  maxAttempts: number;
  endpointUrl?: string;
  requestHandler?: RequestHandler<unknown, unknown> | Record<string, unknown>;
  apiCalls?: Map<string, number>;
}

export class OrganizationsDiscoveryError extends Error {
  constructor(readonly code: "POSTURE_ORGANIZATIONS_DENIED" | "POSTURE_ORGANIZATIONS_NOT_IN_USE" | "POSTURE_ORGANIZATIONS_FAILED", message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "OrganizationsDiscoveryError";
  }
}

/**
 * The organisation's ACTIVE accounts, each with the role to assume in it, from Organizations
 * ListAccounts (paginated; only the management account or a delegated administrator may call it).
 * Suspended, closed and pending accounts are left out: a role cannot be assumed in them.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html
 */
export async function discoverAccounts(options: DiscoverAccountsOptions): Promise<AccountConfig[]> {
  const client = new OrganizationsClient({
    region: options.homeRegion, credentials: options.credentials, maxAttempts: options.maxAttempts, retryMode: "adaptive",
    ...(options.endpointUrl !== undefined ? { endpoint: options.endpointUrl } : {}),
    ...(options.requestHandler !== undefined ? { requestHandler: options.requestHandler } : {}),
  });
  if (options.apiCalls) client.middlewareStack.use(countApiCalls("organizations", options.apiCalls));
  try {
    const excluded = new Set(options.exclude ?? []);
    const accounts: AccountConfig[] = [];
    for await (const page of paginateListAccounts({ client }, {})) {
      for (const account of page.Accounts ?? []) {
        if (account.Id === undefined || excluded.has(account.Id) || !isActive(account)) continue;
        accounts.push(accountConfigOf(account as Account & { Id: string }, options));
      }
    }
    return accounts.sort((a, b) => a.id.localeCompare(b.id));
  } catch (error) {
    throw discoveryErrorOf(error);
  } finally {
    client.destroy();
  }
}

/** `State` replaces `Status`, which AWS retires on 9 September 2026; either may be present until then. */
function isActive(account: Account): boolean {
  return (account.State ?? account.Status) === "ACTIVE";
}

function accountConfigOf(account: Account & { Id: string }, options: DiscoverAccountsOptions): AccountConfig {
  const partition = partitionOf(account.Arn);
  return {
    id: account.Id,
    ...(account.Name ? { name: account.Name } : {}),
    roleArn: roleArnIn(partition, account.Id, options.roleName),
    ...(options.externalId !== undefined ? { externalId: options.externalId } : {}),
    ...(options.regions !== undefined ? { regions: options.regions } : {}),
    ...(options.fixerRoleName !== undefined ? { fixerRoleArn: roleArnIn(partition, account.Id, options.fixerRoleName) } : {}),
    ...(options.fixerRoleName !== undefined && options.fixerExternalId !== undefined ? { fixerExternalId: options.fixerExternalId } : {}),
  };
}

/**
 * Explicit accounts win over discovered ones with the same id (their name, role, regions and fixer role
 * are kept); discovered accounts follow in id order.
 */
export function mergeAccounts(explicit: readonly AccountConfig[], discovered: readonly AccountConfig[]): AccountConfig[] {
  const configured = new Set(explicit.map((account) => account.id));
  return [...explicit, ...discovered.filter((account) => !configured.has(account.id))];
}

/** "arn:aws-us-gov:organizations::…" → "aws-us-gov"; the account ARN names the partition its roles live in. */
function partitionOf(arn: string | undefined): string {
  return /^arn:(aws[a-z-]*):/.exec(arn ?? "")?.[1] ?? "aws";
}

function discoveryErrorOf(error: unknown): OrganizationsDiscoveryError {
  const { code, message } = describeAwsError(error);
  if (code === "AccessDeniedException") {
    return new OrganizationsDiscoveryError("POSTURE_ORGANIZATIONS_DENIED",
      `AWS Organizations refused ListAccounts (${message}). Discovery needs credentials of the organization's management account or of a `
      + "delegated administrator, allowed organizations:ListAccounts; or list the accounts in posture.config.yml under accounts instead.", { cause: error });
  }
  if (code === "AWSOrganizationsNotInUseException") {
    return new OrganizationsDiscoveryError("POSTURE_ORGANIZATIONS_NOT_IN_USE",
      "These credentials belong to an account that is not in an AWS Organization, so there are no accounts to discover: "
      + "list the accounts in posture.config.yml under accounts (id and roleArn), or run Posture from the management account.", { cause: error });
  }
  return new OrganizationsDiscoveryError("POSTURE_ORGANIZATIONS_FAILED", `Listing the organization's accounts failed: ${code}: ${message}`, { cause: error });
}
