import { describe, expect, it } from "vitest";
import type { CollectRequest, Collector } from "../../src/app/ports.js";
import { organisationAccounts, readsOf, runScan, selectRules } from "../../src/app/scan.js";
import { namedChecks } from "../../src/core/checks/index.js";
import { parseCatalog } from "../../src/core/catalog.js";
import type { Snapshot } from "../../src/core/snapshot.js";

const frameworks = `frameworks:
  test-fw: { name: Test framework, version: "1", controls: { "1.1": "Control one" } }
`;

function ruleFile(id: string, severity: string, resource: string, check: string, pass: string, fail: string) {
  return {
    path: `rules/x/${id}.yaml`,
    text: `id: ${id}
title: Title of ${id}
severity: ${severity}
resource: ${resource}
description: A description long enough.
risk: A risk long enough.
check: ${check}
compliance: { test-fw: ["1.1"] }
remediation: { console: "Console steps here", cli: "aws cli", terraform: "terraform", references: ["https://docs.aws.amazon.com/"] }
tests:
  - { name: passes, expect: pass, resource: ${pass} }
  - { name: fails, expect: fail, resource: ${fail} }
`,
  };
}

const catalog = parseCatalog({
  frameworks: { path: "rules/frameworks.yaml", text: frameworks },
  rules: [
    ruleFile("bucket-versioning", "medium", "aws:s3:bucket", "{ path: versioning.status, equals: Enabled }",
      "{ versioning: { status: Enabled, mfaDelete: Disabled } }", "{ versioning: { status: Disabled, mfaDelete: Disabled } }"),
    ruleFile("bucket-logging", "low", "aws:s3:bucket", "{ path: logging, exists: true }",
      "{ logging: { targetBucket: logs, targetPrefix: x } }", "{ logging: null }"),
    ruleFile("user-mfa", "high", "aws:iam:user", "{ path: credentials.mfaActive, equals: true }",
      "{ credentials: { userCreationTime: null, passwordEnabled: true, passwordLastUsed: null, passwordLastChanged: null, mfaActive: true, accessKeys: [], certificates: [], reportGeneratedAt: '2026-01-01T00:00:00Z' }, userId: u, path: /, createdAt: '2026-01-01T00:00:00Z', groups: [], attachedPolicies: [], inlinePolicies: [], permissionsBoundary: null }",
      "{ credentials: { userCreationTime: null, passwordEnabled: true, passwordLastUsed: null, passwordLastChanged: null, mfaActive: false, accessKeys: [], certificates: [], reportGeneratedAt: '2026-01-01T00:00:00Z' }, userId: u, path: /, createdAt: '2026-01-01T00:00:00Z', groups: [], attachedPolicies: [], inlinePolicies: [], permissionsBoundary: null }"),
  ],
  checks: namedChecks,
  fixers: new Set(),
});

const bucket = (name: string, versioning: "Enabled" | "Disabled", logging: boolean) => ({
  type: "aws:s3:bucket" as const, arn: `arn:aws:s3:::${name}`, name, accountId: "111122223333", region: "eu-west-1",
  versioning: { status: versioning, mfaDelete: "Disabled" as const },
  logging: logging ? { targetBucket: "logs", targetPrefix: `${name}/` } : null,
});

const snapshot: Snapshot = {
  schemaVersion: 1,
  collectedAt: "2026-11-02T07:30:00Z",
  accounts: [],
  resources: [bucket("a", "Enabled", true), bucket("b", "Disabled", true), bucket("c", "Disabled", false)],
};

/** A Collector port implementation that records what it was asked for. */
class RecordingCollector implements Collector {
  requests: CollectRequest[] = [];
  async collect(request: CollectRequest): Promise<Snapshot> {
    this.requests.push(request);
    return snapshot;
  }
}

describe("selectRules", () => {
  it.each([
    ["no filters", {}, ["bucket-logging", "bucket-versioning", "user-mfa"]],
    ["disabled in configuration", { disabled: ["user-mfa"] }, ["bucket-logging", "bucket-versioning"]],
    ["severities", { severities: ["high", "medium"] as const }, ["bucket-versioning", "user-mfa"]],
    ["rule ids", { ruleIds: ["bucket-logging"] }, ["bucket-logging"]],
    ["rule ids minus disabled", { ruleIds: ["bucket-logging"], disabled: ["bucket-logging"] }, []],
  ])("%s", (_name, filters, expected) => {
    expect(selectRules(catalog.rules, filters).map((r) => r.id)).toEqual(expected);
  });
});

describe("readsOf", () => {
  it("aggregates the attributes the rules read per resource type, plus tags", () => {
    const reads = readsOf(catalog.rules);
    expect([...reads.keys()].sort()).toEqual(["aws:iam:user", "aws:s3:bucket"]);
    expect([...reads.get("aws:s3:bucket")!].sort()).toEqual(["logging", "tags", "versioning"]);
    expect([...reads.get("aws:iam:user")!].sort()).toEqual(["credentials", "tags"]);
  });
});

describe("runScan", () => {
  const now = new Date("2026-11-02T08:00:00Z");

  it("asks the collector only for what enabled rules read and evaluates what it returns", async () => {
    const collector = new RecordingCollector();
    const { report, rules } = await runScan({ rules: catalog.rules, source: { kind: "collector", collector }, now, filters: { disabled: ["bucket-logging"] } });
    expect(rules.map((r) => r.id)).toEqual(["bucket-versioning", "user-mfa"]);
    expect(collector.requests).toHaveLength(1);
    expect([...collector.requests[0]!.reads.get("aws:s3:bucket")!].sort()).toEqual(["tags", "versioning"]);
    expect(report.tally.medium).toEqual({ pass: 1, fail: 2 });
    expect(report.tally.low).toEqual({ pass: 0, fail: 0 });
    expect(report.findings.map((f) => f.resource.name)).toEqual(["b", "c"]);
  });

  it("evaluates a snapshot file's content with severity filters", async () => {
    const { report } = await runScan({ rules: catalog.rules, source: { kind: "snapshot", snapshot }, now, filters: { severities: ["low"] } });
    expect(report.evaluations).toBe(3);
    expect(report.findings.map((f) => [f.ruleId, f.resource.name])).toEqual([["bucket-logging", "c"]]);
    expect(report.score).toBeCloseTo((2 / 3) * 100, 10);
    expect(report.evaluatedAt).toBe("2026-11-02T08:00:00.000Z");
    expect(report.collectedAt).toBe("2026-11-02T07:30:00Z");
  });
});

describe("organisation accounts (not cross-account exposure)", () => {
  const coverage = (accountId: string) => ({
    accountId, regions: ["us-east-1"], status: "ok" as const, startedAt: "2026-11-02T07:00:00Z", finishedAt: "2026-11-02T07:01:00Z", apiCalls: {}, errors: [],
  });

  it.each([
    ["the scanned accounts", ["111122223333", "444455556666"], [], ["111122223333", "444455556666"]],
    ["plus configured ones, without duplicates", ["111122223333"], ["444455556666", "111122223333"], ["111122223333", "444455556666"]],
    ["ignoring an account the collector could not identify", ["unknown"], [], []],
  ])("%s", (_name, scanned, extra, expected) => {
    expect(organisationAccounts({ accounts: scanned.map(coverage) }, extra)).toEqual(expected);
  });

  const crossAccount = parseCatalog({
    frameworks: { path: "rules/frameworks.yaml", text: frameworks },
    rules: [ruleFile("bucket-no-cross-account", "high", "aws:s3:bucket", "{ use: s3PolicyNoCrossAccount }",
      "{ policy: null }",
      "{ policy: { Statement: [{ Effect: Allow, Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::example/*' }] } }")],
    checks: namedChecks,
    fixers: new Set(),
  });
  const sharedWithStaging = {
    ...bucket("shared", "Enabled", true),
    policy: { Statement: [{ Effect: "Allow" as const, Principal: { AWS: "arn:aws:iam::444455556666:root" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::shared/*" }] },
  };
  const scan = (accounts: string[], trustedAccounts?: string[]) => runScan({
    rules: crossAccount.rules, now: new Date("2026-11-02T08:00:00Z"), trustedAccounts,
    source: { kind: "snapshot", snapshot: { ...snapshot, accounts: accounts.map(coverage), resources: [sharedWithStaging] } },
  });

  it.each([
    ["a grant to another scanned account passes", ["111122223333", "444455556666"], undefined, 0],
    ["a grant to a configured account passes", ["111122223333"], ["444455556666"], 0],
    ["a grant to an account outside the organisation fails", ["111122223333"], undefined, 1],
  ])("%s", async (_name, accounts, trusted, failures) => {
    const { report } = await scan(accounts, trusted);
    expect(report.evaluations).toBe(1);
    expect(report.findings).toHaveLength(failures);
  });
});
