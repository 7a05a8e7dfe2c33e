import { describe, expect, it } from "vitest";
import { authorizeFix } from "../../src/app/fix-authorization.js";
import {
  configuredUserGroups, decideWithFreshGroups, fixPolicyOf, liveView, membershipOf, NO_LOOKUPS, type ConfiguredMembership, type UserGroupLookups,
} from "../../src/app/memberships.js";
import { mutePolicyOf } from "../../src/app/mutes.js";
import { loadConfig } from "../../src/config.js";
import type { Membership } from "../../src/core/group-membership.js";

const lookups: UserGroupLookups = new Map([
  ["S0APPROVE1", { resolved: true, members: ["U0BOB00001", "U0CAROL001"] }],
  ["S0EMPTY001", { resolved: true, members: [] }],
  ["S0NOSCOPE1", { resolved: false, problem: "the bot token lacks the usergroups:read scope" }],
]);

describe("membershipOf: configured ids ∪ the resolved group's members", () => {
  it.each<[string, ConfiguredMembership, Membership]>([
    ["ids only", { members: ["U0ALICE001"] }, { members: ["U0ALICE001"] }],
    ["a resolved group adds its members", { members: [], userGroup: "S0APPROVE1" }, { members: ["U0BOB00001", "U0CAROL001"], userGroup: { id: "S0APPROVE1", resolved: true } }],
    ["ids and a group, each member once", { members: ["U0ALICE001", "U0BOB00001"], userGroup: "S0APPROVE1" },
      { members: ["U0ALICE001", "U0BOB00001", "U0CAROL001"], userGroup: { id: "S0APPROVE1", resolved: true } }],
    ["an empty group adds nobody but is resolved", { members: [], userGroup: "S0EMPTY001" }, { members: [], userGroup: { id: "S0EMPTY001", resolved: true } }],
    ["an unresolved group adds nobody and keeps its problem", { members: ["U0ALICE001"], userGroup: "S0NOSCOPE1" },
      { members: ["U0ALICE001"], userGroup: { id: "S0NOSCOPE1", resolved: false, problem: "the bot token lacks the usergroups:read scope" } }],
    ["a group never looked up grants nobody", { members: [], userGroup: "S0NEVER001" },
      { members: [], userGroup: { id: "S0NEVER001", resolved: false, problem: expect.stringContaining("has not looked it up yet") } }],
  ])("%s", (_name, configured, expected) => {
    expect(membershipOf(configured, lookups)).toEqual(expected);
  });
});

describe("policies from the configuration", () => {
  const config = loadConfig({}, {
    path: "posture.config.yml",
    text: [
      "teams:", "  - { handle: payments, channel: '#payments', members: [U0ALICE001] }", "  - { handle: data, channel: '#data', userGroup: S0DATA0001 }",
      "securityTeam: { members: [U0SEC00001], userGroup: S0SECURIT1 }", "mutes: { approvers: { userGroup: S0APPROVE1 } }", "",
    ].join("\n"),
  });
  const resolved: UserGroupLookups = new Map([
    ["S0DATA0001", { resolved: true, members: ["U0DANA0001"] }], ["S0SECURIT1", { resolved: true, members: ["U0SEC00002"] }], ["S0APPROVE1", { resolved: true, members: ["U0BOB00001"] }],
  ]);

  it("names every configured group once", () => {
    expect(configuredUserGroups(config)).toEqual(["S0DATA0001", "S0SECURIT1", "S0APPROVE1"]);
  });

  it("the mute policy holds effective memberships", () => {
    expect(mutePolicyOf(config, resolved)).toMatchObject({
      teams: [{ handle: "payments", members: ["U0ALICE001"] }, { handle: "data", members: ["U0DANA0001"] }],
      securityTeam: { members: ["U0SEC00001", "U0SEC00002"] }, approvers: { members: ["U0BOB00001"] },
    });
    expect(mutePolicyOf(config).approvers).toMatchObject({ members: [], userGroup: { id: "S0APPROVE1", resolved: false } });
  });

  it.each<[string, string, string, boolean]>([
    ["a data group member fixes a data finding", "U0DANA0001", "data", true],
    ["a security group member fixes any finding", "U0SEC00002", "payments", true],
    ["an approver-group member is not a fixer", "U0BOB00001", "data", false],
  ])("the fix policy: %s", (_name, user, team, allowed) => {
    expect(authorizeFix(fixPolicyOf(config, resolved), user, team).allowed).toBe(allowed);
  });
});

describe("liveView", () => {
  it("derives once per lookups snapshot", () => {
    let current: UserGroupLookups = NO_LOOKUPS;
    let derived = 0;
    const view = liveView(() => current, (l) => ({ size: l.size, n: ++derived }));
    expect(view()).toBe(view());
    current = lookups;
    expect(view()).toEqual({ size: 3, n: 2 });
    expect(derived).toBe(2);
  });
});

describe("decideWithFreshGroups", () => {
  const refusal = (userGroups?: string[]) => ({ ok: false as const, code: "not_an_approver", reason: "no", ...(userGroups ? { userGroups } : {}) });

  it.each<[string, { ok: boolean; userGroups?: string[] }[], boolean, string[][], boolean]>([
    ["an allowed decision asks nothing", [{ ok: true }], true, [], true],
    ["a refusal without groups asks nothing", [refusal()], true, [], false],
    ["a refusal on groups re-reads them and asks again", [refusal(["S0APPROVE1"]), { ok: true }], true, [["S0APPROVE1"]], true],
    ["nothing changed: the first refusal stands without asking again", [refusal(["S0APPROVE1"]), { ok: true }], false, [["S0APPROVE1"]], false],
  ])("%s", async (_name, answers, changed, expectedRefreshes, ok) => {
    const refreshes: string[][] = [];
    let asked = 0;
    const result = await decideWithFreshGroups(() => answers[asked++]!, { refreshNow: async (ids) => (refreshes.push([...ids]), changed) });
    expect(result.ok).toBe(ok);
    expect(refreshes).toEqual(expectedRefreshes);
  });

  it("without a refresher (console transport) the decision stands", async () => {
    expect(await decideWithFreshGroups(() => refusal(["S0APPROVE1"]), undefined)).toMatchObject({ ok: false });
  });
});
