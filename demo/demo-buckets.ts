import type { Bucket, PublicAccessBlock, S3Account } from "../src/core/snapshot.js";
import { PROD, STAGING, TEAMS, VENDOR_ACCOUNT, daysAgo, teamTags, type DemoAccount, type Random, type Team } from "./demo-kit.js";

/** What is special about a bucket; anything not listed is the well-configured baseline. */
type Trait =
  | "website" | "public-policy" | "vpce-only" | "public-write-acl" | "authenticated-read-acl" | "cross-account"
  | "tls-only" | "unencrypted" | "kms" | "no-versioning" | "suspended-versioning" | "mfa-delete" | "no-logging"
  | "acls-enabled" | "object-lock" | "no-bpa" | "policy-denied" | "encryption-throttled" | "untagged";

interface BucketSpec {
  name: string;
  account: DemoAccount;
  region: string;
  team: Team;
  traits: Trait[];
}

const ALL_ON: PublicAccessBlock = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };
const ALL_OFF: PublicAccessBlock = { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false };
const CANONICAL_OWNER = { prod: "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", staging: "c3f1f4a9e2b7d6c5a4b3e2d1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1" };
const ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
const AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

/** The hand-written cases that the demo is about: every classic S3 mistake at least once. */
const NOTABLE: BucketSpec[] = [
  { name: "acme-www-static-site", account: PROD, region: "us-east-1", team: "web", traits: ["website", "no-bpa", "no-logging", "acls-enabled"] },
  { name: "acme-press-kit-downloads", account: PROD, region: "us-east-1", team: "web", traits: ["public-policy", "no-bpa", "no-versioning"] },
  { name: "acme-staging-user-uploads", account: STAGING, region: "us-east-1", team: "web", traits: ["public-write-acl", "no-bpa", "no-versioning", "no-logging"] },
  { name: "acme-data-partner-exchange", account: PROD, region: "eu-west-1", team: "data", traits: ["cross-account", "tls-only", "kms"] },
  { name: "acme-legacy-reports-2019", account: PROD, region: "us-east-1", team: "data", traits: ["unencrypted", "suspended-versioning", "no-logging", "authenticated-read-acl", "acls-enabled"] },
  { name: "acme-payments-card-vault", account: PROD, region: "us-east-1", team: "payments", traits: ["tls-only", "kms", "mfa-delete", "object-lock", "policy-denied"] },
  { name: "acme-payments-audit-archive", account: PROD, region: "eu-west-1", team: "payments", traits: ["tls-only", "kms", "object-lock"] },
  { name: "acme-data-lake-raw", account: PROD, region: "eu-west-1", team: "data", traits: ["vpce-only", "kms"] },
  { name: "acme-staging-analytics-scratch", account: STAGING, region: "us-east-1", team: "data", traits: ["encryption-throttled", "no-versioning"] },
  { name: "acme-terraform-state-prod", account: PROD, region: "us-east-1", team: "platform", traits: ["tls-only", "kms"] },
  { name: "acme-tmp-migration-dump", account: STAGING, region: "us-east-1", team: "platform", traits: ["untagged", "unencrypted", "no-versioning", "no-logging"] },
];

const PURPOSES: Record<Team, string[]> = {
  payments: ["invoices", "settlement-files", "chargeback-evidence", "ledger-exports", "fraud-models", "receipts"],
  data: ["warehouse-unload", "ml-features", "etl-staging", "dbt-artifacts", "notebooks", "clickstream"],
  platform: ["cloudtrail-logs", "artifacts", "backups", "config-snapshots", "lambda-packages", "ami-build-cache"],
  web: ["assets", "image-resize-cache", "cdn-origin", "sitemaps", "email-templates", "feature-flags"],
};

/** About 40 more buckets, mostly fine, with the usual drift (no versioning, no logging, ACLs on). */
function fillerSpecs(random: Random): BucketSpec[] {
  const specs: BucketSpec[] = [];
  for (const team of TEAMS) {
    for (const purpose of PURPOSES[team]) {
      for (const account of [PROD, STAGING]) {
        if (account === STAGING && random.chance(0.45)) continue;
        const traits: Trait[] = [];
        if (random.chance(account === STAGING ? 0.45 : 0.2)) traits.push("no-versioning");
        if (random.chance(account === STAGING ? 0.6 : 0.25)) traits.push("no-logging");
        if (random.chance(0.2)) traits.push("acls-enabled");
        if (random.chance(0.4)) traits.push("tls-only");
        if (random.chance(0.35)) traits.push("kms");
        const env = account === PROD ? "prod" : "staging";
        specs.push({ name: `acme-${team}-${purpose}-${env}`, account, region: random.pick(account.regions), team, traits });
      }
    }
  }
  return specs;
}

export function buildBuckets(random: Random): Bucket[] {
  return [...NOTABLE, ...fillerSpecs(random)].slice(0, 52).map((spec) => bucketOf(spec, random));
}

function bucketOf(spec: BucketSpec, random: Random): Bucket {
  const has = (trait: Trait) => spec.traits.includes(trait);
  const isProd = spec.account === PROD;
  const policy = policyOf(spec);
  const isPublic = has("website") || has("public-policy");
  return {
    type: "aws:s3:bucket",
    arn: `arn:aws:s3:::${spec.name}`,
    name: spec.name,
    accountId: spec.account.id,
    region: spec.region,
    createdAt: daysAgo(random.int(40, 2200)),
    tags: has("untagged") ? {} : teamTags(spec.team, { env: isProd ? "prod" : "staging", "cost-center": `cc-${spec.team}` }),
    publicAccessBlock: has("no-bpa") ? (isPublic ? ALL_OFF : null) : ALL_ON,
    accountPublicAccessBlock: accountBlockOf(spec.account),
    policyStatus: has("policy-denied") ? { $unknown: "AccessDenied: Access Denied" } : policy === null ? null : { isPublic },
    policy: has("policy-denied") ? { $unknown: `AccessDenied: User: arn:aws:sts::${spec.account.id}:assumed-role/PostureScanner/posture is not authorized to perform: s3:GetBucketPolicy on resource: "arn:aws:s3:::${spec.name}" with an explicit deny in a resource-based policy` } : policy,
    acl: has("policy-denied") ? { $unknown: "AccessDenied: Access Denied" } : aclOf(spec, has),
    ownershipControls: has("public-write-acl") ? "ObjectWriter" : has("acls-enabled") ? "BucketOwnerPreferred" : "BucketOwnerEnforced",
    versioning: {
      status: has("no-versioning") ? "Disabled" : has("suspended-versioning") ? "Suspended" : "Enabled",
      mfaDelete: has("mfa-delete") ? "Enabled" : "Disabled",
    },
    encryption: encryptionOf(spec, has),
    logging: has("no-logging") ? null : { targetBucket: `acme-${isProd ? "prod" : "staging"}-s3-access-logs`, targetPrefix: `${spec.name}/` },
    objectLock: has("object-lock") ? { enabled: true, defaultRetention: { mode: "COMPLIANCE", years: 7 } } : null,
  };
}

function accountBlockOf(account: DemoAccount): PublicAccessBlock | null {
  // Production turned on account-wide Block Public Access except for public policies (the website);
  // staging never configured it.
  return account === PROD ? { ...ALL_ON, blockPublicPolicy: false, restrictPublicBuckets: false } : null;
}

function aclOf(spec: BucketSpec, has: (trait: Trait) => boolean): NonNullable<Exclude<Bucket["acl"], { $unknown: string }>> {
  const ownerId = spec.account === PROD ? CANONICAL_OWNER.prod : CANONICAL_OWNER.staging;
  const owner = { id: ownerId, displayName: spec.account.name };
  const grants: NonNullable<Exclude<Bucket["acl"], { $unknown: string }>>["grants"] = [
    { grantee: { type: "CanonicalUser", id: ownerId, displayName: spec.account.name }, permission: "FULL_CONTROL" },
  ];
  if (has("public-write-acl")) {
    grants.push({ grantee: { type: "Group", uri: ALL_USERS }, permission: "READ" }, { grantee: { type: "Group", uri: ALL_USERS }, permission: "WRITE" });
  }
  if (has("authenticated-read-acl")) grants.push({ grantee: { type: "Group", uri: AUTHENTICATED_USERS }, permission: "READ" });
  return { owner, grants };
}

function encryptionOf(spec: BucketSpec, has: (trait: Trait) => boolean): Bucket["encryption"] {
  if (has("encryption-throttled")) return { $unknown: "Throttling: Rate exceeded (after 6 attempts)" };
  if (has("unencrypted")) return null;
  if (has("kms")) {
    return { rules: [{ algorithm: "aws:kms", kmsKeyId: `arn:aws:kms:${spec.region}:${spec.account.id}:alias/${spec.team}-s3`, bucketKeyEnabled: true }] };
  }
  return { rules: [{ algorithm: "AES256", bucketKeyEnabled: false }] };
}

function policyOf(spec: BucketSpec): Bucket["policy"] {
  const has = (trait: Trait) => spec.traits.includes(trait);
  const bucketArn = `arn:aws:s3:::${spec.name}`;
  const statements: Record<string, unknown>[] = [];
  if (has("website")) statements.push({ Sid: "PublicReadForWebsite", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${bucketArn}/*` });
  if (has("public-policy")) {
    statements.push({ Sid: "PressKitDownloads", Effect: "Allow", Principal: { AWS: "*" }, Action: ["s3:GetObject", "s3:ListBucket"], Resource: [bucketArn, `${bucketArn}/*`] });
  }
  if (has("vpce-only")) {
    statements.push({ Sid: "OnlyFromDataVpcEndpoint", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${bucketArn}/*`, Condition: { StringEquals: { "aws:SourceVpce": "vpce-0a1b2c3d4e5f60718" } } });
  }
  if (has("cross-account")) {
    statements.push({ Sid: "PartnerReadWrite", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${VENDOR_ACCOUNT}:root` }, Action: ["s3:GetObject", "s3:PutObject"], Resource: `${bucketArn}/*` });
  }
  if (has("tls-only")) {
    statements.push({ Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucketArn, `${bucketArn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } });
  }
  return statements.length === 0 ? null : { Version: "2012-10-17", Statement: statements as never };
}

export function buildS3Accounts(): S3Account[] {
  return [PROD, STAGING].map((account) => ({
    type: "aws:s3:account",
    arn: `arn:aws:s3:::account/${account.id}`,
    name: `${account.name} (S3 account settings)`,
    accountId: account.id,
    region: "global",
    tags: {},
    publicAccessBlock: accountBlockOf(account),
  }));
}
