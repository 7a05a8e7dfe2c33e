import { GetBucketPolicyCommand } from "@aws-sdk/client-s3";
import pLimit from "p-limit";
import { FixAwsError, type FixTarget } from "../../app/fix-ports.js";
import type { Bucket, S3Account } from "../../core/snapshot.js";
import { createAccountScan, settle } from "../account-scan.js";
import type { AccountClients } from "../clients.js";
import { BUCKET_ATTRIBUTE_OPERATIONS, BUCKET_ATTRIBUTES, type BucketAttribute } from "../collection-plan.js";
import { describeAwsError, isNotConfigured } from "../errors.js";
import { BUCKET_ATTRIBUTE_FETCHERS, fetchAccountPublicAccessBlock } from "../fetch-s3.js";

/** Runs one read for a fix; any failure but "not configured" is a FixAwsError (the preview cannot be trusted). */
export async function readOrFail<T, N>(operation: string, call: () => Promise<T>, notConfigured: N): Promise<T | N> {
  try {
    return await call();
  } catch (error) {
    if (isNotConfigured(operation, error)) return notConfigured;
    throw new FixAwsError(operation, describeAwsError(error), { cause: error });
  }
}

type Value<K extends BucketAttribute> = Exclude<NonNullable<Bucket[K]>, { $unknown: string }> | null;

/** One bucket attribute, read the way the collector reads it; `null` when S3 says it is not configured. */
export async function readBucketAttribute<K extends BucketAttribute>(clients: AccountClients, target: FixTarget, attribute: K): Promise<Value<K>> {
  const { fetch, notConfigured } = BUCKET_ATTRIBUTE_FETCHERS[attribute];
  const value = await readOrFail(BUCKET_ATTRIBUTE_OPERATIONS[attribute], () => fetch(clients.s3(target.region), target.name), notConfigured ?? null);
  return value as Value<K>;
}

/** The policy text exactly as S3 returns it (undo puts these very bytes back); `null`: no policy. */
export async function readBucketPolicyText(clients: AccountClients, target: FixTarget): Promise<string | null> {
  const output = await readOrFail("GetBucketPolicy", () => clients.s3(target.region).send(new GetBucketPolicyCommand({ Bucket: target.name })), null);
  return output?.Policy ?? null;
}

/** What verification reads: the bucket itself, rebuilt directly. */
const BUCKET_READABLE = new Set<string>([...BUCKET_ATTRIBUTES, "accountPublicAccessBlock"]);

/**
 * Re-collects one bucket with the attributes a rule reads, with the collector's own fetchers and
 * classification (value, null for not configured, `{ $unknown }` for a failure). NoSuchBucket throws.
 */
export async function collectBucketForRule(clients: AccountClients, target: FixTarget, reads: readonly string[]): Promise<Bucket> {
  const unreadable = reads.filter((attribute) => !BUCKET_READABLE.has(attribute));
  if (unreadable.length > 0) throw new Error(`verification cannot re-read bucket attribute(s) ${unreadable.join(", ")}`);
  const scan = createAccountScan(target.accountId, pLimit(4));
  const bucket: Bucket = { type: "aws:s3:bucket", arn: target.arn, accountId: target.accountId, region: target.region, name: target.name };
  const attributes = BUCKET_ATTRIBUTES.filter((a) => reads.includes(a));
  const values = await Promise.all(attributes.map((attribute) => {
    const { fetch, notConfigured } = BUCKET_ATTRIBUTE_FETCHERS[attribute];
    const site = { service: "s3", operation: BUCKET_ATTRIBUTE_OPERATIONS[attribute], region: target.region, resource: target.name };
    return settle(scan, site, () => fetch(clients.s3(target.region), target.name), notConfigured);
  }));
  attributes.forEach((attribute, i) => Object.assign(bucket, { [attribute]: values[i] }));
  if (reads.includes("accountPublicAccessBlock")) {
    const site = { service: "s3control", operation: "GetPublicAccessBlock", region: target.region };
    bucket.accountPublicAccessBlock = await settle(scan, site, () => fetchAccountPublicAccessBlock(scan, clients.s3Control), null);
  }
  return bucket;
}

export async function collectS3Account(clients: AccountClients, target: FixTarget): Promise<S3Account> {
  const scan = createAccountScan(target.accountId, pLimit(1));
  const site = { service: "s3control", operation: "GetPublicAccessBlock", region: target.region };
  const block = await settle(scan, site, () => fetchAccountPublicAccessBlock(scan, clients.s3Control), null);
  return { type: "aws:s3:account", arn: target.arn, accountId: target.accountId, region: target.region, name: target.name, tags: {}, publicAccessBlock: block };
}
