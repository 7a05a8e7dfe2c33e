import type { AwsCredentialIdentityProvider, RequestHandler } from "@smithy/types";
import pLimit from "p-limit";
import type { CollectRequest, Collector } from "../app/ports.js";
import type { AccountConfig, Config } from "../config.js";
import { DISCOVERY_COVERAGE_ID } from "../core/digest.js";
import { SNAPSHOT_SCHEMA_VERSION, type AccountCoverage, type Snapshot } from "../core/snapshot.js";
import { apiCallsRecord } from "./api-calls.js";
import { createAccountClients } from "./clients.js";
import { collectAccount, type AccountResult, type AccountTarget } from "./collect-account.js";
import { planCollection } from "./collection-plan.js";
import { assumedRole, credentialsForAccount } from "./credentials.js";
import { describeAwsError } from "./errors.js";
import { discoverAccounts, mergeAccounts, OrganizationsDiscoveryError } from "./organizations.js";

export interface AwsCollectorOptions {
  /** Base credentials; default: the SDK's default provider chain. */
  credentials?: AwsCredentialIdentityProvider;
  /** Injected for tests (credential report polling). */
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  /** First delay between credential report polls (default 500 ms, doubling up to 8 s). */
  credentialReportPollMs?: number;
  requestHandler?: RequestHandler<unknown, unknown> | Record<string, unknown>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The live AWS adapter of the Collector port: every configured account, plus with `organizations.enabled`
 * the organization's ACTIVE accounts listed afresh by each collection (or the credentials' own account
 * when neither is configured).
 */
export function createAwsCollector(config: Config, options: AwsCollectorOptions = {}): Collector {
  const now = options.now ?? (() => new Date());
  // Without accounts or discovery the credentials' own account is scanned: no list, so nothing is ever retired.
  const listsEveryAccount = config.accounts.length > 0 || config.organizations.enabled;
  return {
    ...(listsEveryAccount ? { accountScope: { configured: config.accounts.map((account) => account.id) } } : {}),
    async collect(request: CollectRequest): Promise<Snapshot> {
      const collectedAt = now().toISOString();
      const { accounts, discoveryFailure } = await accountsToScan(config, options, request);
      const targets = targetsOf(config, accounts, request);
      const accountLimit = pLimit(config.scan.accountConcurrency);
      const results = await Promise.all(targets.map(({ target, account }) => accountLimit(() => collectOne(config, options, request, target, account))));
      const accepted = results.filter((r) => request.accounts === undefined || accounts.length > 0 || request.accounts.includes(r.coverage.accountId));
      return {
        schemaVersion: SNAPSHOT_SCHEMA_VERSION,
        collectedAt,
        accounts: [...(discoveryFailure ? [discoveryFailure] : []), ...accepted.map((r) => r.coverage)],
        resources: accepted.flatMap((r) => r.resources),
      };
    },
  };
}

interface AccountsToScan {
  accounts: AccountConfig[];
  discoveryFailure?: AccountCoverage;
}

/**
 * The configured accounts, merged with the discovered ones when discovery is on. A failed discovery
 * keeps the configured accounts scanning and reports itself; it never empties the inventory of the
 * accounts discovered before (they are absent from this snapshot, so nothing of theirs is resolved).
 */
async function accountsToScan(config: Config, options: AwsCollectorOptions, request: CollectRequest): Promise<AccountsToScan> {
  const organizations = config.organizations;
  if (!organizations.enabled) return { accounts: config.accounts };
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const apiCalls = new Map<string, number>();
  const settings = {
    base: options.credentials, homeRegion: config.homeRegion, maxAttempts: config.scan.maxAttempts,
    ...(config.awsEndpointUrl !== undefined ? { endpointUrl: config.awsEndpointUrl } : {}),
  };
  const credentials = organizations.managementRoleArn === undefined
    ? credentialsForAccount(undefined, settings)
    : assumedRole({ roleArn: organizations.managementRoleArn, externalId: organizations.managementExternalId, sessionName: "posture-discovery" }, settings);
  try {
    const discovered = await discoverAccounts({
      credentials, homeRegion: config.homeRegion, roleName: organizations.roleName, exclude: organizations.exclude, maxAttempts: config.scan.maxAttempts, apiCalls,
      ...(organizations.externalId !== undefined ? { externalId: organizations.externalId } : {}),
      ...((organizations.regions ?? config.regions) !== undefined ? { regions: organizations.regions ?? config.regions } : {}),
      ...(organizations.fixerRoleName !== undefined ? { fixerRoleName: organizations.fixerRoleName } : {}),
      ...(organizations.fixerExternalId !== undefined ? { fixerExternalId: organizations.fixerExternalId } : {}),
      ...(config.awsEndpointUrl !== undefined ? { endpointUrl: config.awsEndpointUrl } : {}),
      ...(options.requestHandler !== undefined ? { requestHandler: options.requestHandler } : {}),
    });
    request.onProgress?.(`AWS Organizations: ${discovered.length} active account(s) discovered`);
    return { accounts: mergeAccounts(config.accounts, discovered) };
  } catch (error) {
    const code = error instanceof OrganizationsDiscoveryError ? error.code : describeAwsError(error).code;
    const message = error instanceof Error ? error.message : String(error);
    request.onProgress?.(`AWS Organizations: discovery failed (${code}); scanning the configured accounts only`);
    const discoveryFailure: AccountCoverage = {
      accountId: DISCOVERY_COVERAGE_ID, name: "AWS Organizations discovery", regions: [config.homeRegion], status: "failed",
      startedAt, finishedAt: now().toISOString(), apiCalls: apiCallsRecord(apiCalls),
      errors: [{ service: "organizations", operation: "ListAccounts", region: config.homeRegion, code, message }],
      resourceTypes: [],
    };
    return { accounts: config.accounts, discoveryFailure };
  }
}

interface Target {
  target: AccountTarget;
  account?: AccountConfig;
}

function targetsOf(config: Config, accounts: readonly AccountConfig[], request: CollectRequest): Target[] {
  const regions = config.regions;
  if (accounts.length === 0) return config.organizations.enabled ? [] : [{ target: regions ? { regions } : {} }];
  return accounts
    .filter((account) => request.accounts === undefined || request.accounts.includes(account.id))
    .map((account) => {
      const target: AccountTarget = { expectedId: account.id };
      if (account.name !== undefined) target.name = account.name;
      const accountRegions = account.regions ?? regions;
      if (accountRegions !== undefined) target.regions = accountRegions;
      return { target, account };
    });
}

async function collectOne(config: Config, options: AwsCollectorOptions, request: CollectRequest, target: AccountTarget, account?: AccountConfig): Promise<AccountResult> {
  const now = options.now ?? (() => new Date());
  const endpoint = config.awsEndpointUrl !== undefined ? { endpointUrl: config.awsEndpointUrl } : {};
  const credentials = credentialsForAccount(account, { base: options.credentials, homeRegion: config.homeRegion, maxAttempts: config.scan.maxAttempts, ...endpoint });
  const apiCalls = new Map<string, number>();
  const clients = createAccountClients({
    credentials, homeRegion: config.homeRegion, maxAttempts: config.scan.maxAttempts, ...endpoint,
    ...(options.requestHandler !== undefined ? { requestHandler: options.requestHandler } : {}),
  }, apiCalls);
  try {
    return await collectAccount({
      target, clients, apiCalls, now,
      plan: planCollection(request.reads),
      scope: { homeRegion: config.homeRegion, ...(request.onProgress ? { onProgress: request.onProgress } : {}) },
      timing: {
        sleep: options.sleep ?? realSleep,
        now: () => now().getTime(),
        timeoutMs: config.scan.credentialReportTimeoutSeconds * 1000,
        initialDelayMs: options.credentialReportPollMs ?? 500,
      },
      limit: pLimit(config.scan.concurrency),
    });
  } finally {
    clients.destroy();
  }
}
