import { describe, expect, it } from "vitest";
import type { Membership } from "../../src/core/group-membership.js";
import { authorizeMuteDecision, authorizeMuteRequest, authorizeMuteRevocation, type MutePolicy } from "../../src/core/mutes.js";

/** Effective memberships as memberships.ts builds them: a resolved group's members are already merged in. */
const resolved = (id: string, members: string[]): Membership => ({ members, userGroup: { id, resolved: true } });
const unresolved = (id: string, problem: string, members: string[] = []): Membership => ({ members, userGroup: { id, resolved: false, problem } });
const MISSING_SCOPE = "the bot token lacks the usergroups:read scope: add it to the app's bot scopes (manifest.yml) and reinstall the app";

const policy = (parts: Partial<Pick<MutePolicy, "teams" | "securityTeam" | "approvers">>): MutePolicy => ({
  teams: [{ handle: "payments", members: ["UPAY1"] }, { handle: "data", ...resolved("S0DATA0001", ["UDATA1"]) }],
  securityTeam: { members: ["USEC1"] },
  approvers: { members: ["UAPP1"] },
  maxDays: 90,
  allowPermanent: false,
  ...parts,
});
const pending = { state: "pending" as const, requestedBy: "UPAY1", decidedBy: null };

describe("authorizeMuteRequest with user groups", () => {
  it.each<[string, MutePolicy, string, string | null, { ok: boolean; says?: string[]; userGroups?: string[] }]>([
    ["a member of the owning team's resolved group may request", policy({}), "UDATA1", "data", { ok: true }],
    ["a member of the security team's resolved group may request", policy({ securityTeam: resolved("S0SECURIT1", ["USEC1", "USECG1"]) }), "USECG1", "data", { ok: true }],
    ["outside the owning team's group: refused, naming the group checked", policy({}), "UPAY1", "data",
      { ok: false, says: ["not a member of the Slack user group S0DATA0001 (team data)"], userGroups: ["S0DATA0001"] }],
    ["an unresolved team group grants nobody and says what to fix", policy({ teams: [{ handle: "data", ...unresolved("S0DATA0001", MISSING_SCOPE) }] }), "UDATA1", "data",
      { ok: false, says: ["S0DATA0001 (teams[0].userGroup) could not be resolved", "usergroups:read", "reinstall"], userGroups: ["S0DATA0001"] }],
    ["both groups checked are named", policy({ securityTeam: resolved("S0SECURIT1", ["USEC1"]) }), "UPAY1", "data",
      { ok: false, says: ["S0DATA0001 (team data)", "S0SECURIT1 (security team)"], userGroups: ["S0DATA0001", "S0SECURIT1"] }],
    ["no group configured: nothing to re-read", policy({}), "UDATA1", "payments", { ok: false, says: ["it belongs to team payments"] }],
  ])("%s", (_name, p, user, team, expected) => {
    const result = authorizeMuteRequest(p, user, team);
    expect(result.ok).toBe(expected.ok);
    if (result.ok) return;
    for (const text of expected.says ?? []) expect(result.reason).toContain(text);
    expect(result.userGroups).toEqual(expected.userGroups);
  });
});

describe("authorizeMuteDecision with an approvers group", () => {
  it.each<[string, Membership, string, { code?: string; says?: string[]; userGroups?: string[] }]>([
    ["a member of the resolved approvers group decides", resolved("S0APPROVE1", ["UAPP1", "UGRP1"]), "UGRP1", {}],
    ["a configured id still decides beside the group", resolved("S0APPROVE1", ["UAPP1", "UGRP1"]), "UAPP1", {}],
    ["outside the group: refused, naming the group", resolved("S0APPROVE1", ["UGRP1"]), "UOTHER1",
      { code: "not_an_approver", says: ["not a member of the Slack user group S0APPROVE1 (approvers)"], userGroups: ["S0APPROVE1"] }],
    ["an unresolved group grants nobody and says what to fix", unresolved("S0APPROVE1", "Slack knows no user group S0APPROVE1 (no_such_subteam): check the id"), "UGRP1",
      { code: "not_an_approver", says: ["S0APPROVE1 (mutes.approvers.userGroup) could not be resolved, so it grants nobody", "check the id"], userGroups: ["S0APPROVE1"] }],
    ["the requester in the group still cannot approve their own request", resolved("S0APPROVE1", ["UPAY1"]), "UPAY1", { code: "self_approval" }],
  ])("%s", (_name, approvers, user, expected) => {
    const result = authorizeMuteDecision(policy({ approvers }), user, pending);
    expect(result.ok ? undefined : result.code).toBe(expected.code);
    if (result.ok) return;
    for (const text of expected.says ?? []) expect(result.reason).toContain(text);
    expect(result.userGroups).toEqual(expected.userGroups);
  });
});

describe("authorizeMuteRevocation with a security team group", () => {
  it.each<[string, Membership, string, { code?: string; says?: string }]>([
    ["a member of the resolved security group revokes", resolved("S0SECURIT1", ["USEC1", "USECG1"]), "USECG1", {}],
    ["outside the group: refused, naming the group", resolved("S0SECURIT1", ["USEC1"]), "UAPP1", { code: "not_security_team", says: "S0SECURIT1 (security team)" }],
    ["an unresolved group grants nobody", unresolved("S0SECURIT1", MISSING_SCOPE, ["USEC1"]), "USECG1", { code: "not_security_team", says: "securityTeam.userGroup) could not be resolved" }],
    ["configured ids still grant while the group is unresolved", unresolved("S0SECURIT1", MISSING_SCOPE, ["USEC1"]), "USEC1", {}],
  ])("%s", (_name, securityTeam, user, expected) => {
    const result = authorizeMuteRevocation(policy({ securityTeam }), user, { state: "approved" });
    expect(result.ok ? undefined : result.code).toBe(expected.code);
    if (!result.ok) expect(result.reason).toContain(expected.says);
  });
});
