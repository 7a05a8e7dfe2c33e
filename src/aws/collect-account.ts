import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { LimitFunction } from "p-limit";
import { RESOURCE_TYPES, type AccountCoverage, type Resource, type ResourceType } from "../core/snapshot.js";
import { apiCallsRecord } from "./api-calls.js";
import { createAccountScan, recordFailure, type AccountScan } from "./account-scan.js";
import type { AccountClients } from "./clients.js";
import { collectIam } from "./collect-iam.js";
import { collectS3, type S3Scope } from "./collect-s3.js";
import type { CollectionPlan } from "./collection-plan.js";
import { AccountMismatchError } from "./errors.js";
import type { PollTiming } from "./fetch-credential-report.js";

export interface AccountTarget {
  /** The configured id; absent when no account is configured (the credentials' own account is scanned). */
  expectedId?: string;
  name?: string;
  regions?: readonly string[];
}

export interface AccountRun {
  target: AccountTarget;
  clients: AccountClients;
  /** The map the clients' middleware counts calls into. */
  apiCalls: Map<string, number>;
  plan: CollectionPlan;
  scope: Omit<S3Scope, "regions">;
  timing: PollTiming;
  limit: LimitFunction;
  now(): Date;
}

export interface AccountResult {
  coverage: AccountCoverage;
  resources: Resource[];
}

/** GetCallerIdentity first: it proves the credentials work and reach the configured account. */
async function verifyAccount(run: AccountRun): Promise<string> {
  const identity = await run.limit(() => run.clients.sts.send(new GetCallerIdentityCommand({})));
  const actual = identity.Account ?? "";
  if (run.target.expectedId !== undefined && actual !== run.target.expectedId) throw new AccountMismatchError(run.target.expectedId, actual);
  return actual;
}

/** One account, IAM and S3 concurrently. Never throws: a failed account is reported in its coverage. */
export async function collectAccount(run: AccountRun): Promise<AccountResult> {
  const startedAt = run.now().toISOString();
  const apiCalls = run.apiCalls;
  const preflight = createAccountScan(run.target.expectedId ?? "unknown", run.limit, apiCalls);
  let scan: AccountScan;
  try {
    scan = createAccountScan(await verifyAccount(run), run.limit, apiCalls);
  } catch (error) {
    recordFailure(preflight, { service: "sts", operation: "GetCallerIdentity", region: run.scope.homeRegion }, error);
    return { coverage: coverageOf(run, preflight, "failed", startedAt, [], []), resources: [] };
  }
  const scope: S3Scope = { ...run.scope, ...(run.target.regions !== undefined ? { regions: run.target.regions } : {}) };
  const [iam, s3] = await Promise.all([
    collectIam(scan, run.clients.iam, run.plan.iam, run.timing),
    collectS3(scan, run.clients, run.plan.s3, scope),
  ]);
  const resources = [...iam.resources, ...s3.resources];
  const complete = [...iam.complete, ...s3.complete];
  return { coverage: coverageOf(run, scan, scan.errors.length > 0 ? "partial" : "ok", startedAt, resources, complete), resources };
}

/** The configured regions, else the regions the collected resources live in. */
function regionsOf(run: AccountRun, resources: readonly Resource[]): string[] {
  if (run.target.regions !== undefined) return [...run.target.regions];
  const seen = new Set(resources.map((r) => r.region).filter((region) => region !== "global"));
  return [...new Set([run.scope.homeRegion, ...[...seen].sort()])];
}

/**
 * `resourceTypes`: the inventories this collection holds completely (always present for a collected
 * account, in the schema's order: deterministic snapshots), the only ones where a missing resource is deleted.
 */
function coverageOf(
  run: AccountRun, scan: AccountScan, status: AccountCoverage["status"], startedAt: string, resources: readonly Resource[], complete: readonly ResourceType[],
): AccountCoverage {
  const coverage: AccountCoverage = {
    accountId: scan.accountId,
    regions: regionsOf(run, resources),
    status, startedAt, finishedAt: run.now().toISOString(),
    apiCalls: apiCallsRecord(scan.apiCalls),
    errors: scan.errors,
    resourceTypes: RESOURCE_TYPES.filter((type) => complete.includes(type)),
  };
  if (run.target.name !== undefined) coverage.name = run.target.name;
  return coverage;
}
