import { describe, expect, it } from "vitest";
import { authorizeFix, type FixAuthorizationPolicy } from "../../src/app/fix-authorization.js";

const policy: FixAuthorizationPolicy = {
  teams: [
    { handle: "payments", members: ["U0ALICE001"] },
    { handle: "data", members: [], userGroup: "S0DATA0001" },
  ],
  securityTeam: { members: ["U0SEC00001"] },
};

describe("authorizeFix", () => {
  it.each([
    ["a member of the owning team", "U0ALICE001", "payments", { allowed: true, as: "owning_team" }],
    ["the security team on another team's finding", "U0SEC00001", "payments", { allowed: true, as: "security_team" }],
    ["the security team on an unowned finding", "U0SEC00001", null, { allowed: true, as: "security_team" }],
  ] as const)("allows %s", (_name, user, team, expected) => {
    expect(authorizeFix(policy, user, team)).toEqual(expected);
  });

  it.each([
    ["a member of another team", "U0ALICE001", "data", "belongs to team data"],
    ["anyone on an unowned finding", "U0ALICE001", null, "no team owns this finding"],
    ["anyone when the finding's team left the configuration", "U0ALICE001", "gone", "its team gone is no longer configured"],
    ["a user of a team given only as a user group (unverifiable offline)", "U0BOB00001", "data", "S0DATA0001 cannot be checked"],
  ])("refuses %s, saying why", (_name, user, team, reason) => {
    const result = authorizeFix(policy, user, team);
    expect(result.allowed).toBe(false);
    expect(result.allowed === false && result.reason).toContain(reason);
  });
});
