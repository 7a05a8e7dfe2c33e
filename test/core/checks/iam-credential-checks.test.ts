import { describe, expect, it } from "vitest";
import { cases } from "../policy/cases.js";
import { iamUserCredentialsUnused } from "../../../src/core/checks/iam-credential-checks.js";
import type { Status } from "../../../src/core/condition.js";
import { context, user } from "./fixtures.js";

const ctx = context(); // now = 2026-06-01
const RECENT = "2026-05-20T00:00:00Z";
const OLD = "2026-01-01T00:00:00Z";
const key = (slot: 1 | 2, active: boolean, lastRotated: string | null, lastUsedDate: string | null) =>
  ({ slot, active, lastRotated, lastUsedDate, lastUsedRegion: null, lastUsedService: null });
const row = (overrides: Record<string, unknown> = {}) => ({
  userCreationTime: OLD, passwordEnabled: false, passwordLastUsed: null, passwordLastChanged: null, mfaActive: false,
  accessKeys: [], certificates: [], reportGeneratedAt: "2026-05-31T00:00:00Z", ...overrides,
});

describe("iamUserCredentialsUnused", () => {
  it.each<[string, unknown, Status]>(cases([
    ["no password, no keys", row(), "pass"],
    ["password used recently", row({ passwordEnabled: true, passwordLastUsed: RECENT }), "pass"],
    ["password last used long ago", row({ passwordEnabled: true, passwordLastUsed: OLD }), "fail"],
    ["password never used, set long ago", row({ passwordEnabled: true, passwordLastChanged: OLD }), "fail"],
    ["password never used, set recently", row({ passwordEnabled: true, passwordLastChanged: RECENT }), "pass"],
    ["password never used nor changed, user created long ago", row({ passwordEnabled: true }), "fail"],
    ["password never used, user created recently", row({ passwordEnabled: true, userCreationTime: RECENT }), "pass"],
    ["disabled password last used long ago", row({ passwordEnabled: false, passwordLastUsed: OLD }), "pass"],
    ["active key used recently", row({ accessKeys: [key(1, true, OLD, RECENT)] }), "pass"],
    ["active key last used long ago", row({ accessKeys: [key(1, true, OLD, OLD)] }), "fail"],
    ["active key never used, created long ago", row({ accessKeys: [key(1, true, OLD, null)] }), "fail"],
    ["active key never used, created recently", row({ accessKeys: [key(1, true, RECENT, null)] }), "pass"],
    ["inactive key never used", row({ accessKeys: [key(1, false, OLD, null)] }), "pass"],
    ["credential report unreadable", { $unknown: "AccessDenied: iam:GetCredentialReport" }, "unknown"],
    ["credential report not collected", undefined, "unknown"],
  ]))("%s", (_name, credentials, expected) => {
    expect(iamUserCredentialsUnused.evaluate(user("u", { credentials }), { days: 45 }, ctx).status).toBe(expected);
  });

  it("says which credential is stale", () => {
    const outcome = iamUserCredentialsUnused.evaluate(
      user("u", { credentials: row({ passwordEnabled: true, passwordLastUsed: RECENT, accessKeys: [key(1, true, RECENT, RECENT), key(2, true, OLD, null)] }) }),
      { days: 45 }, ctx);
    expect(outcome.evidence).toEqual([
      { path: "credentials.accessKeys[1].lastRotated", expected: "used within 45 days", observed: `access key 2 never used, created ${OLD}` },
    ]);
  });

  it("honours the days parameter", () => {
    const credentials = row({ passwordEnabled: true, passwordLastUsed: "2026-04-01T00:00:00Z" });
    expect(iamUserCredentialsUnused.evaluate(user("u", { credentials }), { days: 90 }, ctx).status).toBe("pass");
    expect(iamUserCredentialsUnused.evaluate(user("u", { credentials }), { days: 45 }, ctx).status).toBe("fail");
  });
});
