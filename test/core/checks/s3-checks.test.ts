import { describe, expect, it } from "vitest";
import { cases } from "../policy/cases.js";
import { s3PolicyDeniesInsecureTransport, s3PolicyNoCrossAccount, s3PublicAcl, s3PublicPolicy } from "../../../src/core/checks/s3-checks.js";
import type { Statement } from "../../../src/core/policy-document.js";
import type { Status } from "../../../src/core/condition.js";
import { ACCOUNT, bpa, bucket, context, doc } from "./fixtures.js";

const ctx = context();
const publicRead: Statement = { Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::shop-assets/*" };
const publicWrite: Statement = { ...publicRead, Sid: "PublicWrite", Action: "s3:PutObject*" };
const denied = { $unknown: "AccessDenied: s3:GetBucketPolicyStatus" };
const isPublic = { isPublic: true };

describe("s3PublicPolicy", () => {
  it.each<[string, Record<string, unknown>, "any" | "write", Status]>(cases([
    ["no policy", { policyStatus: null, policy: null }, "any", "pass"],
    ["AWS says not public", { policyStatus: { isPublic: false }, policy: doc(publicRead) }, "any", "pass"],
    ["AWS says public, no BPA", { policyStatus: isPublic, policy: doc(publicRead) }, "any", "fail"],
    ["AWS says public, bucket RestrictPublicBuckets", { policyStatus: isPublic, policy: doc(publicRead), publicAccessBlock: bpa({ restrictPublicBuckets: true }) }, "any", "pass"],
    ["AWS says public, account RestrictPublicBuckets", { policyStatus: isPublic, policy: doc(publicRead), accountPublicAccessBlock: bpa({ restrictPublicBuckets: true }) }, "any", "pass"],
    ["AWS says public, BlockPublicPolicy only (does not neutralise)", { policyStatus: isPublic, policy: doc(publicRead), publicAccessBlock: bpa({ blockPublicPolicy: true }) }, "any", "fail"],
    ["AWS says public, bucket BPA unknown", { policyStatus: isPublic, policy: doc(publicRead), publicAccessBlock: denied }, "any", "unknown"],
    ["AWS says public, bucket BPA unknown but account restricts", { policyStatus: isPublic, policy: doc(publicRead), publicAccessBlock: denied, accountPublicAccessBlock: bpa({ restrictPublicBuckets: true }) }, "any", "pass"],
    ["policy status unknown", { policyStatus: denied, policy: doc(publicRead) }, "any", "unknown"],
    ["policy status not collected", { policyStatus: undefined, policy: doc(publicRead) }, "any", "unknown"],
    ["AWS says public, policy unreadable: still public", { policyStatus: isPublic, policy: denied }, "any", "fail"],
    ["write: public read only", { policyStatus: isPublic, policy: doc(publicRead) }, "write", "pass"],
    ["write: public s3:PutObject*", { policyStatus: isPublic, policy: doc(publicRead, publicWrite) }, "write", "fail"],
    ["write: policy unreadable", { policyStatus: isPublic, policy: denied }, "write", "unknown"],
    ["write: AWS says not public", { policyStatus: { isPublic: false }, policy: doc(publicWrite) }, "write", "pass"],
    ["write: AWS public but no statement identified", { policyStatus: isPublic, policy: doc({ ...publicWrite, Principal: { AWS: "arn:aws:iam::999999999999:root" } }) }, "write", "unknown"],
  ]))("%s", (_name, overrides, access, expected) => {
    expect(s3PublicPolicy.evaluate(bucket(overrides), { access }, ctx).status).toBe(expected);
  });

  it("names the public statement in the evidence, with AWS's verdict", () => {
    const outcome = s3PublicPolicy.evaluate(bucket({ policyStatus: isPublic, policy: doc({ ...publicRead, Principal: { Service: "logging.s3.amazonaws.com" } }, publicRead) }), { access: "any" }, ctx);
    expect(outcome.evidence).toEqual([
      { path: "policyStatus.isPublic", expected: "false (GetBucketPolicyStatus)", observed: true },
      expect.objectContaining({ path: "policy.Statement[1]", observed: publicRead }),
    ]);
  });

  it("still fails when AWS says public but our analysis finds no statement, saying so", () => {
    const outcome = s3PublicPolicy.evaluate(bucket({ policyStatus: isPublic, policy: doc({ ...publicRead, Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } } }) }), { access: "any" }, ctx);
    expect(outcome.status).toBe("fail");
    expect(outcome.evidence[1]).toMatchObject({ path: "policy", observed: expect.stringContaining("AWS's verdict stands") });
  });

  it("explains an org-scoped statement when AWS still reports IsPublic", () => {
    const orgScoped = { ...publicRead, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } } };
    const outcome = s3PublicPolicy.evaluate(bucket({ policyStatus: isPublic, policy: doc(orgScoped) }), { access: "any" }, ctx);
    expect(outcome.evidence[1]).toMatchObject({ path: "policy.Statement[0]", expected: expect.stringContaining("aws:PrincipalOrgID") });
  });

  it("reports narrowing conditions as qualifiers", () => {
    const secure = { ...publicRead, Condition: { Bool: { "aws:SecureTransport": "true" } } };
    const outcome = s3PublicPolicy.evaluate(bucket({ policyStatus: isPublic, policy: doc(secure) }), { access: "any" }, ctx);
    expect(outcome.qualifiers).toEqual(["only with Bool aws:SecureTransport true"]);
  });
});

const grant = (uri: string, permission: string) => ({ grantee: { type: "Group", uri }, permission });
const ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
const AUTHENTICATED = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
const acl = (...grants: unknown[]) => ({ owner: { id: "owner" }, grants: [{ grantee: { type: "CanonicalUser", id: "owner" }, permission: "FULL_CONTROL" }, ...grants] });

describe("s3PublicAcl", () => {
  it.each<[string, Record<string, unknown>, "any" | "read" | "write", Status]>(cases([
    ["owner only", { acl: acl() }, "any", "pass"],
    ["AllUsers READ", { acl: acl(grant(ALL_USERS, "READ")) }, "any", "fail"],
    ["AuthenticatedUsers READ_ACP", { acl: acl(grant(AUTHENTICATED, "READ_ACP")) }, "read", "fail"],
    ["AllUsers READ, checking write", { acl: acl(grant(ALL_USERS, "READ")) }, "write", "pass"],
    ["AllUsers WRITE", { acl: acl(grant(ALL_USERS, "WRITE")) }, "write", "fail"],
    ["AllUsers FULL_CONTROL, checking read", { acl: acl(grant(ALL_USERS, "FULL_CONTROL")) }, "read", "fail"],
    ["log delivery group (not public)", { acl: acl(grant("http://acs.amazonaws.com/groups/s3/LogDelivery", "WRITE")) }, "any", "pass"],
    ["AllUsers READ, bucket IgnorePublicAcls", { acl: acl(grant(ALL_USERS, "READ")), publicAccessBlock: bpa({ ignorePublicAcls: true }) }, "any", "pass"],
    ["AllUsers READ, account IgnorePublicAcls", { acl: acl(grant(ALL_USERS, "READ")), accountPublicAccessBlock: bpa({ ignorePublicAcls: true }) }, "any", "pass"],
    ["AllUsers READ, BlockPublicAcls only (does not neutralise)", { acl: acl(grant(ALL_USERS, "READ")), publicAccessBlock: bpa({ blockPublicAcls: true }) }, "any", "fail"],
    ["AllUsers READ, account BPA unknown", { acl: acl(grant(ALL_USERS, "READ")), accountPublicAccessBlock: denied }, "any", "unknown"],
    ["ACL unknown", { acl: denied }, "any", "unknown"],
    ["ACL not collected", { acl: undefined }, "any", "unknown"],
    ["ACL unknown, bucket IgnorePublicAcls", { acl: denied, publicAccessBlock: bpa({ ignorePublicAcls: true }) }, "any", "pass"],
  ]))("%s", (_name, overrides, access, expected) => {
    expect(s3PublicAcl.evaluate(bucket(overrides), { access }, ctx).status).toBe(expected);
  });

  it("points at the grant", () => {
    const outcome = s3PublicAcl.evaluate(bucket({ acl: acl(grant(ALL_USERS, "READ")) }), { access: "any" }, ctx);
    expect(outcome.evidence).toEqual([{ path: "acl.grants[1]", expected: "no grant to AllUsers or AuthenticatedUsers", observed: grant(ALL_USERS, "READ") }]);
  });
});

const tls = (Condition: Statement["Condition"], Action: string = "s3:*"): Statement => ({
  Effect: "Deny", Principal: "*", Action, Resource: ["arn:aws:s3:::shop-assets", "arn:aws:s3:::shop-assets/*"], Condition,
});

describe("s3PolicyDeniesInsecureTransport", () => {
  it.each<[string, unknown, Status]>(cases([
    ["Deny with Bool aws:SecureTransport \"false\"", doc(tls({ Bool: { "aws:SecureTransport": "false" } })), "pass"],
    ["Deny with Bool aws:SecureTransport false (boolean)", doc(publicRead, tls({ Bool: { "aws:SecureTransport": false } })), "pass"],
    ["Deny of s3:GetObject only (not sufficient)", doc(tls({ Bool: { "aws:SecureTransport": "false" } }, "s3:GetObject")), "fail"],
    ["policy without a TLS deny", doc(publicRead), "fail"],
    ["no policy", null, "fail"],
    ["policy unreadable", denied, "unknown"],
    ["policy not collected", undefined, "unknown"],
  ]))("%s", (_name, policy, expected) => {
    expect(s3PolicyDeniesInsecureTransport.evaluate(bucket({ policy }), {}, ctx).status).toBe(expected);
  });
});

describe("s3PolicyNoCrossAccount", () => {
  const to = (AWS: string | string[], Condition?: Statement["Condition"]): Statement =>
    ({ Sid: "Share", Effect: "Allow", Principal: { AWS }, Action: "s3:GetObject", Resource: "arn:aws:s3:::shop-assets/*", ...(Condition ? { Condition } : {}) });
  it.each<[string, unknown, string[], Status]>(cases([
    ["no policy", null, [], "pass"],
    ["own account", doc(to(`arn:aws:iam::${ACCOUNT}:role/app`)), [], "pass"],
    ["other account", doc(to("arn:aws:iam::999999999999:root")), [], "fail"],
    ["other account, trusted", doc(to("arn:aws:iam::999999999999:root")), ["999999999999"], "pass"],
    ["service principal", doc({ ...publicRead, Principal: { Service: "cloudtrail.amazonaws.com" } }), [], "pass"],
    ["* pinned to another account by aws:SourceAccount", doc(to("*", { StringEquals: { "aws:SourceAccount": "999999999999" } })), [], "fail"],
    ["* pinned to own account", doc(to("*", { StringEquals: { "aws:PrincipalAccount": ACCOUNT } })), [], "pass"],
    ["policy unreadable", denied, [], "unknown"],
  ]))("%s", (_name, policy, trustedAccounts, expected) => {
    expect(s3PolicyNoCrossAccount.evaluate(bucket({ policy }), { trustedAccounts, trustedOrgIds: [] }, ctx).status).toBe(expected);
  });

  it("lists the foreign accounts in the evidence", () => {
    const outcome = s3PolicyNoCrossAccount.evaluate(bucket({ policy: doc(to(["arn:aws:iam::999999999999:root", "888888888888"])) }), { trustedAccounts: [], trustedOrgIds: [] }, ctx);
    expect(outcome.evidence).toEqual([expect.objectContaining({ path: "policy.Statement[0]", observed: expect.objectContaining({ foreignAccounts: ["999999999999", "888888888888"] }) })]);
  });
});
