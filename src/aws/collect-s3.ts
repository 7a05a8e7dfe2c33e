import type { Bucket as SdkBucket } from "@aws-sdk/client-s3";
import type { CollectProgress } from "../app/ports.js";
import type { Bucket, PublicAccessBlock, Resource, ResourceType, S3Account } from "../core/snapshot.js";
import { isUnknown, type OrUnknown } from "../core/unknown.js";
import { settle, type AccountScan } from "./account-scan.js";
import type { AccountClients } from "./clients.js";
import { BUCKET_ATTRIBUTE_OPERATIONS, type S3Plan } from "./collection-plan.js";
import { BucketGoneError } from "./errors.js";
import { BUCKET_ATTRIBUTE_FETCHERS, fetchAccountPublicAccessBlock, fetchBucketList } from "./fetch-s3.js";

export interface S3Scope {
  homeRegion: string;
  /** Only buckets in these regions; all when absent. */
  regions?: readonly string[];
  onProgress?: CollectProgress;
}

type AccountBlock = OrUnknown<PublicAccessBlock | null>;

/** What one account's S3 collection emitted, and which types it listed completely. */
export interface S3Collection {
  resources: Resource[];
  /** aws:s3:account when emitted; aws:s3:bucket when ListBuckets succeeded (buckets of the regions in scope). */
  complete: ResourceType[];
}

/** S3 resources of one account: the account's Block Public Access and every bucket in scope. */
export async function collectS3(scan: AccountScan, clients: AccountClients, plan: S3Plan, scope: S3Scope): Promise<S3Collection> {
  const [accountBlock, bucketList] = await Promise.all([
    plan.accountPublicAccessBlock
      ? settle(scan, { service: "s3control", operation: "GetPublicAccessBlock", region: scope.homeRegion }, () => fetchAccountPublicAccessBlock(scan, clients.s3Control), null)
      : Promise.resolve(undefined),
    plan.buckets
      ? settle(scan, { service: "s3", operation: "ListBuckets", region: scope.homeRegion }, () => fetchBucketList(scan, clients.s3(scope.homeRegion)))
      : Promise.resolve([]),
  ]);
  const resources: Resource[] = accountBlock === undefined ? [] : [mapS3Account(scan.accountId, scope.homeRegion, accountBlock)];
  const complete: ResourceType[] = accountBlock === undefined ? [] : ["aws:s3:account"];
  if (!plan.buckets || isUnknown(bucketList)) return { resources, complete };
  const inScope = bucketList.filter((b) => scope.regions === undefined || scope.regions.includes(regionOf(b, scope.homeRegion)));
  // A bucket deleted between ListBuckets and its attribute calls is dropped: it is gone, the list stays complete.
  const buckets = await collectBuckets(scan, clients, plan, scope, inScope, accountBlock);
  return { resources: [...resources, ...buckets], complete: [...complete, "aws:s3:bucket"] };
}

function mapS3Account(accountId: string, homeRegion: string, block: AccountBlock): S3Account {
  // The account settings cannot carry tags.
  return { type: "aws:s3:account", arn: `arn:aws:s3::${accountId}:account`, accountId, region: homeRegion, name: "s3-account-settings", tags: {}, publicAccessBlock: block };
}

// Real AWS returns BucketRegion whenever ListBuckets has a parameter; an emulator may not. The home
// region is then the best guess, and a wrong guess surfaces as the attribute's PermanentRedirect error.
function regionOf(bucket: SdkBucket, homeRegion: string): string {
  return bucket.BucketRegion || homeRegion;
}

async function collectBuckets(
  scan: AccountScan, clients: AccountClients, plan: S3Plan, scope: S3Scope, list: SdkBucket[], accountBlock: AccountBlock | undefined,
): Promise<Bucket[]> {
  let done = 0;
  const report = () => scope.onProgress?.(`${scan.accountId}: ${done}/${list.length} buckets`);
  const results = await Promise.all(list.map(async (entry) => {
    const bucket = await collectBucket(scan, clients, plan, entry, regionOf(entry, scope.homeRegion));
    done += 1;
    if (done % 100 === 0 || done === list.length) report();
    return bucket;
  }));
  return results
    .filter((b): b is Bucket => b !== undefined)
    .map((b) => (accountBlock === undefined ? b : { ...b, accountPublicAccessBlock: accountBlock }));
}

/** One bucket with the planned attributes, each sent to the bucket's region; undefined when it was deleted meanwhile. */
async function collectBucket(scan: AccountScan, clients: AccountClients, plan: S3Plan, entry: SdkBucket, region: string): Promise<Bucket | undefined> {
  const name = entry.Name ?? "";
  const bucket: Bucket = { type: "aws:s3:bucket", arn: `arn:aws:s3:::${name}`, accountId: scan.accountId, region, name };
  if (entry.CreationDate !== undefined) bucket.createdAt = entry.CreationDate.toISOString();
  const s3 = clients.s3(region);
  try {
    const values = await Promise.all(plan.bucketAttributes.map((attribute) => {
      const { fetch, notConfigured } = BUCKET_ATTRIBUTE_FETCHERS[attribute];
      const site = { service: "s3", operation: BUCKET_ATTRIBUTE_OPERATIONS[attribute], region, resource: name };
      return settle(scan, site, () => scan.limit(() => fetch(s3, name)), notConfigured);
    }));
    plan.bucketAttributes.forEach((attribute, i) => Object.assign(bucket, { [attribute]: values[i] }));
    return bucket;
  } catch (error) {
    if (error instanceof BucketGoneError) return undefined;
    throw error;
  }
}
