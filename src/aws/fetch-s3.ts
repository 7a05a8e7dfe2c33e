import {
  GetBucketAclCommand, GetBucketEncryptionCommand, GetBucketLoggingCommand, GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand, GetBucketPolicyStatusCommand, GetBucketTaggingCommand, GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand, GetPublicAccessBlockCommand, ListBucketsCommand,
  type Bucket as SdkBucket, type S3Client,
} from "@aws-sdk/client-s3";
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand, type S3ControlClient } from "@aws-sdk/client-s3-control";
import type { Bucket, PublicAccessBlock } from "../core/snapshot.js";
import type { AccountScan } from "./account-scan.js";
import type { BucketAttribute } from "./collection-plan.js";
import {
  mapBucketAcl, mapBucketPolicy, mapEncryption, mapLogging, mapObjectLock, mapOwnershipControls, mapPublicAccessBlock,
  mapTagSet, mapVersioning,
} from "./map-s3.js";

/**
 * ListBuckets with any parameter returns each bucket's BucketRegion; pagination (MaxBuckets up to
 * 1000) is required above 10,000 buckets (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html).
 */
export async function fetchBucketList(scan: AccountScan, s3: S3Client): Promise<SdkBucket[]> {
  const buckets: SdkBucket[] = [];
  let token: string | undefined;
  do {
    const page = await scan.limit(() => s3.send(new ListBucketsCommand({ MaxBuckets: 1000, ContinuationToken: token })));
    buckets.push(...(page.Buckets ?? []));
    token = page.ContinuationToken || undefined;
  } while (token !== undefined);
  return buckets;
}

export async function fetchAccountPublicAccessBlock(scan: AccountScan, s3Control: S3ControlClient): Promise<PublicAccessBlock> {
  const output = await scan.limit(() => s3Control.send(new GetAccountPublicAccessBlockCommand({ AccountId: scan.accountId })));
  return mapPublicAccessBlock(output.PublicAccessBlockConfiguration);
}

type Fetch = (s3: S3Client, Bucket: string) => Promise<Bucket[BucketAttribute]>;

/** One S3 call per bucket attribute; the "not configured" value each falls back to (see errors.ts). */
export const BUCKET_ATTRIBUTE_FETCHERS: Record<BucketAttribute, { fetch: Fetch; notConfigured?: Bucket[BucketAttribute] }> = {
  publicAccessBlock: {
    fetch: async (s3, Bucket) => mapPublicAccessBlock((await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration),
    notConfigured: null,
  },
  policyStatus: {
    fetch: async (s3, Bucket) => ({ isPublic: (await s3.send(new GetBucketPolicyStatusCommand({ Bucket }))).PolicyStatus?.IsPublic === true }),
    notConfigured: null,
  },
  policy: {
    fetch: async (s3, Bucket) => mapBucketPolicy((await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy, Bucket),
    notConfigured: null,
  },
  acl: { fetch: async (s3, Bucket) => mapBucketAcl(await s3.send(new GetBucketAclCommand({ Bucket })), Bucket) },
  ownershipControls: {
    fetch: async (s3, Bucket) => mapOwnershipControls((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls?.Rules, Bucket),
    notConfigured: null,
  },
  tags: {
    fetch: async (s3, Bucket) => mapTagSet((await s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet),
    // NoSuchTagSet: the bucket has no tags at all.
    notConfigured: {},
  },
  versioning: { fetch: async (s3, Bucket) => mapVersioning(await s3.send(new GetBucketVersioningCommand({ Bucket })), Bucket) },
  encryption: {
    fetch: async (s3, Bucket) => mapEncryption(await s3.send(new GetBucketEncryptionCommand({ Bucket })), Bucket),
    notConfigured: null,
  },
  logging: { fetch: async (s3, Bucket) => mapLogging(await s3.send(new GetBucketLoggingCommand({ Bucket }))) },
  objectLock: {
    fetch: async (s3, Bucket) => mapObjectLock(await s3.send(new GetObjectLockConfigurationCommand({ Bucket })), Bucket),
    notConfigured: null,
  },
};
