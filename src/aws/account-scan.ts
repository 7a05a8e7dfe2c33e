import type { LimitFunction } from "p-limit";
import type { CollectionError } from "../core/snapshot.js";
import type { Unknown } from "../core/unknown.js";
import {
  BucketGoneError, collectionError, describeAwsError, isBucketGone, isNotConfigured, unknownFrom, type CallSite,
} from "./errors.js";

/** Per-account state of one collection: the concurrency limit, API call counts and coverage errors. */
export interface AccountScan {
  accountId: string;
  limit: LimitFunction;
  apiCalls: Map<string, number>;
  errors: CollectionError[];
}

export function createAccountScan(accountId: string, limit: LimitFunction, apiCalls = new Map<string, number>()): AccountScan {
  return { accountId, limit, apiCalls, errors: [] };
}

/** Records a failed call and returns the `{ $unknown }` that replaces its attribute. */
export function recordFailure(scan: AccountScan, site: CallSite, error: unknown): Unknown {
  const failure = describeAwsError(error);
  scan.errors.push(collectionError(site, failure));
  return unknownFrom(failure);
}

/**
 * Runs a fetch (whose AWS calls take the account's concurrency limit themselves, so that paginated
 * fetches never hold a slot while waiting for one) and classifies its outcome:
 * the value, `notConfigured` for the operation's "not configured" codes, or `{ $unknown }` (recorded).
 * NoSuchBucket is rethrown as BucketGoneError so the caller drops the bucket.
 */
export async function settle<T, N = never>(scan: AccountScan, site: CallSite, call: () => Promise<T>, notConfigured?: N): Promise<T | N | Unknown> {
  try {
    return await call();
  } catch (error) {
    if (isNotConfigured(site.operation, error)) return notConfigured as N;
    if (site.resource !== undefined && isBucketGone(error)) throw new BucketGoneError(site.resource);
    return recordFailure(scan, site, error);
  }
}
