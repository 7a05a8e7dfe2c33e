import { describe, expect, it } from "vitest";
import type { RuleResult } from "../../src/core/engine.js";
import { buildReport, countFailingAtOrAbove, createReportAccumulator, groupingReason } from "../../src/core/report.js";
import type { Rule, Severity } from "../../src/core/rule.js";
import type { AccountCoverage, Resource } from "../../src/core/snapshot.js";

const context = { evaluatedAt: new Date("2026-11-02T08:00:00Z"), collectedAt: "2026-11-02T07:30:00Z", accounts: [] };

function rule(id: string, severity: Severity): Rule {
  return {
    id, severity, title: `Title of ${id}`, resource: "aws:s3:bucket", description: "d".repeat(10), risk: "r".repeat(10),
    check: { path: "versioning.status", equals: "Enabled" }, compliance: { x: ["1"] },
    remediation: { console: "c".repeat(10), cli: "aws s3", terraform: "tf", references: ["https://example.com"] },
    tests: [], file: `rules/s3/${id}.yaml`, version: "v1", reads: ["versioning"],
  };
}

function bucket(name: string, accountId = "111122223333"): Resource {
  return { type: "aws:s3:bucket", arn: `arn:aws:s3:::${name}`, name, accountId, region: "eu-west-1" };
}

function results(r: Rule, pass: number, fail: number, notEvaluated = 0, reason = "acl: AccessDenied: Access Denied"): RuleResult[] {
  const out: RuleResult[] = [];
  for (let i = 0; i < pass; i++) out.push({ rule: r, resource: bucket(`${r.id}-p${i}`), status: "pass", severity: r.severity, evidence: [] });
  for (let i = 0; i < fail; i++) {
    out.push({ rule: r, resource: bucket(`${r.id}-f${i}`), status: "fail", severity: r.severity, evidence: [{ path: "versioning.status", expected: "equals \"Enabled\"", observed: "Suspended" }] });
  }
  for (let i = 0; i < notEvaluated; i++) out.push({ rule: r, resource: bucket(`${r.id}-n${i}`, "444455556666"), status: "not_evaluated", severity: r.severity, evidence: [], reason });
  return out;
}

const critical = rule("a-critical", "critical");
const high = rule("b-high", "high");
const low = rule("c-low", "low");

describe("buildReport", () => {
  it("scores DESIGN's worked example (critical 9/1, high 8/2, low 5/5) at 76.75 %", () => {
    const report = buildReport([...results(critical, 9, 1), ...results(high, 8, 2), ...results(low, 5, 5)], context);
    expect(report.score).toBeCloseTo(76.75, 10);
    expect(report.tally.critical).toEqual({ pass: 9, fail: 1 });
    expect(report.tally.medium).toEqual({ pass: 0, fail: 0 });
    expect(report.evaluations).toBe(30);
  });

  it.each([
    ["no results", [], null, 0],
    ["only not-evaluated results", results(high, 0, 0, 3), null, 0],
    ["everything passing", results(high, 4, 0), 100, 0],
    ["everything failing", results(critical, 0, 2), 0, 2],
  ])("%s", (_name, input, score, findings) => {
    const report = buildReport(input, context);
    expect(report.score).toBe(score);
    expect(report.findings).toHaveLength(findings);
  });

  it("keeps failing findings with resource identity and evidence, most severe first", () => {
    const report = buildReport([...results(low, 0, 1), ...results(critical, 1, 1)], context);
    expect(report.findings.map((f) => [f.severity, f.ruleId, f.resource.name])).toEqual([
      ["critical", "a-critical", "a-critical-f0"],
      ["low", "c-low", "c-low-f0"],
    ]);
    expect(report.findings[0]).toMatchObject({
      title: "Title of a-critical",
      resource: { arn: "arn:aws:s3:::a-critical-f0", type: "aws:s3:bucket", accountId: "111122223333", region: "eu-west-1" },
      evidence: [{ path: "versioning.status", observed: "Suspended" }],
    });
  });

  it("orders rules by score impact: the points gained if the rule's failures passed", () => {
    const report = buildReport([...results(critical, 9, 1), ...results(high, 8, 2), ...results(low, 5, 5)], context);
    expect(report.rules.map((r) => r.ruleId)).toEqual(["a-critical", "b-high", "c-low"]);
    // Critical 10/10: (8 + 6*0.8 + 2*0.5) / 16 = 86.25 %, 9.5 points over 76.75 %.
    expect(report.rules[0]!.impact).toBeCloseTo(9.5, 10);
    expect(report.rules[1]!.impact).toBeCloseTo(7.5, 10); // high 10/10: 84.25 %
    expect(report.rules[2]!.impact).toBeCloseTo(6.25, 10); // low 10/10: 83 %
    expect(report.rules[0]).toMatchObject({ pass: 9, fail: 1, notEvaluated: 0, severity: "critical" });
  });

  it("groups not-evaluated results by reason, rule and account, outside the score", () => {
    const input = [
      ...results(high, 1, 1, 2, "acl: AccessDenied: User arn:aws:iam::1:user/x is not authorized on arn:aws:s3:::b1"),
      ...results(low, 1, 0, 1, "acl: AccessDenied: User arn:aws:iam::1:user/x is not authorized on arn:aws:s3:::b2"),
      ...results(low, 0, 0, 1, "encryption: not collected"),
    ];
    const report = buildReport(input, context);
    expect(report.score).toBeCloseTo(((0.5 * 6 + 1 * 2) / 8) * 100, 10);
    expect(report.coverage.notEvaluated).toBe(4);
    expect(report.coverage.byReason).toEqual([
      { key: "acl: AccessDenied: User <arn> is not authorized on <arn>", count: 3 },
      { key: "encryption: not collected", count: 1 },
    ]);
    expect(report.coverage.byRule).toEqual([{ key: "b-high", count: 2 }, { key: "c-low", count: 2 }]);
    expect(report.coverage.byAccount).toEqual([{ key: "444455556666", count: 4 }]);
  });

  it("carries the accounts' collection status and errors", () => {
    const account: AccountCoverage = {
      accountId: "444455556666", name: "acme-staging", regions: ["eu-west-1"], status: "partial",
      startedAt: "2026-11-02T07:00:00Z", finishedAt: "2026-11-02T07:01:00Z", apiCalls: {},
      errors: [{ service: "s3", operation: "GetBucketAcl", code: "AccessDenied", message: "Access Denied", resource: "b1" }],
    };
    const report = buildReport([], { ...context, accounts: [account] });
    expect(report.coverage.accounts).toEqual([{ accountId: "444455556666", name: "acme-staging", status: "partial", errors: account.errors }]);
  });

  it("bounds the number of distinct reasons and counts the rest as other reasons", () => {
    const accumulator = createReportAccumulator();
    for (let i = 0; i < 250; i++) {
      accumulator.add({ rule: low, resource: bucket(`b${i}`), status: "not_evaluated", severity: low.severity, evidence: [], reason: `tags: Throttling ${i}` });
    }
    const report = accumulator.build(context);
    expect(report.coverage.byReason).toHaveLength(201);
    expect(report.coverage.byReason[0]).toEqual({ key: "other reasons", count: 50 });
  });
});

describe("countFailingAtOrAbove", () => {
  const report = buildReport([...results(high, 1, 2), ...results(low, 0, 3)], context);
  it.each<[Severity, number]>([["critical", 0], ["high", 2], ["medium", 2], ["low", 5], ["info", 5]])("at or above %s: %i", (severity, count) => {
    expect(countFailingAtOrAbove(report, severity)).toBe(count);
  });
});

describe("groupingReason", () => {
  it.each([
    ["acl: AccessDenied: Access Denied", "acl: AccessDenied: Access Denied"],
    ["policy: AccessDenied: not authorized to perform s3:GetBucketPolicy on resource: \"arn:aws:s3:::x\"", "policy: AccessDenied: not authorized to perform s3:GetBucketPolicy on resource: \"<arn>\""],
    ["a:  b\n c", "a: b c"],
  ])("%s", (reason, expected) => expect(groupingReason(reason)).toBe(expected));
});
