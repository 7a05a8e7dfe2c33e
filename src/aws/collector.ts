import type { AwsCredentialIdentityProvider, RequestHandler } from "@smithy/types";
import pLimit from "p-limit";
import type { CollectRequest, Collector } from "../app/ports.js";
import type { AccountConfig, Config } from "../config.js";
import { SNAPSHOT_SCHEMA_VERSION, type Snapshot } from "../core/snapshot.js";
import { createAccountClients } from "./clients.js";
import { collectAccount, type AccountResult, type AccountTarget } from "./collect-account.js";
import { planCollection } from "./collection-plan.js";
import { credentialsForAccount } from "./credentials.js";

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

/** The live AWS adapter of the Collector port: every configured account (or the credentials' own). */
export function createAwsCollector(config: Config, options: AwsCollectorOptions = {}): Collector {
  const now = options.now ?? (() => new Date());
  return {
    async collect(request: CollectRequest): Promise<Snapshot> {
      const collectedAt = now().toISOString();
      const targets = targetsOf(config, request);
      const accountLimit = pLimit(config.scan.accountConcurrency);
      const results = await Promise.all(targets.map(({ target, account }) => accountLimit(() => collectOne(config, options, request, target, account))));
      const accepted = results.filter((r) => request.accounts === undefined || config.accounts.length > 0 || request.accounts.includes(r.coverage.accountId));
      return {
        schemaVersion: SNAPSHOT_SCHEMA_VERSION,
        collectedAt,
        accounts: accepted.map((r) => r.coverage),
        resources: accepted.flatMap((r) => r.resources),
      };
    },
  };
}

interface Target {
  target: AccountTarget;
  account?: AccountConfig;
}

function targetsOf(config: Config, request: CollectRequest): Target[] {
  const regions = config.regions;
  if (config.accounts.length === 0) return [{ target: regions ? { regions } : {} }];
  return config.accounts
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
