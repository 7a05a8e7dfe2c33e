import { describe, expect, it } from "vitest";
import {
  activeMuteFor, authorizeMuteDecision, authorizeMuteRequest, authorizeMuteRevocation, canTransition, isActive, isExpiringSoon, resolveExpiry, scopeMatches,
  validateJustification, MUTE_STATES, type Mute, type MutePolicy, type MuteScope, type MuteState, type MuteTarget,
} from "../../src/core/mutes.js";

const policy: MutePolicy = {
  teams: [{ handle: "payments", members: ["UPAY1", "UPAY2"] }, { handle: "data", members: ["UDATA1"] }],
  securityTeam: { members: ["USEC1"] },
  approvers: { members: ["UAPP1", "UAPP2", "UPAY2"] },
  maxDays: 90,
  allowPermanent: false,
};
const NOW = new Date("2026-11-10T00:00:00.000Z");
const days = (n: number) => new Date(NOW.getTime() + n * 86_400_000).toISOString();

describe("authorizeMuteRequest", () => {
  it.each<[string, string, string | null, string | undefined]>([
    ["a member of the owning team may request", "UPAY1", "payments", undefined],
    ["the security team may request for any team", "USEC1", "data", undefined],
    ["the security team may request for an unowned finding", "USEC1", null, undefined],
    ["a request for another team's finding is refused", "UDATA1", "payments", "not_allowed_to_request"],
    ["an approver outside the team is refused (approving is not requesting)", "UAPP1", "payments", "not_allowed_to_request"],
    ["nobody but security may request for an unowned finding", "UPAY1", null, "not_allowed_to_request"],
  ])("%s", (_name, user, team, refusal) => {
    const result = authorizeMuteRequest(policy, user, team);
    expect(result.ok ? undefined : result.code).toBe(refusal);
  });
});

describe("authorizeMuteDecision", () => {
  const pending = { state: "pending" as MuteState, requestedBy: "UPAY2", decidedBy: null };
  it.each<[string, string, Pick<Mute, "state" | "requestedBy" | "decidedBy">, string | undefined]>([
    ["an approver other than the requester decides", "UAPP1", pending, undefined],
    ["self-approval is refused even for an approver", "UPAY2", pending, "self_approval"],
    ["a non-approver is refused", "UPAY1", pending, "not_an_approver"],
    ["the security team is not an approver unless configured", "USEC1", pending, "not_an_approver"],
    ["a second decision is refused politely", "UAPP2", { state: "approved", requestedBy: "UPAY2", decidedBy: "UAPP1" }, "already_decided"],
    ["a denied request cannot be approved later", "UAPP1", { state: "denied", requestedBy: "UPAY2", decidedBy: "UAPP2" }, "already_decided"],
  ])("%s", (_name, user, mute, refusal) => {
    const result = authorizeMuteDecision(policy, user, mute);
    expect(result.ok ? undefined : result.code).toBe(refusal);
  });

  it("says who decided, without blaming the clicker", () => {
    const result = authorizeMuteDecision(policy, "UAPP2", { state: "approved", requestedBy: "UPAY2", decidedBy: "UAPP1" });
    expect(result).toMatchObject({ ok: false, reason: "This request was already approved by <@UAPP1>: nothing changed." });
  });
});

describe("authorizeMuteRevocation", () => {
  it.each<[string, string, MuteState, string | undefined]>([
    ["the security team revokes an active mute", "USEC1", "approved", undefined],
    ["an approver outside the security team is refused", "UAPP1", "approved", "not_security_team"],
    ["a pending request cannot be revoked", "USEC1", "pending", "not_active"],
    ["an expired mute cannot be revoked", "USEC1", "expired", "not_active"],
  ])("%s", (_name, user, state, refusal) => {
    const result = authorizeMuteRevocation(policy, user, { state });
    expect(result.ok ? undefined : result.code).toBe(refusal);
  });
});

describe("resolveExpiry", () => {
  it.each<[string, Partial<MutePolicy>, string | null | undefined, string | null | { code: string }]>([
    ["default: 30 days", {}, undefined, days(30)],
    ["default is capped by a smaller maximum", { maxDays: 14 }, undefined, days(14)],
    ["a date within the maximum", {}, days(60), days(60)],
    ["exactly the maximum", {}, days(90), days(90)],
    ["beyond the maximum", {}, days(91), { code: "expiry_too_far" }],
    ["in the past", {}, days(-1), { code: "expiry_in_past" }],
    ["now is not the future", {}, NOW.toISOString(), { code: "expiry_in_past" }],
    ["not a date", {}, "soon", { code: "invalid_expiry" }],
    ["permanent when not allowed", {}, null, { code: "permanent_not_allowed" }],
    ["permanent when allowed", { allowPermanent: true }, null, null],
  ])("%s", (_name, override, requested, expected) => {
    const result = resolveExpiry({ ...policy, ...override }, requested, NOW);
    if (expected !== null && typeof expected === "object") expect(result).toMatchObject({ ok: false, ...expected });
    else expect(result).toEqual({ ok: true, expiresAt: expected });
  });
});

describe("resolveExpiry: a picked date ends at the end of that day in the requester's time zone", () => {
  const MARCH_1_NOON = "2026-03-01T12:00:00Z";
  it.each<[string, string, string, string, string | { code: string }]>([
    ["UTC", "2026-03-10", "UTC", MARCH_1_NOON, "2026-03-10T23:59:59.999Z"],
    ["New York after DST started (UTC-4)", "2026-03-10", "America/New_York", MARCH_1_NOON, "2026-03-11T03:59:59.999Z"],
    ["New York, the day DST starts (23-hour day)", "2026-03-08", "America/New_York", MARCH_1_NOON, "2026-03-09T03:59:59.999Z"],
    ["Paris, the day summer time starts", "2026-03-29", "Europe/Paris", MARCH_1_NOON, "2026-03-29T21:59:59.999Z"],
    ["Paris, the day summer time ends (25-hour day)", "2026-10-25", "Europe/Paris", "2026-10-01T00:00:00Z", "2026-10-25T22:59:59.999Z"],
    ["Sydney, the day daylight time ends", "2026-04-05", "Australia/Sydney", MARCH_1_NOON, "2026-04-05T13:59:59.999Z"],
    ["today in UTC still has hours left", "2026-03-01", "UTC", MARCH_1_NOON, "2026-03-01T23:59:59.999Z"],
    ["already tomorrow at UTC+14: that date is over", "2026-03-01", "Pacific/Kiritimati", MARCH_1_NOON, { code: "expiry_in_past" }],
    ["exactly 90 calendar days ahead", "2026-05-30", "UTC", MARCH_1_NOON, "2026-05-30T23:59:59.999Z"],
    ["91 calendar days ahead", "2026-05-31", "UTC", MARCH_1_NOON, { code: "expiry_too_far" }],
    ["90 days ahead counted from today in the requester's zone", "2026-05-31", "Pacific/Kiritimati", MARCH_1_NOON, "2026-05-31T09:59:59.999Z"],
    ["no such date", "2026-02-30", "UTC", MARCH_1_NOON, { code: "invalid_expiry" }],
    ["no such time zone", "2026-03-10", "Mars/Olympus", MARCH_1_NOON, { code: "invalid_time_zone" }],
  ])("%s", (_name, date, timeZone, now, expected) => {
    const result = resolveExpiry(policy, date, new Date(now), timeZone);
    if (typeof expected === "object") expect(result).toMatchObject({ ok: false, ...expected });
    else expect(result).toEqual({ ok: true, expiresAt: expected });
  });

  it("a refusal names the last allowed date in that zone", () => {
    expect(resolveExpiry(policy, "2026-06-30", new Date(MARCH_1_NOON), "Europe/Paris")).toMatchObject({ ok: false, reason: expect.stringContaining("2026-05-30 in Europe/Paris") });
  });
});

describe("validateJustification", () => {
  it.each<[string, string, string | undefined]>([
    ["one character", "x", undefined],
    ["280 characters", "j".repeat(280), undefined],
    ["281 characters", "j".repeat(281), "justification_too_long"],
    ["empty", "", "justification_required"],
    ["only spaces", "   ", "justification_required"],
  ])("%s", (_name, text, refusal) => {
    const result = validateJustification(text);
    expect(result.ok ? undefined : result.code).toBe(refusal);
  });
});

describe("state machine", () => {
  const allowed = new Set(["pending>approved", "pending>denied", "approved>expired", "approved>revoked"]);
  it.each(MUTE_STATES.flatMap((from) => MUTE_STATES.map((to) => [from, to] as const)))("%s -> %s", (from, to) => {
    expect(canTransition(from, to)).toBe(allowed.has(`${from}>${to}`));
  });

  it.each<[string, MuteState, string | null, boolean, boolean]>([
    ["approved, far expiry: active", "approved", days(30), true, false],
    ["approved, expiring in 7 days: active and expiring", "approved", days(7), true, true],
    ["approved, past expiry: not active", "approved", days(-1), false, false],
    ["approved, permanent: active, never expiring", "approved", null, true, false],
    ["pending: not active", "pending", days(3), false, false],
    ["revoked: not active", "revoked", days(30), false, false],
  ])("%s", (_name, state, expiresAt, active, expiring) => {
    expect(isActive({ state, expiresAt }, NOW)).toBe(active);
    expect(isExpiringSoon({ state, expiresAt }, NOW)).toBe(expiring);
  });
});

describe("scope matching", () => {
  const tagScope: MuteScope = { kind: "rule_tag", ruleId: "s3-public", tag: { key: "public", value: "intended" }, team: "web" };
  const target = (extra: Partial<MuteTarget> = {}): MuteTarget => ({ ruleId: "s3-public", resourceArn: "arn:aws:s3:::site", team: "web", tags: { public: "intended" }, ...extra });
  it.each<[string, MuteScope, MuteTarget, boolean]>([
    ["finding scope: the same rule and resource", { kind: "finding", findingId: 1, ruleId: "s3-public", resourceArn: "arn:aws:s3:::site" }, target(), true],
    ["finding scope: another resource", { kind: "finding", findingId: 1, ruleId: "s3-public", resourceArn: "arn:aws:s3:::other" }, target(), false],
    ["finding scope: another rule on the resource", { kind: "finding", findingId: 1, ruleId: "s3-logging", resourceArn: "arn:aws:s3:::site" }, target(), false],
    ["tag scope: tagged resource of the team", tagScope, target(), true],
    ["tag scope: among other tags", tagScope, target({ tags: { team: "web", public: "intended" } }), true],
    ["tag scope: another value", tagScope, target({ tags: { public: "yes" } }), false],
    ["tag scope: values are case-sensitive, as in AWS", tagScope, target({ tags: { public: "Intended" } }), false],
    ["tag scope: untagged", tagScope, target({ tags: {} }), false],
    ["tag scope: tags not collected never match", tagScope, target({ tags: null }), false],
    ["tag scope: another rule", tagScope, target({ ruleId: "s3-logging" }), false],
    ["tag scope: another team's resource with the tag", tagScope, target({ team: "payments" }), false],
    ["tag scope: an unowned resource", tagScope, target({ team: null }), false],
  ])("%s", (_name, scope, t, expected) => {
    expect(scopeMatches(scope, t)).toBe(expected);
  });

  it("activeMuteFor skips inactive mutes and takes the first active one", () => {
    const mute = (id: string, state: MuteState, expiresAt: string | null) => ({ id, state, expiresAt, scope: tagScope }) as Mute;
    const mutes = [mute("pending", "pending", days(5)), mute("old", "approved", days(-1)), mute("a", "approved", days(5)), mute("b", "approved", null)];
    expect(activeMuteFor(mutes, target(), NOW)?.id).toBe("a");
    expect(activeMuteFor(mutes, target({ tags: null }), NOW)).toBeUndefined();
  });
});
