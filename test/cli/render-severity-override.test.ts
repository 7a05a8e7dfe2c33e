import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { renderCsv } from "../../src/cli/render-csv.js";
import { renderJsonChunks } from "../../src/cli/render-json.js";
import { renderTable } from "../../src/cli/render-table.js";
import type { Finding, ScanReport } from "../../src/core/report.js";
import { emptyTally } from "../../src/core/score.js";

const plain: Finding = {
  ruleId: "s3-bucket-public-read-acl", severity: "critical", title: "Bucket ACL grants public read",
  resource: { arn: "arn:aws:s3:::exports", name: "exports", type: "aws:s3:bucket", accountId: "111122223333", region: "eu-west-1" },
  evidence: [{ path: "acl.grants", expected: "no AllUsers grant", observed: "READ" }],
};
const overridden: Finding = {
  ...plain, severity: "low", severityOverride: { ruleSeverity: "critical", reason: "public website, reviewed by security" },
  resource: { ...plain.resource, arn: "arn:aws:s3:::www", name: "www" },
};

const tally = emptyTally();
tally.critical = { pass: 0, fail: 1 };
tally.low = { pass: 0, fail: 1 };
const report: ScanReport = {
  evaluatedAt: "2026-11-02T08:00:00.000Z", collectedAt: "2026-11-02T07:30:00.000Z", score: 0, tally, evaluations: 2, findings: [plain, overridden], rules: [],
  coverage: { notEvaluated: 0, byReason: [], byRule: [], byAccount: [], accounts: [] },
};

describe("CLI output of an overridden severity", () => {
  it("the table lists the finding under its effective severity, with the rule default and the reason", () => {
    const text = renderTable(report, { color: false });
    const low = text.slice(text.indexOf("LOW · 1 finding"));
    expect(low).toContain("✗ www · 111122223333 · eu-west-1 · low (rule default: critical) — public website, reviewed by security");
    expect(text).not.toContain("exports · 111122223333 · eu-west-1 ·");
  });

  it("CSV has rule_severity and severity_reason columns; JSON carries severityOverride", () => {
    const rows = parse(renderCsv(report.findings), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.resource_name, r.severity, r.rule_severity, r.severity_reason])).toEqual([
      ["exports", "critical", "critical", ""],
      ["www", "low", "critical", "public website, reviewed by security"],
    ]);
    const json = JSON.parse([...renderJsonChunks(report)].join("")) as ScanReport;
    expect(json.findings[1]).toMatchObject({ severity: "low", severityOverride: { ruleSeverity: "critical", reason: "public website, reviewed by security" } });
  });
});
