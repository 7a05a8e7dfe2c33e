import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvField, renderCsv } from "../../src/cli/render-csv.js";
import { renderEvidence } from "../../src/cli/render-evidence.js";
import { renderJsonChunks } from "../../src/cli/render-json.js";
import { renderTable } from "../../src/cli/render-table.js";
import type { Finding, ScanReport } from "../../src/core/report.js";
import { emptyTally } from "../../src/core/score.js";

const finding = (ruleId: string, severity: Finding["severity"], name: string, observed: unknown = "Disabled"): Finding => ({
  ruleId, severity, title: `Title, "quoted", of ${ruleId}`,
  resource: { arn: `arn:aws:s3:::${name}`, name, type: "aws:s3:bucket", accountId: "111122223333", region: "eu-west-1" },
  evidence: [{ path: "versioning.status", expected: "equals \"Enabled\"", observed }],
});

function report(findings: Finding[], overrides: Partial<ScanReport> = {}): ScanReport {
  const tally = emptyTally();
  tally.critical = { pass: 9, fail: 1 };
  tally.high = { pass: 8, fail: 2 };
  tally.low = { pass: 5, fail: 5 };
  return {
    evaluatedAt: "2026-11-02T08:00:00.000Z", collectedAt: "2026-11-02T07:30:00.000Z", score: 76.75, tally, evaluations: 30, findings,
    rules: [{ ruleId: "crit-rule", title: "Critical rule", severity: "critical", pass: 9, fail: 1, notEvaluated: 0, impact: 9.5 }],
    coverage: {
      notEvaluated: 1234, byReason: [{ key: "acl: AccessDenied: Access Denied", count: 800 }, { key: "tags: Throttling", count: 434 }],
      byRule: [], byAccount: [{ key: "444455556666", count: 1234 }],
      accounts: [{ accountId: "444455556666", name: "acme-staging", status: "failed", errors: [{ service: "sts", operation: "AssumeRole", code: "AccessDenied", message: "not authorized" }] }],
    },
    ...overrides,
  };
}

describe("renderTable", () => {
  const findings = [finding("crit-rule", "critical", "vault"), finding("low-rule", "low", "logs-1"), finding("low-rule", "low", "logs-2")];
  const text = renderTable(report(findings), { color: false, accountNames: new Map([["111122223333", "acme-prod"]]) });

  it.each([
    ["the score with one decimal", "Posture score  76.8 %"],
    ["severity groups", "CRITICAL · 1 finding"],
    ["the rule title and id", "Title, \"quoted\", of crit-rule  [crit-rule] · 1"],
    ["the resource with account name and region", "✗ vault · acme-prod (111122223333) · eu-west-1"],
    ["the evidence in one line", "versioning.status = \"Disabled\" (expected equals \"Enabled\")"],
    ["what to fix first", "+9.5  Critical rule [crit-rule] · 1 failing resource"],
    ["coverage with thousands separators", "1,234 evaluations not possible"],
    ["the coverage reasons", "    800  acl: AccessDenied: Access Denied"],
    ["failed accounts with their error", "account acme-staging (444455556666) failed: sts AssumeRole: AccessDenied: not authorized"],
  ])("shows %s", (_name, expected) => expect(text).toContain(expected));

  it("lists critical before low and no colour codes when colour is off", () => {
    expect(text.indexOf("CRITICAL")).toBeLessThan(text.indexOf("LOW · 2 findings"));
    expect(text).not.toContain("\u001b[");
  });

  it("uses colour codes when asked", () => {
    expect(renderTable(report(findings), { color: true })).toContain("\u001b[");
  });

  it("caps the resources listed per rule and says how to see the rest", () => {
    const capped = renderTable(report(findings), { color: false, perRule: 1 });
    expect(capped).toContain("… and 1 more (--all, --format csv or --rule low-rule lists them)");
    expect(capped).not.toContain("logs-2");
  });

  it("says so when nothing fails and everything was evaluated", () => {
    const clean = renderTable(report([], { score: 100, coverage: { notEvaluated: 0, byReason: [], byRule: [], byAccount: [], accounts: [] }, rules: [] }), { color: false });
    expect(clean).toContain("No failing findings.");
    expect(clean).toContain("every evaluation was possible");
  });
});

describe("renderCsv", () => {
  it("writes one row per finding that a CSV parser reads back", () => {
    const csv = renderCsv([finding("r1", "high", "b,1", { a: "x\ny" }), finding("r2", "low", "=cmd")]);
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ severity: "high", rule_id: "r1", title: "Title, \"quoted\", of r1", resource_name: "b,1", account_id: "111122223333" });
    expect(rows[0]!.evidence).toBe("versioning.status = {\"a\":\"x\\ny\"} (expected equals \"Enabled\")");
    expect(rows[1]!.resource_name).toBe("'=cmd");
  });

  it.each([
    ["plain", "plain"],
    ["a,b", "\"a,b\""],
    ["say \"hi\"", "\"say \"\"hi\"\"\""],
    ["two\nlines", "\"two\nlines\""],
    ["+1", "'+1"],
  ])("quotes %j as %j", (value, expected) => expect(csvField(value)).toBe(expected));
});

describe("renderJsonChunks", () => {
  it.each([
    ["no findings", []],
    ["one finding", [finding("r1", "high", "a")]],
    ["several findings with awkward text", [finding("r1", "high", "a\"b"), finding("r2", "low", "c\nd", { nested: [1, null] })]],
  ])("%s: the pieces join into the report's JSON", (_name, findings) => {
    const input = report(findings);
    expect(JSON.parse([...renderJsonChunks(input)].join(""))).toEqual(JSON.parse(JSON.stringify(input)));
  });
});

describe("renderEvidence", () => {
  it.each([
    [[], [], "(no evidence recorded)"],
    [[{ path: "a", expected: "equals true", observed: false }], [], "a = false (expected equals true)"],
    [[{ path: "a", expected: "present", observed: null }], ["only with MFA"], "a = null (expected present) [only with MFA]"],
    [[{ path: "trustPolicy.Statement[0]", expected: "pinned", observed: { reason: "any GitHub repository can assume it" } }], [],
      "trustPolicy.Statement[0] = any GitHub repository can assume it (expected pinned)"],
    [[{ path: "document.Statement[0]", expected: "no admin", observed: { policy: "managed policy Admin", statement: { Effect: "Allow", Action: "*" } } }], [],
      "document.Statement[0] = managed policy Admin: {\"Effect\":\"Allow\",\"Action\":\"*\"} (expected no admin)"],
    [[{ path: "policy.Statement[0]", expected: "own accounts", observed: { foreignAccounts: ["999988887777", "*"], statement: { Sid: "S" } } }], [],
      "policy.Statement[0] = foreignAccounts 999988887777, *: {\"Sid\":\"S\"} (expected own accounts)"],
  ])("%j", (evidence, qualifiers, expected) => expect(renderEvidence(evidence, qualifiers)).toBe(expected));

  it("truncates long values", () => {
    expect(renderEvidence([{ path: "p", expected: "x", observed: "y".repeat(500) }]).length).toBeLessThanOrEqual(300);
  });
});
