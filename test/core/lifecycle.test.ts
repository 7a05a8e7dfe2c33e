import { describe, expect, it } from "vitest";
import { findingKey, type FailFacts, type StoredFinding } from "../../src/core/findings.js";
import {
  completeInventoriesOf, createLifecycleFold, diffEvaluation, diffMissingResource, inventoryKey, transitionOf, type FindingChange, type Observation,
} from "../../src/core/lifecycle.js";
import type { AccountCoverage } from "../../src/core/snapshot.js";

const NOW = "2026-11-10T00:00:00.000Z";
const facts: FailFacts = {
  ruleId: "r", ruleVersion: "v2", severity: "high", team: "payments", ownerReason: "tag team=payments", evidence: [], qualifiers: [],
  resource: { arn: "arn:aws:s3:::b", type: "aws:s3:bucket", name: "b", accountId: "111122223333", region: "eu-west-1" },
};
const stored = (status: StoredFinding["status"], extra: Partial<StoredFinding> = {}): StoredFinding => ({
  id: 7, ruleId: "r", resourceArn: "arn:aws:s3:::b", accountId: "111122223333", resourceType: "aws:s3:bucket", severity: "high", team: "payments", status, reopenCount: 0,
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
    ["pass on muted: resolved (a fixed risk needs no mute)", stored("muted", { openedAt: "2026-11-09T00:00:00.000Z" }), pass, { kind: "resolved", reason: "passed", exposureSeconds: 86_400 }],
    ["not evaluated on muted: unchanged", stored("muted"), notEvaluated, undefined],
  ])("%s", (_name, finding, observed, expected) => {
    const change = diffEvaluation(finding, observed, NOW);
    if (expected === undefined) expect(change).toBeUndefined();
    else expect(change).toMatchObject(expected);
  });

  it.each<[string, StoredFinding | undefined, Observation, Partial<FindingChange> | undefined]>([
    ["fail with no finding under an active mute: new, muted", undefined, fail, { kind: "new", muteId: "m1" }],
    ["fail on open under an active mute: muted", stored("open"), fail, { kind: "muted", muteId: "m1" }],
    ["fail on resolved under an active mute: muted, not reopened", stored("resolved"), fail, { kind: "muted", muteId: "m1" }],
    ["fail on muted: stays muted", stored("muted"), fail, { kind: "muted_evaluated", result: "fail" }],
    ["pass on open under a mute: resolved as usual", stored("open"), pass, { kind: "resolved" }],
  ])("with an active mute: %s", (_name, finding, observed, expected) => {
    const change = diffEvaluation(finding, observed, NOW, "m1");
    if (expected === undefined) expect(change).toBeUndefined();
    else expect(change).toMatchObject(expected);
  });
});

describe("diffMissingResource (resource gone from a complete collection)", () => {
  it.each<[string, StoredFinding, Partial<FindingChange> | undefined]>([
    ["open: resolved as resource deleted", stored("open"), { kind: "resolved", reason: "resource deleted", exposureSeconds: 86_400 }],
    ["muted: resolved as resource deleted", stored("muted"), { kind: "resolved", reason: "resource deleted" }],
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

  it("resolves missing resources only in complete inventories, and never touches present ones it did not evaluate", () => {
    const fold = createLifecycleFold(findings, NOW);
    const changes = fold.finish(new Set(["arn:aws:s3:::present"]), new Set([inventoryKey("111122223333", "aws:s3:bucket")]));
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

describe("deletion is decided per account x resource type", () => {
  const user = (name: string, accountId = "111122223333"): StoredFinding =>
    ({ ...stored("open"), id: 9, resourceArn: `arn:aws:iam::${accountId}:user/${name}`, accountId, resourceType: "aws:iam:user" });
  const gone = new Map([
    [findingKey("r", "arn:aws:s3:::gone"), { ...stored("open"), resourceArn: "arn:aws:s3:::gone" }],
    [findingKey("r", "arn:aws:iam::111122223333:user/alice"), user("alice")],
  ]);
  const resolvedArns = (complete: string[]) =>
    createLifecycleFold(gone, NOW).finish(new Set(), new Set(complete)).map((c) => (c.kind === "resolved" ? c.finding.resourceArn : c.kind));

  it.each<[string, string[], string[]]>([
    ["a bucket-only inventory (a --rule scan of bucket rules) deletes the bucket, not the user", [inventoryKey("111122223333", "aws:s3:bucket")], ["arn:aws:s3:::gone"]],
    ["a user inventory deletes the user only", [inventoryKey("111122223333", "aws:iam:user")], ["arn:aws:iam::111122223333:user/alice"]],
    ["another account's complete inventories delete nothing here", [inventoryKey("444455556666", "aws:s3:bucket"), inventoryKey("444455556666", "aws:iam:user")], []],
    ["no complete inventory deletes nothing", [], []],
  ])("%s", (_name, complete, expected) => {
    expect(resolvedArns(complete)).toEqual(expected);
  });

  const coverage = (status: AccountCoverage["status"], resourceTypes?: AccountCoverage["resourceTypes"]): AccountCoverage =>
    ({ accountId: "111122223333", regions: [], status, startedAt: NOW, finishedAt: NOW, apiCalls: {}, errors: [], ...(resourceTypes ? { resourceTypes } : {}) });
  it.each<[string, AccountCoverage, string[]]>([
    ["declared types of an ok account", coverage("ok", ["aws:s3:bucket", "aws:iam:user"]), ["aws:s3:bucket", "aws:iam:user"]],
    ["declared types of a partial account (a listing succeeded, an attribute failed)", coverage("partial", ["aws:s3:bucket"]), ["aws:s3:bucket"]],
    ["an older snapshot without resourceTypes: nothing is complete", coverage("ok"), []],
    ["a failed account: nothing", coverage("failed", ["aws:s3:bucket"]), []],
  ])("completeInventoriesOf: %s", (_name, account, types) => {
    expect(completeInventoriesOf([account])).toEqual(types.map((type) => ({ accountId: "111122223333", type })));
  });
});
