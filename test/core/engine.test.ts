import { describe, expect, it } from "vitest";
import { parseCatalog } from "../../src/core/catalog.js";
import { evaluateRule, evaluateSnapshot, type RuleResult } from "../../src/core/engine.js";
import type { Resource } from "../../src/core/snapshot.js";

const frameworks = { path: "rules/frameworks.yaml", text: "frameworks:\n  soc2:\n    name: SOC 2\n    version: \"2017\"\n    controls:\n      CC6.1: Logical access security\n" };
const ruleText = `id: iam-user-mfa-console
title: Console users have MFA
severity: high
resource: aws:iam:user
description: Every IAM user with a console password has MFA.
risk: A stolen password alone opens the console.
applies: { path: credentials.passwordEnabled, equals: true }
check: { path: credentials.mfaActive, equals: true }
compliance: { soc2: [CC6.1] }
remediation: { console: "1. Enable MFA for {{resource.name}}", cli: "aws iam enable-mfa-device", terraform: "n/a in terraform", references: ["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa.html"] }
tests:
  - { name: with mfa, expect: pass, resource: { userId: U, path: /, createdAt: "2020-01-01T00:00:00Z", groups: [], attachedPolicies: [], inlinePolicies: [], permissionsBoundary: null, credentials: { userCreationTime: null, passwordEnabled: true, passwordLastUsed: null, passwordLastChanged: null, mfaActive: true, accessKeys: [], certificates: [], reportGeneratedAt: "2026-01-01T00:00:00Z" } } }
  - { name: without mfa, expect: fail, resource: { userId: U, path: /, createdAt: "2020-01-01T00:00:00Z", groups: [], attachedPolicies: [], inlinePolicies: [], permissionsBoundary: null, credentials: { userCreationTime: null, passwordEnabled: true, passwordLastUsed: null, passwordLastChanged: null, mfaActive: false, accessKeys: [], certificates: [], reportGeneratedAt: "2026-01-01T00:00:00Z" } } }
`;
const { rules } = parseCatalog({ frameworks, rules: [{ path: "rules/iam/iam-user-mfa-console.yaml", text: ruleText }], checks: new Map(), fixers: new Set() });
const rule = rules[0]!;

function user(name: string, credentials: unknown): Resource {
  return {
    type: "aws:iam:user", arn: `arn:aws:iam::111122223333:user/${name}`, accountId: "111122223333", region: "global", name,
    userId: name, path: "/", createdAt: "2020-01-01T00:00:00Z", groups: [], attachedPolicies: [], inlinePolicies: [], permissionsBoundary: null,
    credentials,
  } as Resource;
}
const creds = (passwordEnabled: boolean, mfaActive: boolean) => ({
  userCreationTime: null, passwordEnabled, passwordLastUsed: null, passwordLastChanged: null, mfaActive, accessKeys: [], certificates: [], reportGeneratedAt: "2026-01-01T00:00:00Z",
});
const options = { now: new Date("2026-06-01T00:00:00Z"), checks: new Map() };
const lookup = () => undefined;

describe("evaluateRule", () => {
  it("skips resources the rule does not apply to", () => {
    expect(evaluateRule(rule, user("api", creds(false, false)), options, lookup)).toBeUndefined();
  });

  it("fails with evidence", () => {
    const result = evaluateRule(rule, user("alice", creds(true, false)), options, lookup)!;
    expect(result.status).toBe("fail");
    expect(result.evidence).toEqual([{ path: "credentials.mfaActive", expected: "equals true", observed: false }]);
  });

  it("passes without evidence", () => {
    expect(evaluateRule(rule, user("bob", creds(true, true)), options, lookup)).toMatchObject({ status: "pass", evidence: [] });
  });

  it("is not evaluated when the credential report could not be read, even for applicability", () => {
    const result = evaluateRule(rule, user("carol", { $unknown: "AccessDenied: not authorized to perform iam:GetCredentialReport" }), options, lookup)!;
    expect(result.status).toBe("not_evaluated");
    expect(result.reason).toBe("credentials: AccessDenied: not authorized to perform iam:GetCredentialReport");
  });

  it("is not evaluated when the attribute was not collected", () => {
    const result = evaluateRule(rule, user("dave", undefined), options, lookup)!;
    expect(result).toMatchObject({ status: "not_evaluated", reason: "credentials: not collected" });
  });
});

describe("evaluateSnapshot", () => {
  it("streams one result per applicable rule x resource", () => {
    const results: RuleResult[] = [];
    const resources = [user("a", creds(true, false)), user("b", creds(true, true)), user("c", creds(false, false))];
    evaluateSnapshot(rules, { resources }, options, (r) => results.push(r));
    expect(results.map((r) => [r.resource.name, r.status])).toEqual([["a", "fail"], ["b", "pass"]]);
  });
});

describe("trusted accounts", () => {
  it("adds the organisation's accounts to checks that take trustedAccounts", async () => {
    const { namedChecks } = await import("../../src/core/checks/index.js");
    const crossAccount = `id: s3-cross
title: Bucket policy grants nothing to other accounts
severity: high
resource: aws:s3:bucket
description: No other AWS account has access.
risk: Another account can read the data.
check: { use: s3PolicyNoCrossAccount, with: { trustedAccounts: [] } }
compliance: { soc2: [CC6.1] }
remediation: { console: "1. Edit the bucket policy", cli: "aws s3api put-bucket-policy", terraform: "aws_s3_bucket_policy", references: ["https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html"] }
tests:
  - { name: own account, expect: pass, resource: { policy: null } }
  - { name: other account, expect: fail, resource: { policy: { Statement: [{ Effect: Allow, Principal: { AWS: "arn:aws:iam::444455556666:root" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }] } } }
`;
    const catalog = parseCatalog({ frameworks, rules: [{ path: "rules/s3/s3-cross.yaml", text: crossAccount }], checks: namedChecks, fixers: new Set() });
    const bucket = {
      type: "aws:s3:bucket", arn: "arn:aws:s3:::b", accountId: "111122223333", region: "us-east-1", name: "b",
      policy: { Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::444455556666:root" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }] },
    } as Resource;
    const base = { now: new Date("2026-06-01T00:00:00Z"), checks: namedChecks };
    expect(evaluateRule(catalog.rules[0]!, bucket, base, lookup)?.status).toBe("fail");
    expect(evaluateRule(catalog.rules[0]!, bucket, { ...base, trustedAccounts: ["444455556666"] }, lookup)?.status).toBe("pass");
  });
});
