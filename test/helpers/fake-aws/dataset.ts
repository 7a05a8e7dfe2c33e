/** A generated AWS account for the fake endpoint: deterministic, with a mix of good and bad configurations. */
export interface FakeBucket {
  name: string;
  region: string;
  createdAt: string;
  publicAccessBlock: [boolean, boolean, boolean, boolean] | null;
  policy: object | null;
  policyIsPublic: boolean;
  publicReadAcl: boolean;
  ownership: "BucketOwnerEnforced" | "BucketOwnerPreferred" | "ObjectWriter" | null;
  tags: Record<string, string> | null;
  versioning: { status?: "Enabled" | "Suspended"; mfaDelete?: "Enabled" | "Disabled" };
  encryption: { algorithm: "AES256" | "aws:kms"; kmsKeyId?: string; bucketKey: boolean } | null;
  logging: { targetBucket: string; targetPrefix: string } | null;
  objectLock: { mode: "GOVERNANCE" | "COMPLIANCE"; days: number } | null;
}

export interface FakePrincipalPolicy {
  name: string;
  document: object;
}

export interface FakeUser {
  name: string;
  id: string;
  arn: string;
  createdAt: string;
  groups: string[];
  attached: { name: string; arn: string }[];
  inline: FakePrincipalPolicy[];
  tags: Record<string, string>;
  passwordEnabled: boolean;
  mfaActive: boolean;
  virtualMfa: boolean;
  accessKey: { active: boolean; lastRotated: string; lastUsed: string | null } | null;
}

export interface FakeRole {
  name: string;
  id: string;
  arn: string;
  path: string;
  createdAt: string;
  trust: object;
  attached: { name: string; arn: string }[];
  inline: FakePrincipalPolicy[];
}

export interface FakeGroup {
  name: string;
  id: string;
  arn: string;
  createdAt: string;
  attached: { name: string; arn: string }[];
  inline: FakePrincipalPolicy[];
}

export interface FakePolicy {
  name: string;
  id: string;
  arn: string;
  attachmentCount: number;
  document: object;
  createdAt: string;
}

export interface FakeDataset {
  accountId: string;
  buckets: FakeBucket[];
  users: FakeUser[];
  roles: FakeRole[];
  groups: FakeGroup[];
  policies: FakePolicy[];
  rootMfa: "virtual" | "hardware" | "none";
  passwordPolicy: { minimumPasswordLength: number; passwordReusePrevention?: number } | null;
  serverCertificates: { name: string; id: string; arn: string; uploadedAt: string; expiration: string }[];
}

export interface DatasetSize {
  accountId?: string;
  buckets: number;
  users: number;
  roles?: number;
  groups?: number;
  policies?: number;
  regions?: readonly string[];
  /** Values of the `team` tag on buckets and users, taken in turn (default payments, data, web, platform). */
  teams?: readonly string[];
  /** Bucket names are `<bucketPrefix>-00000`... (default "posture-bucket"); S3 names are global, so accounts need their own. */
  bucketPrefix?: string;
}

const DEFAULT_TEAMS = ["payments", "data", "web", "platform"] as const;

const CREATED = "2023-03-01T10:00:00.000Z";
const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
const SUPPORT = "arn:aws:iam::aws:policy/AWSSupportAccess";
const allow = (action: string | string[], resource = "*") => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: resource }] });

function makeBucket(i: number, accountId: string, regions: readonly string[], teams: readonly string[] = DEFAULT_TEAMS, prefix = "posture-bucket"): FakeBucket {
  const name = `${prefix}-${String(i).padStart(5, "0")}`;
  const publicPolicy = { Version: "2012-10-17", Statement: [{ Sid: "Public", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${name}/*` }] };
  const tlsPolicy = { Version: "2012-10-17", Statement: [{ Sid: "TLS", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } }] };
  return {
    name, region: regions[i % regions.length] ?? "us-east-1", createdAt: CREATED,
    publicAccessBlock: i % 4 === 0 ? null : [true, true, i % 3 !== 0, true],
    policy: i % 5 === 0 ? null : i % 17 === 0 ? publicPolicy : tlsPolicy,
    policyIsPublic: i % 5 !== 0 && i % 17 === 0,
    publicReadAcl: i % 23 === 0,
    ownership: i % 6 === 0 ? null : i % 2 === 0 ? "BucketOwnerEnforced" : "ObjectWriter",
    tags: i % 7 === 0 ? null : { team: teams[i % teams.length] ?? "web", env: "prod" },
    versioning: i % 3 === 0 ? {} : { status: i % 9 === 0 ? "Suspended" : "Enabled", mfaDelete: "Disabled" },
    encryption: i % 8 === 0 ? null : i % 2 === 0 ? { algorithm: "aws:kms", kmsKeyId: `arn:aws:kms:us-east-1:${accountId}:key/k${i}`, bucketKey: true } : { algorithm: "AES256", bucketKey: false },
    logging: i % 2 === 0 ? { targetBucket: "posture-logs", targetPrefix: `${name}/` } : null,
    objectLock: i % 10 === 0 ? { mode: "GOVERNANCE", days: 30 } : null,
  };
}

function makeUser(i: number, accountId: string, groups: readonly FakeGroup[], policies: readonly FakePolicy[], teams: readonly string[] = DEFAULT_TEAMS): FakeUser {
  const name = `user-${String(i).padStart(5, "0")}`;
  const policy = policies[i % Math.max(policies.length, 1)];
  return {
    name, id: `AIDA${String(i).padStart(17, "0")}`, arn: `arn:aws:iam::${accountId}:user/${name}`, createdAt: CREATED,
    groups: groups.length > 0 ? [groups[i % groups.length]!.name] : [],
    attached: i % 11 === 0 ? [{ name: "AdministratorAccess", arn: ADMIN }] : i % 3 === 0 && policy ? [{ name: policy.name, arn: policy.arn }] : [],
    inline: i % 13 === 0 ? [{ name: "inline-s3", document: allow("s3:GetObject") }] : [],
    tags: { team: teams[i % teams.length] ?? "web" },
    passwordEnabled: i % 2 === 0, mfaActive: i % 4 === 0, virtualMfa: i % 8 === 0,
    accessKey: i % 3 === 0 ? null : { active: i % 5 !== 0, lastRotated: "2024-01-10T08:00:00+00:00", lastUsed: i % 7 === 0 ? null : "2026-01-05T12:00:00+00:00" },
  };
}

function makeIamEntities(accountId: string, size: DatasetSize) {
  const policies: FakePolicy[] = Array.from({ length: size.policies ?? 20 }, (_, i) => ({
    name: `posture-policy-${i}`, id: `ANPA${String(i).padStart(17, "0")}`, arn: `arn:aws:iam::${accountId}:policy/posture-policy-${i}`,
    attachmentCount: i % 2, document: allow(i % 9 === 0 ? "*" : ["s3:GetObject", "s3:ListBucket"]), createdAt: CREATED,
  }));
  policies.push(
    { name: "AdministratorAccess", id: "ANPAIWMBCKSKIEE64ZLYK", arn: ADMIN, attachmentCount: 3, document: allow("*"), createdAt: "2015-02-06T18:39:46.000Z" },
    { name: "AWSSupportAccess", id: "ANPAJSNKQX2OW67GF4S7E", arn: SUPPORT, attachmentCount: 1, document: allow("support:*"), createdAt: "2015-02-06T18:41:11.000Z" },
    { name: "ReadOnlyAccess", id: "ANPAILL3HVNFSB6DCOWYQ", arn: "arn:aws:iam::aws:policy/ReadOnlyAccess", attachmentCount: 0, document: allow("s3:Get*"), createdAt: "2015-02-06T18:39:48.000Z" },
  );
  const groups: FakeGroup[] = Array.from({ length: size.groups ?? 10 }, (_, i) => ({
    name: `group-${i}`, id: `AGPA${String(i).padStart(17, "0")}`, arn: `arn:aws:iam::${accountId}:group/group-${i}`, createdAt: CREATED,
    attached: i === 0 ? [{ name: "AdministratorAccess", arn: ADMIN }] : [], inline: i === 1 ? [{ name: "kms-all", document: allow("kms:*") }] : [],
  }));
  const roles: FakeRole[] = Array.from({ length: size.roles ?? 20 }, (_, i) => ({
    name: i === 0 ? "AWSServiceRoleForSupport" : `role-${i}`, id: `AROA${String(i).padStart(17, "0")}`,
    path: i === 0 ? "/aws-service-role/support.amazonaws.com/" : "/",
    arn: i === 0 ? `arn:aws:iam::${accountId}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport` : `arn:aws:iam::${accountId}:role/role-${i}`,
    createdAt: CREATED,
    trust: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: i % 4 === 0 ? { AWS: "arn:aws:iam::999988887777:root" } : { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] },
    attached: i === 1 ? [{ name: "AWSSupportAccess", arn: SUPPORT }] : [], inline: [],
  }));
  return { policies, groups, roles };
}

export function generateDataset(size: DatasetSize): FakeDataset {
  const accountId = size.accountId ?? "123456789012";
  const regions = size.regions ?? ["us-east-1", "eu-west-1"];
  const { policies, groups, roles } = makeIamEntities(accountId, size);
  return {
    accountId,
    buckets: Array.from({ length: size.buckets }, (_, i) => makeBucket(i, accountId, regions, size.teams, size.bucketPrefix)),
    users: Array.from({ length: size.users }, (_, i) => makeUser(i, accountId, groups, policies, size.teams)),
    roles, groups, policies,
    rootMfa: "virtual",
    passwordPolicy: { minimumPasswordLength: 12, passwordReusePrevention: 5 },
    serverCertificates: [{ name: "legacy-cert", id: "ASCACKCEVSQ6C2EXAMPLE", arn: `arn:aws:iam::${accountId}:server-certificate/legacy-cert`, uploadedAt: "2020-01-01T00:00:00Z", expiration: "2021-01-01T00:00:00Z" }],
  };
}
