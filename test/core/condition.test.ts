import { describe, expect, it } from "vitest";
import { conditionSchema, evaluateCondition, resolvePath, topLevelPaths, type Condition, type ConditionContext } from "../../src/core/condition.js";

const now = new Date("2026-06-01T00:00:00Z");
const ctx: ConditionContext = {
  now,
  runCheck: (name) => {
    if (name === "alwaysFails") return { status: "fail", evidence: [{ path: "x", expected: "y", observed: "z" }] };
    return { status: "unknown", evidence: [], reason: "named: unknown" };
  },
};
const evaluate = (condition: Condition, subject: unknown) => evaluateCondition(conditionSchema.parse(condition), subject, ctx);

describe("leaf operators", () => {
  it.each<[string, Condition, unknown, string]>([
    ["equals passes on the same value", { path: "a", equals: "Enabled" }, { a: "Enabled" }, "pass"],
    ["equals fails on another value", { path: "a", equals: "Enabled" }, { a: "Suspended" }, "fail"],
    ["equals null matches a known absence below the top", { path: "a.b", equals: null }, { a: {} }, "pass"],
    ["in passes on a member", { path: "a", in: ["x", "y"] }, { a: "y" }, "pass"],
    ["in fails on a non-member", { path: "a", in: ["x", "y"] }, { a: "z" }, "fail"],
    ["exists true passes on a value", { path: "a", exists: true }, { a: 0 }, "pass"],
    ["exists true fails on null (not configured)", { path: "a", exists: true }, { a: null }, "fail"],
    ["exists false passes on null", { path: "a", exists: false }, { a: null }, "pass"],
    ["matches passes on a matching string", { path: "a", matches: "^arn:aws:iam::\\d+:root$" }, { a: "arn:aws:iam::123456789012:root" }, "pass"],
    ["matches fails on a non-string", { path: "a", matches: "x" }, { a: 1 }, "fail"],
    ["gte passes at the bound", { path: "p.len", gte: 14 }, { p: { len: 14 } }, "pass"],
    ["gte fails below", { path: "p.len", gte: 14 }, { p: { len: 8 } }, "fail"],
    ["gte fails on a known absence (no password policy)", { path: "p.len", gte: 14 }, { p: null }, "fail"],
    ["lte passes below", { path: "a", lte: 90 }, { a: 30 }, "pass"],
    ["lte fails on absent", { path: "a.b", lte: 90 }, { a: {} }, "fail"],
    ["olderThanDays passes on an old date", { path: "a", olderThanDays: 90 }, { a: "2026-01-01T00:00:00Z" }, "pass"],
    ["olderThanDays fails on a recent date", { path: "a", olderThanDays: 90 }, { a: "2026-05-20T00:00:00Z" }, "fail"],
    ["olderThanDays fails on null (never)", { path: "a", olderThanDays: 90 }, { a: null }, "fail"],
    ["newerThanDays passes on a recent date", { path: "a", newerThanDays: 1 }, { a: "2026-05-31T12:00:00Z" }, "pass"],
  ])("%s", (_name, condition, subject, expected) => {
    expect(evaluate(condition, subject).status).toBe(expected);
  });
});

describe("unknown attributes", () => {
  it.each<[string, Condition, unknown]>([
    ["a top-level attribute that was not collected", { path: "versioning.status", equals: "Enabled" }, {}],
    ["an attribute whose call failed", { path: "versioning.status", equals: "Enabled" }, { versioning: { $unknown: "AccessDenied: no" } }],
    ["exists on an unknown", { path: "policy", exists: false }, { policy: { $unknown: "Throttling: slow down" } }],
    ["not of an unknown", { not: { path: "a", equals: 1 } }, { a: { $unknown: "AccessDenied" } }],
    ["every over an unknown list", { path: "keys", every: { path: "active", equals: false } }, { keys: { $unknown: "AccessDenied" } }],
  ])("%s is never a pass", (_name, condition, subject) => {
    const outcome = evaluate(condition, subject);
    expect(outcome.status).toBe("unknown");
    expect(outcome.reason).toBeTruthy();
  });

  it("names the attribute and the collector's reason", () => {
    const outcome = evaluate({ path: "acl.grants", exists: true }, { acl: { $unknown: "AccessDenied: Access Denied" } });
    expect(outcome.reason).toBe("acl: AccessDenied: Access Denied");
  });
});

describe("three-valued combinators", () => {
  const unknownA = { a: { $unknown: "AccessDenied" }, b: 1 };
  it.each<[string, Condition, unknown, string]>([
    ["all: a known failure decides even beside an unknown", { all: [{ path: "a", equals: 1 }, { path: "b", equals: 2 }] }, unknownA, "fail"],
    ["all: unknown and pass is unknown", { all: [{ path: "a", equals: 1 }, { path: "b", equals: 1 }] }, unknownA, "unknown"],
    ["any: a known pass decides even beside an unknown", { any: [{ path: "a", equals: 1 }, { path: "b", equals: 1 }] }, unknownA, "pass"],
    ["any: unknown and fail is unknown", { any: [{ path: "a", equals: 1 }, { path: "b", equals: 2 }] }, unknownA, "unknown"],
    ["not inverts a known result", { not: { path: "b", equals: 1 } }, unknownA, "fail"],
    ["use delegates to the named check", { use: "alwaysFails" }, {}, "fail"],
  ])("%s", (_name, condition, subject, expected) => {
    expect(evaluate(condition, subject).status).toBe(expected);
  });
});

describe("quantifiers", () => {
  const keys = { keys: [{ active: true, rotated: "2026-05-01T00:00:00Z" }, { active: false, rotated: "2020-01-01T00:00:00Z" }] };
  it.each<[string, Condition, unknown, string]>([
    ["every passes when each item passes", { path: "keys", every: { any: [{ path: "active", equals: false }, { path: "rotated", newerThanDays: 90 }] } }, keys, "pass"],
    ["every fails when one item fails", { path: "keys", every: { path: "active", equals: true } }, keys, "fail"],
    ["every passes on an empty list", { path: "keys", every: { path: "active", equals: true } }, { keys: [] }, "pass"],
    ["some passes when one item passes", { path: "keys", some: { path: "active", equals: false } }, keys, "pass"],
    ["some fails on an empty list", { path: "keys", some: { path: "active", equals: true } }, { keys: [] }, "fail"],
    ["some over primitives with a relative path", { path: "serials", some: { matches: "root-account-mfa-device$" } }, { serials: ["arn:aws:iam::1:mfa/root-account-mfa-device"] }, "pass"],
    ["count within bounds passes", { path: "keys", count: { where: { path: "active", equals: true }, lte: 1 } }, keys, "pass"],
    ["count above the bound fails", { path: "keys", count: { where: { path: "active", equals: true }, lte: 0 } }, keys, "fail"],
    ["count of a plain list", { path: "roles", count: { gte: 1 } }, { roles: [] }, "fail"],
    ["count with an unknown item that cannot change the verdict", { path: "keys", count: { where: { path: "active", equals: true }, lte: 5 } }, { keys: [{ active: { $unknown: "x" } }, { active: true }] }, "pass"],
    ["count with an unknown item that could change the verdict", { path: "keys", count: { where: { path: "active", equals: true }, lte: 1 } }, { keys: [{ active: { $unknown: "x" } }, { active: true }] }, "unknown"],
  ])("%s", (_name, condition, subject, expected) => {
    expect(evaluate(condition, subject).status).toBe(expected);
  });

  it("reports the failing item's path as evidence", () => {
    const outcome = evaluate({ path: "keys", every: { path: "active", equals: false } }, keys);
    expect(outcome.evidence).toEqual([{ path: "keys[0].active", expected: "equals false", observed: true }]);
  });
});

describe("schema and paths", () => {
  it.each<[string, unknown]>([
    ["two operators in one leaf", { path: "a", equals: 1, gte: 2 }],
    ["no operator", { path: "a" }],
    ["an invalid regex", { path: "a", matches: "(" }],
    ["an unknown operator", { path: "a", contains: "x" }],
    ["an empty all", { all: [] }],
  ])("rejects %s", (_name, condition) => {
    expect(conditionSchema.safeParse(condition).success).toBe(false);
  });

  it("lists the top-level attributes and named checks a condition reads", () => {
    const condition = conditionSchema.parse({
      all: [{ path: "credentials.accessKeys", every: { path: "active", equals: false } }, { not: { path: "tags.team", exists: true } }, { use: "s3PublicAcl" }],
    });
    expect(topLevelPaths(condition)).toEqual({ paths: ["credentials", "tags"], checks: ["s3PublicAcl"] });
  });

  it("distinguishes not collected, failed and known absence", () => {
    expect(resolvePath({}, "policy", true)).toEqual({ known: false, reason: "policy: not collected" });
    expect(resolvePath({ policy: { $unknown: "AccessDenied" } }, "policy.Statement", true)).toEqual({ known: false, reason: "policy: AccessDenied" });
    expect(resolvePath({ policy: null }, "policy.Statement", true)).toEqual({ known: true, value: undefined });
  });
});
