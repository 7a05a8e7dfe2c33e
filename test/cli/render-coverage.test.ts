import { describe, expect, it } from "vitest";
import { renderTable } from "../../src/cli/render-table.js";
import type { AccountCollection, ScanReport } from "../../src/core/report.js";
import { emptyTally } from "../../src/core/score.js";

const ok = (id: string, name?: string): AccountCollection => ({ accountId: id, status: "ok", errors: [], ...(name ? { name } : {}) });
const DENIED = { service: "sts", operation: "GetCallerIdentity", code: "AccessDenied", message: "not authorized to perform: sts:AssumeRole" };

function report(accounts: AccountCollection[], notEvaluated = 0): ScanReport {
  return {
    evaluatedAt: "2026-11-02T08:00:00.000Z", collectedAt: "2026-11-02T07:30:00.000Z", score: 90, tally: emptyTally(), evaluations: 10, findings: [], rules: [],
    coverage: { notEvaluated, byReason: notEvaluated ? [{ key: "tags: Throttling", count: notEvaluated }] : [], byRule: [], byAccount: [], accounts },
  };
}

describe("the CLI scan summary over many accounts", () => {
  it("counts complete accounts and gives one line per failed or partial account with its error", () => {
    const text = renderTable(report([
      ok("222222222222", "prod"), ok("333333333333", "data"),
      { accountId: "444444444444", name: "sandbox", status: "failed", errors: [DENIED] },
      { accountId: "555555555555", status: "partial", errors: [{ service: "s3", operation: "GetBucketTagging", resource: "logs", code: "Throttling", message: "Rate exceeded" }] },
    ], 3), { color: false });
    expect(text).toContain("Coverage  3 evaluations not possible · 2 of 4 accounts complete");
    expect(text).toContain("account sandbox (444444444444) failed: sts GetCallerIdentity: AccessDenied: not authorized to perform: sts:AssumeRole");
    expect(text).toContain("account 555555555555 partially collected: s3 GetBucketTagging logs: Throttling: Rate exceeded");
  });

  it("names a failed Organizations discovery apart from the accounts, which were still scanned", () => {
    const text = renderTable(report([
      { accountId: "organizations", name: "AWS Organizations discovery", status: "failed", errors: [{ service: "organizations", operation: "ListAccounts", code: "POSTURE_ORGANIZATIONS_DENIED", message: "AWS Organizations refused ListAccounts" }] },
      ok("222222222222", "prod"),
    ]), { color: false });
    expect(text).toContain("Coverage  0 evaluations not possible · 1 of 1 account complete");
    expect(text).toContain("AWS Organizations discovery failed: POSTURE_ORGANIZATIONS_DENIED: AWS Organizations refused ListAccounts; only the configured accounts were scanned");
    expect(text).not.toContain("account organizations");
    expect(text.split("\n")[2]).toMatch(/^prod \(222222222222\) · /);
  });

  it("keeps the header short with many accounts and says every account was complete", () => {
    const accounts = Array.from({ length: 20 }, (_, i) => ok(String(200000000000 + i)));
    const text = renderTable(report(accounts), { color: false });
    expect(text).toContain("200000000005 and 14 more accounts · 10 evaluations");
    expect(text).toContain("Coverage  every evaluation was possible (20 of 20 accounts complete)");
  });
});
