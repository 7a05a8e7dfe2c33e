import type { CollectRequest } from "../app/ports.js";

/** Bucket attributes and the one S3 operation that fills each. */
export const BUCKET_ATTRIBUTE_OPERATIONS = {
  publicAccessBlock: "GetPublicAccessBlock",
  policyStatus: "GetBucketPolicyStatus",
  policy: "GetBucketPolicy",
  acl: "GetBucketAcl",
  ownershipControls: "GetBucketOwnershipControls",
  tags: "GetBucketTagging",
  versioning: "GetBucketVersioning",
  encryption: "GetBucketEncryption",
  logging: "GetBucketLogging",
  objectLock: "GetObjectLockConfiguration",
} as const;

export type BucketAttribute = keyof typeof BUCKET_ATTRIBUTE_OPERATIONS;
export const BUCKET_ATTRIBUTES = Object.keys(BUCKET_ATTRIBUTE_OPERATIONS) as BucketAttribute[];

export interface S3Plan {
  buckets: boolean;
  /** Per-bucket attributes to fetch (tags always: ownership routing needs them). */
  bucketAttributes: BucketAttribute[];
  /** s3control GetPublicAccessBlock: for the aws:s3:account resource and bucket.accountPublicAccessBlock. */
  accountPublicAccessBlock: boolean;
}

export interface IamPlan {
  /** GetAccountAuthorizationDetails: users, groups, roles and policies are emitted together (checks look each other up). */
  authorizationDetails: boolean;
  credentialReport: boolean;
  virtualMfaDevices: boolean;
  accountSummary: boolean;
  passwordPolicy: boolean;
  serverCertificates: boolean;
  rootUser: boolean;
  iamAccount: boolean;
}

export interface CollectionPlan {
  s3: S3Plan;
  iam: IamPlan;
}

const GAAD_TYPES = ["aws:iam:user", "aws:iam:group", "aws:iam:role", "aws:iam:policy"];

/** Which calls the requested attributes need: a pure function of `CollectRequest.reads`. */
export function planCollection(reads: CollectRequest["reads"]): CollectionPlan {
  const wants = (type: string, attribute?: string) => {
    const attributes = reads.get(type);
    return attributes !== undefined && (attribute === undefined || attributes.has(attribute));
  };
  const bucketReads = reads.get("aws:s3:bucket") ?? new Set<string>();
  const buckets = wants("aws:s3:bucket");
  return {
    s3: {
      buckets,
      bucketAttributes: buckets ? BUCKET_ATTRIBUTES.filter((a) => a === "tags" || bucketReads.has(a)) : [],
      accountPublicAccessBlock: wants("aws:s3:account") || wants("aws:s3:bucket", "accountPublicAccessBlock"),
    },
    iam: {
      authorizationDetails: GAAD_TYPES.some((type) => wants(type)) || wants("aws:iam:account", "supportRoles"),
      credentialReport: wants("aws:iam:user", "credentials") || wants("aws:iam:root-user", "credentials"),
      virtualMfaDevices: wants("aws:iam:user", "virtualMfaDevices") || wants("aws:iam:root-user", "virtualMfaDevices"),
      accountSummary: wants("aws:iam:root-user", "accountSummary") || wants("aws:iam:account", "summary"),
      passwordPolicy: wants("aws:iam:password-policy"),
      serverCertificates: wants("aws:iam:server-certificate"),
      rootUser: wants("aws:iam:root-user"),
      iamAccount: wants("aws:iam:account"),
    },
  };
}
