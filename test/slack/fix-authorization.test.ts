import { describe, expect, it } from "vitest";
import { authorizeFix, type FixAuthorizationPolicy } from "../../src/app/fix-authorization.js";

const policy: FixAuthorizationPolicy = {
  teams: [
    { handle: "payments", members: ["U0ALICE001"] },
    // Effective memberships: a resolved group's members are merged in by memberships.ts.
    { handle: "data", members: ["U0DANA0001"], userGroup: { id: "S0DATA0001", resolved: true } },
    { handle: "web", members: [], userGroup: { id: "S0WEB00001", resolved: false, problem: "the bot token lacks the usergroups:read scope: add it and reinstall the app" } },
  ],
  securityTeam: { members: ["U0SEC00001"] },
};

describe("authorizeFix", () => {
  it.each([
    ["a member of the owning team", "U0ALICE001", "payments", { allowed: true, as: "owning_team" }],
    ["a member of the owning team's resolved user group", "U0DANA0001", "data", { allowed: true, as: "owning_team" }],
    ["the security team on another team's finding", "U0SEC00001", "payments", { allowed: true, as: "security_team" }],
    ["the security team on an unowned finding", "U0SEC00001", null, { allowed: true, as: "security_team" }],
  ] as const)("allows %s", (_name, user, team, expected) => {
    expect(authorizeFix(policy, user, team)).toEqual(expected);
  });

  it.each([
    ["a member of another team", "U0ALICE001", "data", "belongs to team data"],
    ["anyone on an unowned finding", "U0ALICE001", null, "no team owns this finding"],
    ["anyone when the finding's team left the configuration", "U0ALICE001", "gone", "its team gone is no longer configured"],
    ["a user outside the owning team's user group, naming the group checked", "U0BOB00001", "data", "not a member of the Slack user group S0DATA0001 (team data)"],
    ["a user of a team whose group could not be resolved, saying what to fix", "U0BOB00001", "web", "S0WEB00001 (teams[2].userGroup) could not be resolved, so it grants nobody: the bot token lacks the usergroups:read scope"],
  ])("refuses %s, saying why", (_name, user, team, reason) => {
    const result = authorizeFix(policy, user, team);
    expect(result.allowed).toBe(false);
    expect(result.allowed === false && result.reason).toContain(reason);
  });

  it.each([
    ["the owning team's group", "data", ["S0DATA0001"]],
    ["no group involved", "payments", undefined],
  ])("a refusal names the user groups to re-read: %s", (_name, team, groups) => {
    const result = authorizeFix(policy, "U0BOB00001", team);
    expect(result.allowed === false && result.userGroups).toEqual(groups);
  });
});
