import { describe, expect, it } from "vitest";
import type { FindingStatus, LastResult } from "../../src/core/findings.js";
import { countedAs, countRowDeltas, muteCountDelta, type CountedFinding } from "../../src/core/mute-score.js";

const finding = (extra: Partial<CountedFinding> = {}): CountedFinding => ({
  accountId: "111122223333", ruleId: "versioning", team: "payments", severity: "critical", lastResult: "fail", lastScanId: "scan-2", ...extra,
});

describe("countedAs: what a finding contributes to its account's latest counts", () => {
  it.each<[FindingStatus, LastResult, "pass" | "fail" | null]>([
    ["open", "fail", "fail"],
    ["resolved", "pass", "pass"],
    ["resolved", "deleted", null],
    ["muted", "fail", null],
    ["muted", "pass", null],
  ])("%s with last result %s -> %s", (status, lastResult, expected) => {
    expect(countedAs(status, lastResult)).toBe(expected);
  });
});

describe("muteCountDelta", () => {
  it.each<[string, FindingStatus, FindingStatus, Partial<CountedFinding>, { pass: number; fail: number } | null]>([
    ["approval mutes a failing finding: one failure less", "open", "muted", {}, { pass: 0, fail: -1 }],
    ["the mute ends on a failing finding: one failure more", "muted", "open", {}, { pass: 0, fail: 1 }],
    ["the mute ends on a passing finding: one pass more", "muted", "resolved", { lastResult: "pass" }, { pass: 1, fail: 0 }],
    ["the mute ends on a deleted resource: nothing to count", "muted", "resolved", { lastResult: "deleted" }, null],
    ["another mute still holds it: nothing moves", "muted", "muted", {}, null],
    ["the latest scan did not evaluate it: the next scan recounts", "open", "muted", { lastScanId: "scan-1" }, null],
    ["the ended mute's finding was not evaluated by the latest scan either", "muted", "open", { lastScanId: "scan-1" }, null],
  ])("%s", (_name, from, to, extra, expected) => {
    expect(muteCountDelta(finding(extra), { from, to }, "scan-2")).toEqual(expected);
  });

  it("an account without counts yet changes nothing", () => {
    expect(muteCountDelta(finding(), { from: "open", to: "muted" }, undefined)).toBeNull();
  });
});

describe("countRowDeltas: the rows the scan's counter bumps for the finding", () => {
  it("organisation, team and every framework of the rule, keyed like scan_counts, with the finding's severity", () => {
    expect(countRowDeltas(finding({ severity: "high" }), "scan-2", { pass: 0, fail: -1 }, ["cis", "iso"])).toEqual([
      { scanId: "scan-2", accountId: "111122223333", scope: "org", ruleId: "versioning", severity: "high", pass: 0, fail: -1 },
      { scanId: "scan-2", accountId: "111122223333", scope: "team:payments", ruleId: "versioning", severity: "high", pass: 0, fail: -1 },
      { scanId: "scan-2", accountId: "111122223333", scope: "framework:cis", ruleId: "versioning", severity: "high", pass: 0, fail: -1 },
      { scanId: "scan-2", accountId: "111122223333", scope: "framework:iso", ruleId: "versioning", severity: "high", pass: 0, fail: -1 },
    ]);
  });

  it("an unowned finding lands on the unowned scope", () => {
    expect(countRowDeltas(finding({ team: null }), "scan-2", { pass: 1, fail: 0 }, []).map((r) => r.scope)).toEqual(["org", "unowned"]);
  });
});
