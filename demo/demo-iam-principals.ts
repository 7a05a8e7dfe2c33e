import type { CredentialReportRow, IamGroup, IamRole, IamUser } from "../src/core/snapshot.js";
import type { PolicyDocument } from "../src/core/policy-document.js";
import { DEMO_COLLECTED_AT, PROD, STAGING, VENDOR_ACCOUNT, daysAgo, teamTags, type DemoAccount, type Random, type Team } from "./demo-kit.js";
import { AWS_MANAGED, awsManagedArn, customerArn, doc, iamId } from "./demo-iam-policies.js";

/** A policy reference: an AWS managed policy name, or "acme-..." for a customer managed one. */
type PolicyName = string;
interface KeySpec { rotated: number; used?: number; active?: boolean }
interface UserSpec {
  name: string; account: DemoAccount; team?: Team; created: number;
  console?: { lastUsed?: number; mfa?: "virtual" | "hardware" };
  keys?: KeySpec[]; groups?: string[]; attached?: PolicyName[]; inline?: Record<string, PolicyDocument>;
}
interface GroupSpec { name: string; account: DemoAccount; attached?: PolicyName[]; inline?: Record<string, PolicyDocument> }
interface RoleSpec {
  name: string; account: DemoAccount; team?: Team; trust: PolicyDocument; attached?: PolicyName[];
  inline?: Record<string, PolicyDocument>; lastUsed?: number; serviceLinked?: boolean; path?: string;
}

const s3Inline = (buckets: string) => doc({ Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: `arn:aws:s3:::${buckets}/*` });
const service = (principal: string) => doc({ Effect: "Allow", Principal: { Service: principal }, Action: "sts:AssumeRole" });
const github = (account: DemoAccount, condition: Record<string, Record<string, string>>) => doc({
  Effect: "Allow", Principal: { Federated: `arn:aws:iam::${account.id}:oidc-provider/token.actions.githubusercontent.com` },
  Action: "sts:AssumeRoleWithWebIdentity", Condition: condition,
});

const USERS: UserSpec[] = [
  { name: "alice.ng", account: PROD, team: "platform", created: 1400, console: { lastUsed: 1, mfa: "virtual" }, keys: [{ rotated: 30, used: 1 }], attached: ["AdministratorAccess"] },
  { name: "ci-deployer", account: PROD, team: "platform", created: 900, keys: [{ rotated: 400, used: 0.5 }, { rotated: 20, used: 3 }], attached: ["acme-deploy"] },
  { name: "bob.martin", account: PROD, team: "payments", created: 700, console: { lastUsed: 120 }, groups: ["developers"] },
  { name: "carol.diaz", account: PROD, team: "data", created: 500, console: { lastUsed: 2, mfa: "virtual" }, groups: ["data-engineers"] },
  { name: "dave.kim", account: PROD, team: "web", created: 300, console: { lastUsed: 4, mfa: "hardware" }, keys: [{ rotated: 60 }], groups: ["developers"] },
  { name: "legacy-backup", account: PROD, team: "data", created: 1900, keys: [{ rotated: 900, used: 400 }], inline: { "backup-everything": doc({ Effect: "Allow", Action: "s3:*", Resource: "*" }) } },
  { name: "erin.cho", account: PROD, team: "payments", created: 650, console: { lastUsed: 1, mfa: "virtual" }, groups: ["admins"] },
  { name: "frank.osei", account: PROD, team: "web", created: 420, console: { lastUsed: 8, mfa: "virtual" }, groups: ["developers", "readonly"] },
  { name: "grafana-reader", account: PROD, team: "platform", created: 50, keys: [{ rotated: 50, used: 0.2 }], attached: ["ReadOnlyAccess"] },
  { name: "payments-batch", account: PROD, team: "payments", created: 95, keys: [{ rotated: 95, used: 2 }], inline: { "payments-files": s3Inline("acme-payments-*") } },
  { name: "gina.rossi", account: PROD, team: "data", created: 10, console: {}, groups: ["data-engineers"] },
  { name: "henry.wu", account: PROD, team: "platform", created: 1200, console: { lastUsed: 3, mfa: "hardware" }, groups: ["admins"] },
  { name: "intern-sandbox", account: STAGING, team: "web", created: 150, console: { lastUsed: 20 }, inline: { "do-anything": doc({ Effect: "Allow", Action: "*:*", Resource: "*" }) } },
  { name: "staging-deployer", account: STAGING, team: "platform", created: 800, keys: [{ rotated: 200, used: 1 }, { rotated: 200, used: 1 }], attached: ["acme-deploy"] },
  { name: "ivan.petrov", account: STAGING, team: "web", created: 240, console: { lastUsed: 6 }, groups: ["developers"] },
  { name: "qa-bot", account: STAGING, team: "web", created: 30, keys: [{ rotated: 30, used: 1 }], inline: { "qa-uploads": s3Inline("acme-staging-user-uploads") } },
  { name: "julia.berg", account: STAGING, team: "data", created: 610, console: { lastUsed: 12, mfa: "virtual" }, groups: ["data-engineers"] },
  { name: "old-contractor", account: STAGING, team: "payments", created: 1100, console: { lastUsed: 300 }, keys: [{ rotated: 700, used: 290 }, { rotated: 650, active: false }] },
];

const GROUPS: GroupSpec[] = [
  { name: "admins", account: PROD, attached: ["AdministratorAccess"] },
  { name: "developers", account: PROD, attached: ["PowerUserAccess"] },
  { name: "data-engineers", account: PROD, attached: ["acme-data-read"], inline: { "athena-query": doc({ Effect: "Allow", Action: ["athena:*", "glue:Get*"], Resource: "*" }) } },
  { name: "readonly", account: PROD, attached: ["ReadOnlyAccess"] },
  { name: "developers", account: STAGING, attached: ["PowerUserAccess"] },
  { name: "data-engineers", account: STAGING, attached: ["AmazonS3FullAccess"] },
  { name: "admins", account: STAGING, attached: ["AdministratorAccess"] },
];

const ROLES: RoleSpec[] = [
  { name: "github-actions-deploy", account: PROD, team: "platform", attached: ["acme-deploy"], lastUsed: 0.3,
    // Only the audience is checked: any repository on GitHub can assume this role.
    trust: github(PROD, { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } }) },
  { name: "vendor-audit", account: PROD, team: "data", attached: ["ReadOnlyAccess"], lastUsed: 14,
    trust: doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${VENDOR_ACCOUNT}:root` }, Action: "sts:AssumeRole" }) },
  { name: "partner-readonly-reports", account: PROD, team: "data", attached: ["acme-data-read"], lastUsed: 5,
    trust: doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${VENDOR_ACCOUNT}:role/reporting` }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "acme-7f3c9a" } } }) },
  { name: "break-glass-admin", account: PROD, team: "platform", attached: ["AdministratorAccess"], lastUsed: 90,
    trust: doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${PROD.id}:root` }, Action: "sts:AssumeRole", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }) },
  { name: "payments-api-task", account: PROD, team: "payments", trust: service("ecs-tasks.amazonaws.com"), lastUsed: 0.1,
    inline: { "card-vault": doc({ Effect: "Allow", Action: ["s3:GetObject", "kms:Decrypt"], Resource: ["arn:aws:s3:::acme-payments-card-vault/*", `arn:aws:kms:us-east-1:${PROD.id}:key/*`] }) } },
  { name: "data-etl-glue", account: PROD, team: "data", trust: service("glue.amazonaws.com"), attached: ["acme-data-read", "acme-kms-operators"], lastUsed: 1 },
  { name: "image-resizer-lambda", account: PROD, team: "web", trust: service("lambda.amazonaws.com"), inline: { resize: s3Inline("acme-web-image-resize-cache-prod") }, lastUsed: 0.05 },
  { name: "web-ec2-instance", account: PROD, team: "web", trust: service("ec2.amazonaws.com"), attached: ["AmazonS3FullAccess"], lastUsed: 0.01 },
  { name: "aws-support-access", account: PROD, team: "platform", trust: doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${PROD.id}:root` }, Action: "sts:AssumeRole" }), attached: ["AWSSupportAccess"] },
  { name: "platform-ops", account: PROD, team: "platform", trust: service("ec2.amazonaws.com"), attached: ["acme-ops-assume-any"], lastUsed: 2 },
  { name: "AWSServiceRoleForSupport", account: PROD, path: "/aws-service-role/support.amazonaws.com/", serviceLinked: true, trust: service("support.amazonaws.com"), lastUsed: 30 },
  { name: "github-actions-staging", account: STAGING, team: "platform", attached: ["acme-deploy"], lastUsed: 1,
    trust: github(STAGING, { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" }, StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/web:ref:refs/heads/main" } }) },
  { name: "staging-api-task", account: STAGING, team: "payments", trust: service("ecs-tasks.amazonaws.com"), inline: { files: s3Inline("acme-payments-*-staging") }, lastUsed: 0.4 },
  { name: "data-notebooks", account: STAGING, team: "data", trust: service("sagemaker.amazonaws.com"), attached: ["AmazonS3FullAccess", "acme-kms-operators"], lastUsed: 3 },
  { name: "prod-to-staging-deploy", account: STAGING, team: "platform", attached: ["AdministratorAccess"], lastUsed: 7,
    trust: doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${PROD.id}:role/github-actions-deploy` }, Action: "sts:AssumeRole" }) },
];

const policyRef = (account: DemoAccount, name: PolicyName) => ({ name, arn: name in AWS_MANAGED ? awsManagedArn(name) : customerArn(account, name) });
const inlineOf = (inline: Record<string, PolicyDocument> = {}) => Object.entries(inline).map(([name, document]) => ({ name, document }));

export interface Principals { users: IamUser[]; groups: IamGroup[]; roles: IamRole[]; attachments: Map<string, number> }

export function buildPrincipals(random: Random): Principals {
  const attachments = new Map<string, number>();
  const attach = (account: DemoAccount, names: PolicyName[] = []) => names.map((name) => {
    const ref = policyRef(account, name);
    attachments.set(`${account.id} ${ref.arn}`, (attachments.get(`${account.id} ${ref.arn}`) ?? 0) + 1);
    return ref;
  });
  const groups = GROUPS.map((g): IamGroup => ({
    type: "aws:iam:group", arn: `arn:aws:iam::${g.account.id}:group/${g.name}`, name: g.name, accountId: g.account.id, region: "global",
    groupId: iamId(random, "AGPA"), path: "/", createdAt: daysAgo(random.int(400, 2000)), attachedPolicies: attach(g.account, g.attached),
    inlinePolicies: inlineOf(g.inline), members: USERS.filter((u) => u.account === g.account && u.groups?.includes(g.name)).map((u) => u.name),
  }));
  const users = USERS.map((u) => userOf(u, random, attach(u.account, u.attached)));
  const roles = ROLES.map((r): IamRole => ({
    type: "aws:iam:role", arn: `arn:aws:iam::${r.account.id}:role${r.path ?? "/"}${r.name}`, name: r.name, accountId: r.account.id, region: "global",
    roleId: iamId(random, "AROA"), path: r.path ?? "/", createdAt: daysAgo(random.int(60, 1500)), tags: teamTags(r.team),
    trustPolicy: r.trust, attachedPolicies: attach(r.account, r.attached), inlinePolicies: inlineOf(r.inline), permissionsBoundary: null,
    lastUsed: r.lastUsed === undefined ? null : { date: daysAgo(r.lastUsed), region: "us-east-1" }, serviceLinked: r.serviceLinked ?? false,
  }));
  return { users, groups, roles, attachments };
}

function userOf(u: UserSpec, random: Random, attachedPolicies: IamUser["attachedPolicies"]): IamUser {
  const arn = `arn:aws:iam::${u.account.id}:user/${u.name}`;
  return {
    type: "aws:iam:user", arn, name: u.name, accountId: u.account.id, region: "global", userId: iamId(random, "AIDA"), path: "/",
    createdAt: daysAgo(u.created), tags: teamTags(u.team), attachedPolicies, inlinePolicies: inlineOf(u.inline), permissionsBoundary: null,
    groups: (u.groups ?? []).map((name) => ({ name, arn: `arn:aws:iam::${u.account.id}:group/${name}` })),
    credentials: credentialsOf(u), virtualMfaDevices: u.console?.mfa === "virtual" ? [`arn:aws:iam::${u.account.id}:mfa/${u.name}`] : [],
  };
}

function credentialsOf(u: UserSpec): CredentialReportRow {
  return {
    userCreationTime: daysAgo(u.created),
    passwordEnabled: u.console !== undefined,
    passwordLastUsed: u.console?.lastUsed === undefined ? null : daysAgo(u.console.lastUsed),
    passwordLastChanged: u.console === undefined ? null : daysAgo(Math.min(u.created, 80)),
    mfaActive: u.console?.mfa !== undefined,
    accessKeys: (u.keys ?? []).map((key, index) => ({
      slot: (index + 1) as 1 | 2, active: key.active ?? true, lastRotated: daysAgo(key.rotated),
      lastUsedDate: key.used === undefined ? null : daysAgo(key.used),
      lastUsedRegion: key.used === undefined ? null : "us-east-1", lastUsedService: key.used === undefined ? null : "s3",
    })),
    certificates: [],
    reportGeneratedAt: DEMO_COLLECTED_AT,
  };
}

