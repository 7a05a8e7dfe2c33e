import { describe, expect, it } from "vitest";
import { findingKey, type FailFacts, type StoredFinding } from "../../src/core/findings.js";
import { createLifecycleFold, diffEvaluation, diffMissingResource, transitionOf, type FindingChange, type Observation } from "../../src/core/lifecycle.js";

const NOW = "2026-11-10T00:00:00.000Z";
const facts: FailFacts = {
  ruleId: "r", ruleVersion: "v2", severity: "high", team: "payments", ownerReason: "tag team=payments", evidence: [], qualifiers: [],
  resource: { arn: "arn:aws:s3:::b", type: "aws:s3:bucket", name: "b", accountId: "111122223333", region: "eu-west-1" },
};
const stored = (status: StoredFinding["status"], extra: Partial<StoredFinding> = {}): StoredFinding => ({
  id: 7, ruleId: "r", resourceArn: "arn:aws:s3:::b", accountId: "111122223333", severity: "high", team: "payments", status, reopenCount: 0,
  exposureSeconds: 0, openedAt: status === "open" ? "2026-11-09T00:00:00.000Z" : null, resolvedAt: status === "resolved" ? "2026-11-08T00:00:00.000Z" : null, ...extra,
});
const fail: Observation = { status: "fail", facts };
const pass: Observation = { status: "pass" };
const notEvaluated: Observation = { status: "not_evaluated" };

describe("diffEvaluation", () => {
  it.each<[string, StoredFinding | undefined, Observation, Partial<FindingChange> | undefined]>([
    ["fail with no finding: new", undefined, fail, { kind: "new" }],
    ["pass with no finding: nothing", undefined, pass, undefined],
    ["not evaluated with no finding: nothing", undefined, notEvaluated, undefined],
    ["fail on open: still failing (evidence refreshed)", stored("open"), fail, { kind: "still_failing" }],
    ["pass on open: resolved, exposure = time open", stored("open"), pass, { kind: "resolved", reason: "passed", exposureSeconds: 86_400 }],
    ["pass on open adds earlier exposure", stored("open", { exposureSeconds: 100 }), pass, { kind: "resolved", exposureSeconds: 86_500 }],
    ["not evaluated on open: unchanged", stored("open"), notEvaluated, undefined],
    ["fail on resolved: reopened, count + 1, resolved for 2 days", stored("resolved", { reopenCount: 2 }), fail, { kind: "reopened", reopenCount: 3, closedSeconds: 172_800 }],
    ["pass on resolved: nothing", stored("resolved"), pass, undefined],
    ["not evaluated on resolved: unchanged", stored("resolved"), notEvaluated, undefined],
    ["fail on muted: stays muted, result recorded", stored("muted"), fail, { kind: "muted_evaluated", result: "fail" }],
    ["pass on muted: stays muted, result recorded", stored("muted"), pass, { kind: "muted_evaluated", result: "pass" }],
    ["not evaluated on muted: unchanged", stored("muted"), notEvaluated, undefined],
  ])("%s", (_name, finding, observed, expected) => {
    const change = diffEvaluation(finding, observed, NOW);
    if (expected === undefined) expect(change).toBeUndefined();
    else expect(change).toMatchObject(expected);
  });
});

describe("diffMissingResource (resource gone from a complete collection)", () => {
  it.each<[string, StoredFinding, Partial<FindingChange> | undefined]>([
    ["open: resolved as resource deleted", stored("open"), { kind: "resolved", reason: "resource deleted", exposureSeconds: 86_400 }],
    ["muted: stays muted, result deleted", stored("muted"), { kind: "muted_evaluated", result: "deleted" }],
    ["resolved: nothing", stored("resolved"), undefined],
  ])("%s", (_name, finding, expected) => {
    const change = diffMissingResource(finding, NOW);
    if (expected === undefined) expect(change).toBeUndefined();
    else expect(change).toMatchObject(expected);
  });
});

describe("createLifecycleFold", () => {
  const other = (arn: string, accountId: string): StoredFinding => ({ ...stored("open"), id: 8, resourceArn: arn, accountId });
  const findings = new Map([
    [findingKey("r", "arn:aws:s3:::gone"), other("arn:aws:s3:::gone", "111122223333")],
    [findingKey("r", "arn:aws:s3:::gone-but-account-failed"), other("arn:aws:s3:::gone-but-account-failed", "444455556666")],
    [findingKey("r", "arn:aws:s3:::present"), other("arn:aws:s3:::present", "111122223333")],
  ]);

  it("resolves missing resources only in completely collected accounts, and never touches present ones it did not evaluate", () => {
    const fold = createLifecycleFold(findings, NOW);
    const changes = fold.finish(new Set(["arn:aws:s3:::present"]), new Set(["111122223333"]));
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ kind: "resolved", reason: "resource deleted", finding: { resourceArn: "arn:aws:s3:::gone" } });
  });

  it("builds failure facts only for failures and returns the stored finding", () => {
    const fold = createLifecycleFold(findings, NOW);
    let built = 0;
    const make = () => ((built += 1), facts);
    expect(fold.add("r", "arn:aws:s3:::present", "pass", make)?.id).toBe(8);
    expect(fold.add("r", "arn:aws:s3:::elsewhere", "pass", make)).toBeUndefined();
    fold.add("r", "arn:aws:s3:::new", "fail", make);
    expect(built).toBe(1);
    expect(fold.finish(new Set(["arn:aws:s3:::present", "arn:aws:s3:::gone", "arn:aws:s3:::new"]), new Set()).map(transitionOf)).toEqual(["resolved", "new"]);
  });
});
