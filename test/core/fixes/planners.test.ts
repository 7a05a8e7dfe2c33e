import { describe, expect, it } from "vitest";
import { planKeysToDeactivate, sortKeysBySlot, type AccessKeyState } from "../../../src/core/fixes/access-keys.js";
import { planAclWithoutPublicGrants, type BucketAcl } from "../../../src/core/fixes/bucket-acl.js";
import { planRemovePublicStatements, planTlsDenyStatement, type RawPolicy } from "../../../src/core/fixes/bucket-policy.js";
import { mergePasswordPolicy, passwordPolicyParams } from "../../../src/core/fixes/password-policy.js";
import { FixNotApplicableError, hashConfiguration } from "../../../src/core/fixes/types.js";
import type { PasswordPolicy } from "../../../src/core/snapshot.js";

const B = "arn:aws:s3:::data";
const publicRead = { Sid: "Public", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${B}/*` };
const publicWrite = { Sid: "Upload", Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:PutObject", Resource: `${B}/*` };
const ipPinned = { Sid: "Office", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${B}/*`, Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } } };
const orgOnly = { Sid: "Org", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${B}/*`, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } };
const account = { Sid: "Own", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:role/app" }, Action: "s3:*", Resource: `${B}/*` };
const policy = (...statements: unknown[]): RawPolicy => ({ Version: "2012-10-17", Statement: statements });

describe("planRemovePublicStatements", () => {
  it.each([
    ["removes the public statement and keeps the others in order", policy(account, publicRead, ipPinned), "any", policy(account, ipPinned), ["Public"]],
    ["removes every public statement", policy(publicRead, account, publicWrite), "any", policy(account), ["Public", "Upload"]],
    ["deletes the policy when only public statements remain", policy(publicRead, publicWrite), "any", null, ["Public", "Upload"]],
    ["for write, removes only statements that grant write", policy(publicRead, publicWrite), "write", policy(publicRead), ["Upload"]],
    ["keeps an organisation-scoped statement", policy(orgOnly, publicRead), "any", policy(orgOnly), ["Public"]],
    ["handles a single Statement object", { Version: "2012-10-17", Statement: publicRead }, "any", null, ["Public"]],
  ] as const)("%s", (_name, raw, access, after, sids) => {
    const edit = planRemovePublicStatements(raw as RawPolicy, access);
    expect(edit.after).toEqual(after);
    expect(edit.removed.map((r) => r.sid)).toEqual(sids);
  });

  it("keeps unknown top-level keys and their order", () => {
    const edit = planRemovePublicStatements({ Id: "x", Version: "2012-10-17", Statement: [account, publicRead], Extra: 1 } as RawPolicy);
    expect(Object.keys(edit.after!)).toEqual(["Id", "Version", "Statement", "Extra"]);
  });

  it.each([
    ["no public statement", policy(account, ipPinned)],
    ["only an organisation-scoped statement", policy(orgOnly)],
  ])("refuses a policy with %s", (_name, raw) => {
    expect(() => planRemovePublicStatements(raw)).toThrow(FixNotApplicableError);
  });
});

describe("planTlsDenyStatement", () => {
  const deny = (partition = "aws") => ({
    Sid: "PostureDenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*",
    Resource: [`arn:${partition}:s3:::data`, `arn:${partition}:s3:::data/*`], Condition: { Bool: { "aws:SecureTransport": "false" } },
  });
  it.each([
    ["creates a policy when there is none", null, "aws", policy(deny())],
    ["appends to an array of statements", policy(account), "aws", policy(account, deny())],
    ["turns a single statement into a list", { Version: "2012-10-17", Statement: account }, "aws", policy(account, deny())],
    ["uses the bucket's partition", null, "aws-us-gov", policy(deny("aws-us-gov"))],
  ] as const)("%s", (_name, raw, partition, expected) => {
    expect(planTlsDenyStatement(raw as RawPolicy | null, "data", partition)).toEqual(expected);
  });

  it.each([
    ["the policy already denies plain HTTP", policy(account, { ...deny(), Sid: "Tls" })],
    ["the Sid is taken by another statement", policy({ ...account, Sid: "PostureDenyInsecureTransport" })],
  ])("refuses when %s", (_name, raw) => {
    expect(() => planTlsDenyStatement(raw, "data")).toThrow(FixNotApplicableError);
  });
});

const base: PasswordPolicy = {
  minimumPasswordLength: 8, requireSymbols: false, requireNumbers: false, requireUppercaseCharacters: false, requireLowercaseCharacters: false,
  allowUsersToChangePassword: true, expirePasswords: false,
};

describe("mergePasswordPolicy never weakens", () => {
  it.each([
    ["no policy: the baseline", null, { minimumPasswordLength: 14, passwordReusePrevention: 24, maxPasswordAge: 90, expirePasswords: true, allowUsersToChangePassword: true }],
    ["weak policy: raised", base, { minimumPasswordLength: 14, passwordReusePrevention: 24, maxPasswordAge: 90, requireSymbols: true }],
    ["longer minimum kept", { ...base, minimumPasswordLength: 20 }, { minimumPasswordLength: 20 }],
    ["shorter expiry kept", { ...base, expirePasswords: true, maxPasswordAge: 30 }, { maxPasswordAge: 30 }],
    ["longer expiry lowered", { ...base, expirePasswords: true, maxPasswordAge: 365 }, { maxPasswordAge: 90 }],
    ["max age ignored when expiry is off", { ...base, expirePasswords: false, maxPasswordAge: 30 }, { maxPasswordAge: 90, expirePasswords: true }],
    ["reuse 24 kept (IAM's maximum)", { ...base, passwordReusePrevention: 24 }, { passwordReusePrevention: 24 }],
    ["hard expiry kept", { ...base, hardExpiry: true }, { hardExpiry: true }],
    ["users not allowed to change: kept", { ...base, allowUsersToChangePassword: false }, { allowUsersToChangePassword: false }],
  ] as const)("%s", (_name, current, expected) => {
    const merged = mergePasswordPolicy(current);
    expect(merged).toMatchObject(expected);
    expect(merged.requireLowercaseCharacters && merged.requireUppercaseCharacters && merged.requireNumbers && merged.requireSymbols).toBe(true);
    if (current) {
      expect(merged.minimumPasswordLength).toBeGreaterThanOrEqual(current.minimumPasswordLength);
      expect(merged.passwordReusePrevention ?? 0).toBeGreaterThanOrEqual(current.passwordReusePrevention ?? 0);
      if (current.expirePasswords && current.maxPasswordAge !== undefined) expect(merged.maxPasswordAge).toBeLessThanOrEqual(current.maxPasswordAge);
    }
  });

  it("sends every parameter, MaxPasswordAge only when passwords expire", () => {
    expect(passwordPolicyParams(base)).not.toHaveProperty("MaxPasswordAge");
    expect(passwordPolicyParams(mergePasswordPolicy(base))).toEqual({
      MinimumPasswordLength: 14, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true,
      AllowUsersToChangePassword: true, MaxPasswordAge: 90, PasswordReusePrevention: 24,
    });
  });
});

describe("planAclWithoutPublicGrants", () => {
  const owner = { grantee: { type: "CanonicalUser" as const, id: "owner" }, permission: "FULL_CONTROL" as const };
  const group = (uri: string, permission: "READ" | "WRITE" | "READ_ACP" | "FULL_CONTROL") => ({ grantee: { type: "Group" as const, uri: `http://acs.amazonaws.com/groups/${uri}` }, permission });
  const acl = (...grants: BucketAcl["grants"]): BucketAcl => ({ owner: { id: "owner" }, grants });
  it.each([
    ["removes AllUsers, keeps owner and log delivery", acl(owner, group("global/AllUsers", "READ"), group("s3/LogDelivery", "WRITE")), "any", acl(owner, group("s3/LogDelivery", "WRITE"))],
    ["removes AuthenticatedUsers", acl(owner, group("global/AuthenticatedUsers", "READ_ACP")), "any", acl(owner)],
    ["for read, keeps a public write grant", acl(owner, group("global/AllUsers", "READ"), group("global/AllUsers", "WRITE")), "read", acl(owner, group("global/AllUsers", "WRITE"))],
    ["FULL_CONTROL counts as read and write", acl(group("global/AllUsers", "FULL_CONTROL"), owner), "write", acl(owner)],
  ] as const)("%s", (_name, before, access, after) => {
    expect(planAclWithoutPublicGrants(before, access).after).toEqual(after);
  });

  it("refuses an ACL without public grants", () => {
    expect(() => planAclWithoutPublicGrants(acl(owner))).toThrow(FixNotApplicableError);
  });
});

describe("planKeysToDeactivate", () => {
  const key = (id: string, createDate: string, status: "Active" | "Inactive" = "Active"): AccessKeyState =>
    ({ accessKeyId: id, status, createDate, lastUsedDate: null, lastUsedRegion: null, lastUsedService: null });
  const keys = sortKeysBySlot([key("AKIB", "2025-06-01T00:00:00Z"), key("AKIA", "2024-01-01T00:00:00Z")]);
  it.each([
    ["slot 1 is the older key", [{ path: "credentials.accessKeys[0].lastRotated", expected: "", observed: "" }], ["AKIA"]],
    ["slot 2", [{ path: "credentials.accessKeys[1].lastUsedDate", expected: "", observed: "" }], ["AKIB"]],
    ["both", [{ path: "credentials.accessKeys[1].active", expected: "", observed: "" }, { path: "credentials.accessKeys[0].active", expected: "", observed: "" }], ["AKIA", "AKIB"]],
  ])("%s", (_name, evidence, ids) => {
    expect(planKeysToDeactivate(keys, evidence).map((k) => k.accessKeyId)).toEqual(ids);
  });

  it("refuses a failure about the password only, or an already inactive key", () => {
    expect(() => planKeysToDeactivate(keys, [{ path: "credentials.passwordLastUsed", expected: "", observed: "" }])).toThrow(FixNotApplicableError);
    expect(() => planKeysToDeactivate([key("AKIA", "2024-01-01T00:00:00Z", "Inactive")], [{ path: "credentials.accessKeys[0].active", expected: "", observed: "" }])).toThrow(FixNotApplicableError);
  });
});

describe("hashConfiguration", () => {
  it("ignores key order and undefined values, not content", () => {
    expect(hashConfiguration({ a: 1, b: [1, 2], c: undefined })).toBe(hashConfiguration({ b: [1, 2], a: 1 }));
    expect(hashConfiguration({ a: 1, b: [2, 1] })).not.toBe(hashConfiguration({ a: 1, b: [1, 2] }));
    expect(hashConfiguration("policy text ")).not.toBe(hashConfiguration("policy text"));
  });
});
