import { describe, expect, it } from "vitest";
import { compileOwnership, globToRegExp, UNOWNED_REASON, type OwnershipOverride, type OwnershipPolicy } from "../../src/core/ownership.js";

const policy: OwnershipPolicy = {
  tagKeys: ["team", "owner"],
  teams: [
    { handle: "payments", channel: "#payments", match: { tags: ["pay", "Billing"], accounts: ["111122223333"], arns: ["arn:aws:s3:::pay-*"], names: [] } },
    { handle: "data", channel: "#data", match: { tags: [], accounts: ["444455556666"], arns: [], names: ["data-*", "warehouse-??"] } },
    { handle: "platform", channel: "#platform", match: { tags: [], accounts: [], arns: ["arn:aws:iam::*:role/platform-*"], names: ["data-raw*"] } },
  ],
};
const overrides = new Map<string, OwnershipOverride>([
  ["arn:aws:s3:::overridden", { resourceArn: "arn:aws:s3:::overridden", team: "platform", setBy: "U0123ABCD", setAt: "2026-10-01T09:00:00.000Z" }],
  ["arn:aws:s3:::stale-override", { resourceArn: "arn:aws:s3:::stale-override", team: "disbanded", setBy: "U0123ABCD", setAt: "2026-10-01T09:00:00.000Z" }],
]);
const decide = compileOwnership(policy, overrides);
const r = (name: string, extra: { arn?: string; accountId?: string; tags?: unknown } = {}) => ({ arn: extra.arn ?? `arn:aws:s3:::${name}`, name, accountId: extra.accountId ?? "999999999999", tags: extra.tags });

describe("compileOwnership: override, tags, account, ARN, name, else unowned", () => {
  it.each<[string, ReturnType<typeof r>, string | null, string]>([
    ["an override beats tags", r("overridden", { tags: { team: "payments" } }), "platform", "override by U0123ABCD on 2026-10-01"],
    ["an override naming a team no longer configured is ignored", r("stale-override", { tags: { team: "data" } }), "data", "tag team=data"],
    ["tag team= the handle", r("x", { tags: { team: "payments" } }), "payments", "tag team=payments"],
    ["tag values and keys are case-insensitive", r("x", { tags: { Team: "PAYMENTS" } }), "payments", "tag Team=PAYMENTS"],
    ["a tag alias of the team", r("x", { tags: { owner: "billing" } }), "payments", "tag owner=billing"],
    ["the first tag key wins over the second", r("x", { tags: { owner: "data", team: "pay" } }), "payments", "tag team=pay"],
    ["an unknown tag value falls through to the next matcher", r("x", { tags: { team: "marketing" }, accountId: "444455556666" }), "data", "account 444455556666"],
    ["tags that failed to collect fall through", r("x", { tags: { $unknown: "AccessDenied" }, accountId: "111122223333" }), "payments", "account 111122223333"],
    ["tags beat the account", r("x", { tags: { team: "data" }, accountId: "111122223333" }), "data", "tag team=data"],
    ["the account beats ARN patterns", r("pay-ledger", { accountId: "444455556666" }), "data", "account 444455556666"],
    ["an ARN pattern", r("pay-ledger"), "payments", "ARN matches arn:aws:s3:::pay-*"],
    ["an ARN pattern across accounts", r("platform-ci", { arn: "arn:aws:iam::123456789012:role/platform-ci" }), "platform", "ARN matches arn:aws:iam::*:role/platform-*"],
    ["a name pattern, first team in order wins", r("data-raw-events"), "data", "name matches data-*"],
    ["? matches exactly one character", r("warehouse-01"), "data", "name matches warehouse-??"],
    ["? does not match two", r("warehouse-001"), null, UNOWNED_REASON],
    ["nothing matches: unowned", r("misc"), null, UNOWNED_REASON],
  ])("%s", (_name, resource, team, reason) => {
    expect(decide(resource)).toMatchObject({ team, reason });
  });
});

describe("globToRegExp", () => {
  it.each([
    ["data-*", "data-lake", true],
    ["data-*", "xdata-lake", false],
    ["a.b", "axb", false],
    ["arn:aws:s3:::logs-(prod)", "arn:aws:s3:::logs-(prod)", true],
    ["Data-*", "data-x", true],
  ])("%s on %s: %s", (glob, value, expected) => {
    expect(globToRegExp(glob).test(value)).toBe(expected);
  });
});
