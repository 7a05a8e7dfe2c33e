import { describe, expect, it } from "vitest";
import { cases } from "../policy/cases.js";
import {
  iamPolicyNoAssumeRoleOnWildcard, iamPolicyNoFullServiceAccess, iamPolicyNotAdmin, iamPrincipalNotAdmin,
} from "../../../src/core/checks/iam-permission-checks.js";
import type { Status } from "../../../src/core/condition.js";
import type { Statement } from "../../../src/core/policy-document.js";
import type { Resource } from "../../../src/core/snapshot.js";
import { context, doc, group, inline, managedPolicy, ref, role, user } from "./fixtures.js";

const allowAll: Statement = { Effect: "Allow", Action: "*", Resource: "*" };
const denyAll: Statement = { Effect: "Deny", Action: "*", Resource: "*" };
const readOnly = managedPolicy("ReadOnly", doc({ Effect: "Allow", Action: ["s3:Get*", "iam:List*"], Resource: "*" }));
const admin = managedPolicy("AdministratorAccess", doc(allowAll), true);
const customAdmin = managedPolicy("PlatformAdmin", doc({ Effect: "Allow", Action: "*:*", Resource: "*" }));
const unreadable = managedPolicy("Secret", { $unknown: "AccessDenied: iam:GetAccountAuthorizationDetails" });
const admins = group("admins", { attachedPolicies: [ref(customAdmin)] });
const readers = group("readers", { attachedPolicies: [ref(readOnly)] });
const quarantine = group("quarantine", { inlinePolicies: [inline("deny", doc(denyAll))] });
const ctx = context(readOnly, admin, customAdmin, unreadable, admins, readers, quarantine);

describe("iamPrincipalNotAdmin", () => {
  it.each<[string, Resource, Status]>(cases([
    ["user without policies", user("nobody"), "pass"],
    ["user with a read-only managed policy", user("reader", { attachedPolicies: [ref(readOnly)] }), "pass"],
    ["user with AdministratorAccess attached", user("root-like", { attachedPolicies: [ref(admin)] }), "fail"],
    ["user with an inline */* policy", user("inline", { inlinePolicies: [inline("all", doc(allowAll))] }), "fail"],
    ["user with inline NotAction iam:* on *", user("power", { inlinePolicies: [inline("power", doc({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }))] }), "fail"],
    ["user admin through a group's managed policy", user("ops", { groups: [ref(admins)] }), "fail"],
    ["user in a read-only group", user("analyst", { groups: [ref(readers)] }), "pass"],
    ["user with */* and an inline Deny */*", user("locked", { attachedPolicies: [ref(admin)], inlinePolicies: [inline("lock", doc(denyAll))] }), "pass"],
    ["user admin, Deny */* in its group", user("locked2", { attachedPolicies: [ref(admin)], groups: [ref(quarantine)] }), "pass"],
    ["user admin, in a group missing from the snapshot: admin already proven", user("admin-orphan", { attachedPolicies: [ref(admin)], groups: [{ name: "gone", arn: "arn:aws:iam::111122223333:group/gone" }] }), "fail"],
    ["user with a managed policy missing from the snapshot", user("ghost", { attachedPolicies: [{ name: "Gone", arn: "arn:aws:iam::111122223333:policy/Gone" }] }), "unknown"],
    ["user with an unreadable managed policy", user("secret", { attachedPolicies: [ref(unreadable)] }), "unknown"],
    ["user admin, plus an unreadable policy: admin already proven", user("both", { attachedPolicies: [ref(admin), ref(unreadable)] }), "fail"],
    ["user in a group missing from the snapshot", user("orphan", { groups: [{ name: "gone", arn: "arn:aws:iam::111122223333:group/gone" }] }), "unknown"],
    ["AdministratorAccess missing from the snapshot (its document is public)", user("aws-admin", { attachedPolicies: [{ name: "AdministratorAccess", arn: "arn:aws:iam::aws:policy/AdministratorAccess" }] }), "fail"],
    ["role with AdministratorAccess", role("deploy", doc(), { attachedPolicies: [ref(admin)] }), "fail"],
    ["role admin bounded by a read-only permissions boundary", role("bounded", doc(), { attachedPolicies: [ref(admin)], permissionsBoundary: readOnly.arn }), "pass"],
    ["role admin with an unreadable permissions boundary", role("bounded2", doc(), { attachedPolicies: [ref(admin)], permissionsBoundary: unreadable.arn }), "unknown"],
    ["group with an admin managed policy", admins, "fail"],
  ]))("%s", (_name, principal, expected) => {
    const outcome = iamPrincipalNotAdmin.evaluate(principal, {}, ctx);
    expect(outcome.status).toBe(expected);
    if (expected === "fail") expect(outcome.evidence.length).toBeGreaterThan(0);
  });

  it("names the policy and the group in the evidence", () => {
    const outcome = iamPrincipalNotAdmin.evaluate(user("ops", { groups: [ref(admins)] }), {}, ctx);
    expect(outcome.evidence).toEqual([{
      path: "groups[0].attachedPolicies[0].document.Statement[0]",
      expected: "no Allow of every action (*, *:* or NotAction) on every resource",
      observed: { policy: "managed policy PlatformAdmin via group admins", statement: { Effect: "Allow", Action: "*:*", Resource: "*" } },
    }]);
  });

  it("keeps a conditional admin as a failure with the condition as qualifier", () => {
    const mfaOnly = inline("mfa-admin", doc({ ...allowAll, Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }));
    const outcome = iamPrincipalNotAdmin.evaluate(user("mfa", { inlinePolicies: [mfaOnly] }), {}, ctx);
    expect(outcome).toMatchObject({ status: "fail", qualifiers: ["only with Bool aws:MultiFactorAuthPresent true"] });
  });

  it("says why it is unknown", () => {
    const outcome = iamPrincipalNotAdmin.evaluate(user("secret", { attachedPolicies: [ref(unreadable)] }), {}, ctx);
    expect(outcome.reason).toBe("managed policy Secret (arn:aws:iam::111122223333:policy/Secret): AccessDenied: iam:GetAccountAuthorizationDetails");
  });
});

describe("iamPolicyNotAdmin", () => {
  it.each<[string, Resource, Status]>(cases([
    ["Action *", admin, "fail"],
    ["Action *:*", customAdmin, "fail"],
    ["read only", readOnly, "pass"],
    ["Allow */* with Deny */*", managedPolicy("Null", doc(allowAll, denyAll)), "pass"],
    ["document unknown", unreadable, "unknown"],
  ]))("%s", (_name, policy, expected) => {
    expect(iamPolicyNotAdmin.evaluate(policy, {}, ctx).status).toBe(expected);
  });
});

describe("iamPolicyNoFullServiceAccess", () => {
  it.each<[string, Resource, string, Status]>(cases([
    ["managed policy with kms:*", managedPolicy("Kms", doc({ Effect: "Allow", Action: "kms:*", Resource: "*" })), "kms", "fail"],
    ["managed policy with kms:Decrypt", managedPolicy("Dec", doc({ Effect: "Allow", Action: "kms:Decrypt", Resource: "*" })), "kms", "pass"],
    ["managed policy with cloudtrail:* checked for cloudtrail", managedPolicy("Ct", doc({ Effect: "Allow", Action: "cloudtrail:*", Resource: "*" })), "cloudtrail", "fail"],
    ["managed policy document unknown", unreadable, "kms", "unknown"],
    ["user inline policy with kms:*", user("k", { inlinePolicies: [inline("k", doc({ Effect: "Allow", Action: "kms:*", Resource: "*" }))] }), "kms", "fail"],
    ["role without inline policies", role("r", doc()), "kms", "pass"],
  ]))("%s", (_name, resource, service, expected) => {
    expect(iamPolicyNoFullServiceAccess.evaluate(resource, { service }, ctx).status).toBe(expected);
  });
});

describe("iamPolicyNoAssumeRoleOnWildcard", () => {
  it.each<[string, Statement, Status]>(cases([
    ["sts:AssumeRole on *", { Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }, "fail"],
    ["sts:* on *", { Effect: "Allow", Action: "sts:*", Resource: "*" }, "fail"],
    ["sts:Assume* on *", { Effect: "Allow", Action: "sts:Assume*", Resource: "*" }, "fail"],
    ["sts:AssumeRole on one role", { Effect: "Allow", Action: "sts:AssumeRole", Resource: "arn:aws:iam::111122223333:role/deploy" }, "pass"],
    ["sts:GetCallerIdentity on *", { Effect: "Allow", Action: "sts:GetCallerIdentity", Resource: "*" }, "pass"],
  ]))("%s", (_name, statement, expected) => {
    expect(iamPolicyNoAssumeRoleOnWildcard.evaluate(managedPolicy("p", doc(statement)), {}, ctx).status).toBe(expected);
  });
});
