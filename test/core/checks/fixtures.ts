import type { CheckContext } from "../../../src/core/checks/check.js";
import type { Bucket, IamGroup, IamPolicy, IamRole, IamUser, Resource } from "../../../src/core/snapshot.js";
import { resourceSchema } from "../../../src/core/snapshot.js";
import type { PolicyDocument, Statement } from "../../../src/core/policy-document.js";

export const ACCOUNT = "111122223333";
export const NOW = new Date("2026-06-01T00:00:00Z");
export const doc = (...Statement: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement });

/** Every fixture goes through the collector schema, so tests only use shapes collectors emit. */
function parsed<T extends Resource>(resource: Record<string, unknown>): T {
  return resourceSchema.parse(resource) as T;
}

export function bucket(overrides: Partial<Record<keyof Bucket, unknown>> = {}): Bucket {
  return parsed<Bucket>({
    type: "aws:s3:bucket", arn: "arn:aws:s3:::shop-assets", accountId: ACCOUNT, region: "eu-west-1", name: "shop-assets",
    publicAccessBlock: null, accountPublicAccessBlock: null, policyStatus: null, policy: null,
    acl: { owner: { id: "owner" }, grants: [] },
    ...overrides,
  });
}

export const bpa = (flags: Partial<Record<"blockPublicAcls" | "ignorePublicAcls" | "blockPublicPolicy" | "restrictPublicBuckets", boolean>> = {}) => ({
  blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false, ...flags,
});

const iamBase = (kind: string, name: string) => ({
  arn: `arn:aws:iam::${ACCOUNT}:${kind}/${name}`, accountId: ACCOUNT, region: "global", name, path: "/", createdAt: "2020-01-01T00:00:00Z",
});
const inline = (name: string, document: PolicyDocument) => ({ name, document });

export function user(name: string, overrides: Record<string, unknown> = {}): IamUser {
  return parsed<IamUser>({
    type: "aws:iam:user", ...iamBase("user", name), userId: `AIDA${name.toUpperCase()}`, groups: [], attachedPolicies: [], inlinePolicies: [],
    permissionsBoundary: null, ...overrides,
  });
}

export function group(name: string, overrides: Record<string, unknown> = {}): IamGroup {
  return parsed<IamGroup>({
    type: "aws:iam:group", ...iamBase("group", name), groupId: `AGPA${name.toUpperCase()}`, attachedPolicies: [], inlinePolicies: [], members: [], ...overrides,
  });
}

export function role(name: string, trustPolicy: PolicyDocument, overrides: Record<string, unknown> = {}): IamRole {
  return parsed<IamRole>({
    type: "aws:iam:role", ...iamBase("role", name), roleId: `AROA${name.toUpperCase()}`, trustPolicy, attachedPolicies: [], inlinePolicies: [],
    permissionsBoundary: null, lastUsed: null, serviceLinked: false, ...overrides,
  });
}

export function managedPolicy(name: string, document: unknown, awsManaged = false): IamPolicy {
  return parsed<IamPolicy>({
    type: "aws:iam:policy", arn: awsManaged ? `arn:aws:iam::aws:policy/${name}` : `arn:aws:iam::${ACCOUNT}:policy/${name}`,
    accountId: ACCOUNT, region: "global", name, policyId: `ANPA${name.toUpperCase()}`, path: "/", awsManaged, attachmentCount: 1,
    isAttachable: true, defaultVersionId: "v1", document, createdAt: "2020-01-01T00:00:00Z", updatedAt: "2020-01-01T00:00:00Z",
  });
}

export const ref = (resource: Resource) => ({ name: resource.name, arn: resource.arn });
export { inline };

export function context(...resources: Resource[]): CheckContext {
  const byArn = new Map(resources.map((r) => [r.arn, r]));
  return { now: NOW, lookup: (arn) => byArn.get(arn) };
}
