import type { PolicyDocument } from "../src/core/policy-document.js";
import { SNAPSHOT_SCHEMA_VERSION, type Bucket, type IamPolicy, type IamRole, type IamUser, type Resource, type Snapshot } from "../src/core/snapshot.js";

/**
 * A synthetic snapshot of `size` resources for the evaluation benchmark, built in memory: mostly
 * buckets and users with varied configurations, roles, groups and a small set of managed policies
 * that every principal shares (as in real estates), spread over accounts of 4,000 resources.
 * Deterministic (seeded), and every resource satisfies the collector schema (a test checks it).
 */
export interface GenerateOptions {
  size?: number;
  seed?: number;
  resourcesPerAccount?: number;
}

const NOW = Date.parse("2026-11-02T07:30:00.000Z");
const iso = (daysAgo: number) => new Date(NOW - Math.round(daysAgo * 86_400_000)).toISOString();
const doc = (Statement: PolicyDocument["Statement"]): PolicyDocument => ({ Version: "2012-10-17", Statement });

const SHARED_DOCUMENTS: Record<string, PolicyDocument> = {
  AdministratorAccess: doc([{ Effect: "Allow", Action: "*", Resource: "*" }]),
  ReadOnlyAccess: doc([{ Effect: "Allow", Action: ["s3:Get*", "s3:List*", "iam:Get*", "iam:List*"], Resource: "*" }]),
  PowerUserAccess: doc([{ Effect: "Allow", NotAction: ["iam:*", "organizations:*"], Resource: "*" }]),
  "app-s3-rw": doc([{ Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: "arn:aws:s3:::app-*/*" }]),
  "kms-operators": doc([{ Effect: "Allow", Action: "kms:*", Resource: "*" }]),
  "assume-any": doc([{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }]),
};
const POLICY_NAMES = Object.keys(SHARED_DOCUMENTS);
const TLS_POLICY = (arn: string): PolicyDocument => doc([{
  Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } },
}]);
const PUBLIC_POLICY = (arn: string): PolicyDocument => doc([{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${arn}/*` }]);
const BPA_ON = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };
const OWNER = { id: "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be" };

function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateSnapshot(options: GenerateOptions = {}): Snapshot {
  const size = options.size ?? 400_000;
  const perAccount = options.resourcesPerAccount ?? 4_000;
  const random = createRandom(options.seed ?? 42);
  const resources: Resource[] = [];
  const accounts: Snapshot["accounts"] = [];
  for (let a = 0; resources.length < size; a++) {
    const accountId = String(100000000000 + a * 7919);
    const budget = Math.min(perAccount, size - resources.length);
    generateAccount(accountId, budget, random, resources);
    accounts.push({ accountId, regions: ["us-east-1"], status: "ok", startedAt: iso(0.01), finishedAt: iso(0), apiCalls: {}, errors: [] });
  }
  return { schemaVersion: SNAPSHOT_SCHEMA_VERSION, collectedAt: iso(0), accounts, resources };
}

/** Per account: its managed policies, then ~60 % buckets, ~30 % users, the rest roles and groups. */
function generateAccount(accountId: string, budget: number, random: () => number, out: Resource[]): void {
  const start = out.length;
  for (const name of POLICY_NAMES) if (out.length - start < budget) out.push(policyOf(accountId, name));
  for (let i = 0; out.length - start < budget; i++) {
    const roll = random();
    if (roll < 0.6) out.push(bucketOf(accountId, i, random));
    else if (roll < 0.9) out.push(userOf(accountId, i, random));
    else if (roll < 0.98) out.push(roleOf(accountId, i, random));
    else out.push(groupOf(accountId, i, random));
  }
}

function policyOf(accountId: string, name: string): IamPolicy {
  const awsManaged = !name.includes("-");
  return {
    type: "aws:iam:policy", arn: awsManaged ? `arn:aws:iam::aws:policy/${name}` : `arn:aws:iam::${accountId}:policy/${name}`, name, accountId,
    region: "global", policyId: `ANPA${accountId}${name.length}`, path: "/", awsManaged, attachmentCount: 10, isAttachable: true,
    defaultVersionId: "v1", document: SHARED_DOCUMENTS[name]!, createdAt: iso(900), updatedAt: iso(100), tags: {},
  };
}

const policyRef = (accountId: string, name: string) => ({
  name, arn: name.includes("-") ? `arn:aws:iam::${accountId}:policy/${name}` : `arn:aws:iam::aws:policy/${name}`,
});
const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

function bucketOf(accountId: string, i: number, random: () => number): Bucket {
  const name = `b-${accountId}-${i}`;
  const arn = `arn:aws:s3:::${name}`;
  const isPublic = random() < 0.02;
  const policyRoll = random();
  return {
    type: "aws:s3:bucket", arn, name, accountId, region: pick(random, ["us-east-1", "eu-west-1", "ap-southeast-2"]), createdAt: iso(random() * 2000),
    tags: { team: pick(random, ["payments", "data", "platform", "web"]) },
    publicAccessBlock: isPublic ? null : BPA_ON, accountPublicAccessBlock: random() < 0.8 ? BPA_ON : null,
    policyStatus: isPublic ? { isPublic: true } : policyRoll < 0.5 ? { isPublic: false } : null,
    policy: isPublic ? PUBLIC_POLICY(arn) : policyRoll < 0.5 ? TLS_POLICY(arn) : null,
    acl: random() < 0.01 ? { $unknown: "AccessDenied: Access Denied" } : { owner: OWNER, grants: [{ grantee: { type: "CanonicalUser", id: OWNER.id }, permission: "FULL_CONTROL" }] },
    ownershipControls: random() < 0.7 ? "BucketOwnerEnforced" : "BucketOwnerPreferred",
    versioning: { status: random() < 0.6 ? "Enabled" : "Disabled", mfaDelete: "Disabled" },
    encryption: random() < 0.05 ? null : { rules: [{ algorithm: random() < 0.4 ? "aws:kms" : "AES256", bucketKeyEnabled: true }] },
    logging: random() < 0.5 ? { targetBucket: `logs-${accountId}`, targetPrefix: `${name}/` } : null,
    objectLock: random() < 0.1 ? { enabled: true } : null,
  };
}

function userOf(accountId: string, i: number, random: () => number): IamUser {
  const name = `user-${i}`;
  const console = random() < 0.5;
  const keys = Math.floor(random() * 3);
  return {
    type: "aws:iam:user", arn: `arn:aws:iam::${accountId}:user/${name}`, name, accountId, region: "global", userId: `AIDA${accountId}${i}`,
    path: "/", createdAt: iso(random() * 1500), tags: {}, groups: random() < 0.7 ? [{ name: "devs", arn: `arn:aws:iam::${accountId}:group/devs` }] : [],
    attachedPolicies: random() < 0.2 ? [policyRef(accountId, pick(random, POLICY_NAMES))] : [], inlinePolicies: [], permissionsBoundary: null,
    credentials: {
      userCreationTime: iso(1500), passwordEnabled: console, passwordLastUsed: console ? iso(random() * 200) : null, passwordLastChanged: null,
      mfaActive: console && random() < 0.8,
      accessKeys: Array.from({ length: keys }, (_, k) => ({
        slot: (k + 1) as 1 | 2, active: random() < 0.9, lastRotated: iso(random() * 600), lastUsedDate: random() < 0.9 ? iso(random() * 100) : null,
        lastUsedRegion: "us-east-1", lastUsedService: "s3",
      })),
      certificates: [], reportGeneratedAt: iso(0),
    },
    virtualMfaDevices: [],
  };
}

function roleOf(accountId: string, i: number, random: () => number): IamRole {
  const name = `role-${i}`;
  const trustRoll = random();
  const principal: Record<string, string> = trustRoll < 0.05 ? { AWS: "arn:aws:iam::999988887777:root" } : { Service: "lambda.amazonaws.com" };
  return {
    type: "aws:iam:role", arn: `arn:aws:iam::${accountId}:role/${name}`, name, accountId, region: "global", roleId: `AROA${accountId}${i}`,
    path: "/", createdAt: iso(random() * 1500), tags: {}, trustPolicy: doc([{ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole" }]),
    attachedPolicies: [policyRef(accountId, pick(random, POLICY_NAMES))], inlinePolicies: [], permissionsBoundary: null,
    lastUsed: random() < 0.8 ? { date: iso(random() * 60), region: "us-east-1" } : null, serviceLinked: false,
  };
}

function groupOf(accountId: string, i: number, random: () => number) {
  return {
    type: "aws:iam:group" as const, arn: `arn:aws:iam::${accountId}:group/group-${i}`, name: `group-${i}`, accountId, region: "global",
    groupId: `AGPA${accountId}${i}`, path: "/", createdAt: iso(1000), tags: {}, attachedPolicies: [policyRef(accountId, pick(random, POLICY_NAMES))],
    inlinePolicies: [], members: [],
  };
}
