import type { IamPolicy } from "../src/core/snapshot.js";
import type { PolicyDocument } from "../src/core/policy-document.js";
import { PROD, STAGING, daysAgo, type DemoAccount, type Random } from "./demo-kit.js";

type Doc = PolicyDocument;
const allow = (Action: string | string[], Resource: string | string[] = "*", extra: Record<string, unknown> = {}) =>
  ({ Effect: "Allow" as const, Action, Resource, ...extra });
export const doc = (...Statement: Doc["Statement"][]): Doc => ({ Version: "2012-10-17", Statement: Statement.flat() });

/** AWS managed policies the demo attaches (documents abridged to what matters for the verdicts). */
export const AWS_MANAGED: Record<string, Doc> = {
  AdministratorAccess: doc(allow("*")),
  PowerUserAccess: doc(
    { Effect: "Allow", NotAction: ["iam:*", "organizations:*", "account:*"], Resource: "*" },
    allow(["iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole", "iam:ListRoles", "organizations:DescribeOrganization", "account:ListRegions"]),
  ),
  ReadOnlyAccess: doc(allow(["s3:Get*", "s3:List*", "iam:Get*", "iam:List*", "ec2:Describe*", "cloudwatch:Get*", "cloudwatch:List*", "logs:Describe*"])),
  AmazonS3FullAccess: doc(allow(["s3:*", "s3-object-lambda:*"])),
  AWSSupportAccess: doc(allow("support:*")),
};

/** Customer managed policies, per account. */
export function customerManaged(account: DemoAccount): Record<string, Doc> {
  const policies: Record<string, Doc> = {
    "acme-deploy": doc(
      allow(["cloudformation:*", "s3:*", "ecr:*", "ecs:UpdateService", "lambda:UpdateFunctionCode"]),
      allow("iam:PassRole", `arn:aws:iam::${account.id}:role/*-task`),
    ),
    "acme-data-read": doc(allow(["s3:GetObject", "s3:ListBucket"], ["arn:aws:s3:::acme-data-*", "arn:aws:s3:::acme-data-*/*"])),
    "acme-kms-operators": doc(allow("kms:*")),
  };
  if (account === PROD) {
    policies["acme-legacy-full-access"] = doc(allow("*:*"));
    policies["acme-ops-assume-any"] = doc(allow("sts:AssumeRole", "*"));
  }
  return policies;
}

export const awsManagedArn = (name: string) => `arn:aws:iam::aws:policy/${name}`;
export const customerArn = (account: DemoAccount, name: string) => `arn:aws:iam::${account.id}:policy/${name}`;

export function iamId(random: Random, prefix: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let id = prefix;
  while (id.length < 21) id += random.pick([...alphabet]);
  return id;
}

/**
 * The managed policies as GetAccountAuthorizationDetails reports them: every customer managed policy
 * and the AWS managed ones attached in that account (each account's list carries its own copy).
 */
export function buildPolicies(random: Random, attachments: ReadonlyMap<string, number>): IamPolicy[] {
  const policies: IamPolicy[] = [];
  for (const account of [PROD, STAGING]) {
    for (const [name, document] of Object.entries(AWS_MANAGED)) {
      const count = attachments.get(`${account.id} ${awsManagedArn(name)}`) ?? 0;
      if (count > 0) policies.push(policyOf(random, account, name, awsManagedArn(name), document, true, count));
    }
    for (const [name, document] of Object.entries(customerManaged(account))) {
      const arn = customerArn(account, name);
      policies.push(policyOf(random, account, name, arn, document, false, attachments.get(`${account.id} ${arn}`) ?? 0));
    }
  }
  return policies;
}

function policyOf(random: Random, account: DemoAccount, name: string, arn: string, document: Doc, awsManaged: boolean, attachmentCount: number): IamPolicy {
  const created = daysAgo(awsManaged ? 2900 : random.int(100, 1500));
  return {
    type: "aws:iam:policy",
    arn,
    name,
    accountId: account.id,
    region: "global",
    policyId: iamId(random, "ANPA"),
    path: awsManaged ? "/" : "/acme/",
    awsManaged,
    attachmentCount,
    isAttachable: true,
    defaultVersionId: awsManaged ? "v7" : `v${random.int(1, 4)}`,
    document,
    createdAt: created,
    updatedAt: awsManaged ? daysAgo(200) : created,
    tags: awsManaged ? {} : { team: "platform" },
  };
}
