import { describe, expect, it } from "vitest";
import { checkSeverityOverrides, compileSeverityOverrides, describeSeverity, type SeverityOverride } from "../../src/core/severity-overrides.js";

const publicRead = { id: "s3-bucket-public-read", severity: "critical" as const };
const versioning = { id: "s3-bucket-versioning", severity: "medium" as const };
const mfa = { id: "iam-root-mfa", severity: "critical" as const };
const PROD = "111122223333";
const DEV = "444455556666";

const overrides: SeverityOverride[] = [
  { severity: "low", rules: ["s3-bucket-public-read"], tags: { public: "intended" }, reason: "public website, reviewed by security" },
  { severity: "info", rules: ["s3-*"], tags: { Env: ["sandbox", "scratch"] }, reason: "sandbox buckets" },
  { severity: "high", accounts: [PROD], reason: "production" },
];
const effective = compileSeverityOverrides(overrides);

describe("compileSeverityOverrides", () => {
  it.each([
    ["rule id and tag match", publicRead, { accountId: DEV, tags: { public: "intended" } }, "low", "public website, reviewed by security"],
    ["tag keys compare case-insensitively, values trimmed and case-insensitively (as ownership)", publicRead, { accountId: DEV, tags: { PUBLIC: " Intended " } }, "low", "public website, reviewed by security"],
    ["another tag value does not match", publicRead, { accountId: DEV, tags: { public: "no" } }, "critical", undefined],
    ["a glob matches rule ids; any of the listed values", versioning, { accountId: DEV, tags: { env: "Scratch" } }, "info", "sandbox buckets"],
    ["the first match wins over a later account entry", publicRead, { accountId: PROD, tags: { public: "intended" } }, "low", "public website, reviewed by security"],
    ["an account-only entry matches every rule in that account", mfa, { accountId: PROD, tags: {} }, "high", "production"],
    ["an account-only entry raises a medium rule", versioning, { accountId: PROD }, "high", "production"],
    ["nothing matches: the rule's own severity", versioning, { accountId: DEV, tags: { env: "prod" } }, "medium", undefined],
    ["tags that were not collected never match", publicRead, { accountId: DEV, tags: { $unknown: "AccessDenied" } }, "critical", undefined],
    ["absent tags never match a tag condition", publicRead, { accountId: DEV }, "critical", undefined],
  ])("%s", (_name, rule, resource, severity, reason) => {
    const result = effective(rule, resource);
    expect(result.severity).toBe(severity);
    expect(result.override?.reason).toBe(reason);
    if (reason !== undefined) expect(result.override?.ruleSeverity).toBe(rule.severity);
  });

  it("reports no override when the matching entry keeps the rule's own severity, and stops there (first match)", () => {
    const compiled = compileSeverityOverrides([
      { severity: "critical", accounts: [PROD], reason: "same as the rule" },
      { severity: "low", accounts: [PROD], reason: "never reached" },
    ]);
    expect(compiled(publicRead, { accountId: PROD })).toEqual({ severity: "critical" });
  });

  it("every condition of an entry must hold (rule, tags and account together)", () => {
    const compiled = compileSeverityOverrides([{ severity: "low", rules: ["s3-bucket-public-read"], tags: { public: "intended" }, accounts: [DEV], reason: "dev website" }]);
    expect(compiled(publicRead, { accountId: DEV, tags: { public: "intended" } }).severity).toBe("low");
    expect(compiled(publicRead, { accountId: PROD, tags: { public: "intended" } }).severity).toBe("critical");
    expect(compiled(versioning, { accountId: DEV, tags: { public: "intended" } }).severity).toBe("medium");
  });

  it("without overrides, every result keeps its rule's severity", () => {
    expect(compileSeverityOverrides([])(publicRead, { accountId: PROD, tags: { public: "intended" } })).toEqual({ severity: "critical" });
  });
});

describe("checkSeverityOverrides", () => {
  const ids = new Set(["s3-bucket-public-read", "s3-bucket-versioning", "iam-root-mfa"]);

  it("accepts known ids, globs that match a rule and entries without rules", () => {
    expect(checkSeverityOverrides(overrides, ids)).toEqual([]);
  });

  it("names the field of an unknown rule id and of a glob matching no rule", () => {
    expect(checkSeverityOverrides([{ rules: ["s3-bucket-versioning"] }, { rules: ["s3-bucket-publc-read", "ec2-*"] }], ids)).toEqual([
      "severityOverrides[1].rules[0]: unknown rule id \"s3-bucket-publc-read\" (see `posture rules` for the ids)",
      "severityOverrides[1].rules[1]: the glob \"ec2-*\" matches no rule of the catalog (see `posture rules`)",
    ]);
  });
});

describe("describeSeverity", () => {
  it("writes the rule's default and the reason next to an overridden severity, and the bare severity otherwise", () => {
    expect(describeSeverity("high", { ruleSeverity: "critical", reason: "public website" })).toBe("high (rule default: critical) — public website");
    expect(describeSeverity("high", undefined)).toBe("high");
  });
});
