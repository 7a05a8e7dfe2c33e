import { describe, expect, it } from "vitest";
import type { FailFacts, StoredFinding } from "../../src/core/findings.js";
import { isMutedFailure, rebaseChange, type FindingChange } from "../../src/core/lifecycle.js";
import { correctScanCounts } from "../../src/core/mute-score.js";
import type { ScopeCount } from "../../src/core/scope-counts.js";

// A scan's planned change decided again against the status a mute step left during the scan.

const NOW = "2026-11-10T00:00:00.000Z";
const facts: FailFacts = {
  ruleId: "r", ruleVersion: "v2", severity: "high", severityOverride: null, team: "payments", ownerReason: "tag team=payments", evidence: [], qualifiers: [],
  resource: { arn: "arn:aws:s3:::b", type: "aws:s3:bucket", name: "b", accountId: "111122223333", region: "eu-west-1" },
};
const stored = (status: StoredFinding["status"], extra: Partial<StoredFinding> = {}): StoredFinding => ({
  id: 7, ruleId: "r", resourceArn: "arn:aws:s3:::b", accountId: "111122223333", resourceType: "aws:s3:bucket", severity: "high", severityReason: null, team: "payments", status, reopenCount: 0,
  exposureSeconds: 0, openedAt: status === "resolved" ? null : "2026-11-09T00:00:00.000Z", resolvedAt: status === "resolved" ? "2026-11-08T00:00:00.000Z" : null, ...extra,
});
const noMute = () => undefined;
const mute = (id: string) => () => id;

describe("rebaseChange", () => {
  it.each<[string, FindingChange, StoredFinding["status"] | undefined, () => string | undefined, Partial<FindingChange> | undefined]>([
    ["still failing, muted by an approval: stays muted (evidence refreshed)", { kind: "still_failing", finding: stored("open"), facts }, "muted", mute("m1"), { kind: "muted_evaluated", result: "fail", facts }],
    ["muted and failing, unmuted by a revoke or expiry: still failing", { kind: "muted_evaluated", finding: stored("muted"), result: "fail", facts }, "open", noMute, { kind: "still_failing" }],
    ["muted and failing, unmuted to resolved by an expiry: reopened", { kind: "muted_evaluated", finding: stored("muted"), result: "fail", facts }, "resolved", noMute, { kind: "reopened", reopenCount: 1 }],
    ["muted and failing, moved to another active mute: muted by it", { kind: "muted_evaluated", finding: stored("muted"), result: "fail", facts }, "open", mute("m2"), { kind: "muted", muteId: "m2" }],
    ["muted by the scan with a mute revoked since: still failing", { kind: "muted", finding: stored("open"), facts, muteId: "m1" }, "open", noMute, { kind: "still_failing" }],
    ["muted by the scan, muted by an approval meanwhile: the approval's mute stays", { kind: "muted", finding: stored("open"), facts, muteId: "m1" }, "muted", mute("m1"), { kind: "muted_evaluated" }],
    ["new, a rule + tag mute approved since: new and muted", { kind: "new", facts }, undefined, mute("m1"), { kind: "new", muteId: "m1" }],
    ["new and muted, its mute revoked since: new and open", { kind: "new", facts, muteId: "m1" }, undefined, noMute, { kind: "new" }],
    ["reopened, a mute approved since: muted, not reopened", { kind: "reopened", finding: stored("resolved"), facts, reopenCount: 1, closedSeconds: 1 }, "resolved", mute("m1"), { kind: "muted", muteId: "m1" }],
    ["resolved (passed) on a finding muted since: resolved", { kind: "resolved", finding: stored("open"), reason: "passed", exposureSeconds: 86_400 }, "muted", noMute, { kind: "resolved", reason: "passed" }],
    ["resolved (deleted) on a finding an expiry resolved already: nothing", { kind: "resolved", finding: stored("muted"), reason: "resource deleted", exposureSeconds: 1 }, "resolved", noMute, undefined],
    ["resolved (account left) on a finding unmuted since: resolved", { kind: "resolved", finding: stored("muted"), reason: "account left the organisation's scope", exposureSeconds: 1 }, "open", noMute, { kind: "resolved", reason: "account left the organisation's scope" }],
  ])("%s", (_name, change, current, muteOf, expected) => {
    const rebased = rebaseChange(change, current === undefined ? undefined : { status: current }, muteOf, NOW);
    if (expected === undefined) expect(rebased).toBeUndefined();
    else expect(rebased).toMatchObject(expected);
  });

  it("a new change is decided without a stored finding (mute steps never create findings)", () => {
    expect(rebaseChange({ kind: "new", facts }, undefined, noMute, NOW)).toEqual({ kind: "new", facts });
  });

  it.each<[FindingChange, boolean]>([
    [{ kind: "new", facts }, false],
    [{ kind: "new", facts, muteId: "m1" }, true],
    [{ kind: "muted", finding: stored("open"), facts, muteId: "m1" }, true],
    [{ kind: "muted_evaluated", finding: stored("muted"), result: "fail", facts }, true],
    [{ kind: "still_failing", finding: stored("open"), facts }, false],
  ])("isMutedFailure(%o) = %s", (change, muted) => {
    expect(isMutedFailure(change)).toBe(muted);
  });
});

describe("correctScanCounts", () => {
  const row = (scope: ScopeCount["scope"], pass: number, fail: number): ScopeCount => ({ accountId: "111122223333", scope, ruleId: "r", severity: "high", pass, fail, notEvaluated: 0 });
  const correction = { accountId: "111122223333", ruleId: "r", severity: "high" as const, team: "payments", frameworks: ["cis"] };

  it("a failure muted during the scan leaves its org, team and framework rows; an emptied row is dropped", () => {
    const rows = [row("org", 1, 2), row("team:payments", 0, 1), row("framework:cis", 1, 2)];
    expect(correctScanCounts(rows, [{ ...correction, fail: -1 }])).toEqual([row("org", 1, 1), row("framework:cis", 1, 1)]);
  });

  it("a failure unmuted during the scan comes back, on rows created as the scan's counter would", () => {
    expect(correctScanCounts([row("org", 1, 0)], [{ ...correction, fail: 1 }])).toEqual([row("org", 1, 1), row("team:payments", 0, 1), row("framework:cis", 0, 1)]);
  });

  it("no correction: the rows as they are, and the input is never changed", () => {
    const rows = [row("org", 1, 2)];
    expect(correctScanCounts(rows, [])).toEqual(rows);
    correctScanCounts(rows, [{ ...correction, fail: -1 }]);
    expect(rows).toEqual([row("org", 1, 2)]);
  });
});
