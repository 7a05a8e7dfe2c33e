import { describe, expect, it } from "vitest";
import { cases } from "../policy/cases.js";
import { iamRoleTrustCrossAccountHasExternalId, iamRoleTrustNotPublic } from "../../../src/core/checks/iam-trust-checks.js";
import type { Status } from "../../../src/core/condition.js";
import type { Statement } from "../../../src/core/policy-document.js";
import { ACCOUNT, context, doc, role } from "./fixtures.js";

const ctx = context();
const assume = (Principal: Statement["Principal"], Condition?: Statement["Condition"], Action = "sts:AssumeRole"): Statement =>
  ({ Effect: "Allow", Principal, Action, ...(Condition ? { Condition } : {}) });
const GITHUB = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const web = "sts:AssumeRoleWithWebIdentity";

describe("iamRoleTrustNotPublic", () => {
  it.each<[string, Statement, Status]>(cases([
    ["service principal", assume({ Service: "lambda.amazonaws.com" }), "pass"],
    ["own account root", assume({ AWS: `arn:aws:iam::${ACCOUNT}:root` }), "pass"],
    ["Principal *", assume("*"), "fail"],
    ["Principal {AWS: *}", assume({ AWS: "*" }), "fail"],
    ["Principal arn:aws:iam::*:root", assume({ AWS: "arn:aws:iam::*:root" }), "fail"],
    ["Principal * with sts:* action", assume("*", undefined, "sts:*"), "fail"],
    ["Principal * with sts:ExternalId", assume("*", { StringEquals: { "sts:ExternalId": "abc-123" } }), "pass"],
    ["Principal * with a fixed aws:PrincipalOrgID", assume("*", { StringEquals: { "aws:PrincipalOrgID": "o-abc" } }), "pass"],
    ["Principal * with aws:PrincipalOrgID *", assume("*", { StringLike: { "aws:PrincipalOrgID": "*" } }), "fail"],
    ["Principal * with a fixed aws:PrincipalArn", assume("*", { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/ci` } }), "pass"],
    ["Principal * with aws:PrincipalAccount", assume("*", { StringEquals: { "aws:PrincipalAccount": ACCOUNT } }), "pass"],
    ["Principal * with only aws:SecureTransport", assume("*", { Bool: { "aws:SecureTransport": "true" } }), "fail"],
    ["Principal * with aws:SourceIp only (does not pin the caller)", assume("*", { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } }), "fail"],
    ["GitHub OIDC without condition", assume({ Federated: GITHUB }, undefined, web), "fail"],
    ["GitHub OIDC with aud only (same for every repository)", assume({ Federated: GITHUB }, { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } }, web), "fail"],
    ["GitHub OIDC with sub repo:*", assume({ Federated: GITHUB }, { StringLike: { "token.actions.githubusercontent.com:sub": "repo:*" } }, web), "fail"],
    ["GitHub OIDC with sub repo:acme/*", assume({ Federated: GITHUB }, { StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/*" } }, web), "pass"],
    ["GitHub OIDC with aud and sub of one branch", assume({ Federated: GITHUB }, { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:acme/api:ref:refs/heads/main" } }, web), "pass"],
    ["Cognito identity without aud", assume({ Federated: "cognito-identity.amazonaws.com" }, undefined, web), "fail"],
    ["Cognito identity with aud", assume({ Federated: "cognito-identity.amazonaws.com" }, { StringEquals: { "cognito-identity.amazonaws.com:aud": "eu-west-1:1234" } }, web), "pass"],
    ["SAML provider (only the IdP signs assertions)", assume({ Federated: `arn:aws:iam::${ACCOUNT}:saml-provider/okta` }, undefined, "sts:AssumeRoleWithSAML"), "pass"],
    ["Deny for Principal *", { ...assume("*"), Effect: "Deny" }, "pass"],
  ]))("%s", (_name, statement, expected) => {
    expect(iamRoleTrustNotPublic.evaluate(role("r", doc(statement)), {}, ctx).status).toBe(expected);
  });

  it("names the open statement and why", () => {
    const outcome = iamRoleTrustNotPublic.evaluate(role("r", doc(assume({ Service: "ec2.amazonaws.com" }), { ...assume("*"), Sid: "Open" })), {}, ctx);
    expect(outcome.evidence).toEqual([expect.objectContaining({
      path: "trustPolicy.Statement[1]", observed: expect.objectContaining({ reason: expect.stringContaining('Statement[1] (Sid "Open") lets any AWS principal') }),
    })]);
  });

  it("is unknown when the trust policy is missing from the resource", () => {
    const resource = { ...role("r", doc(assume("*"))), trustPolicy: undefined } as never;
    expect(iamRoleTrustNotPublic.evaluate(resource, {}, ctx).status).toBe("unknown");
  });
});

describe("iamRoleTrustCrossAccountHasExternalId", () => {
  it.each<[string, Statement, string[], Status]>(cases([
    ["own account", assume({ AWS: `arn:aws:iam::${ACCOUNT}:root` }), [], "pass"],
    ["service principal", assume({ Service: "ec2.amazonaws.com" }), [], "pass"],
    ["other account without external id", assume({ AWS: "arn:aws:iam::999999999999:root" }), [], "fail"],
    ["other account bare id without external id", assume({ AWS: "999999999999" }), [], "fail"],
    ["other account with StringEquals sts:ExternalId", assume({ AWS: "arn:aws:iam::999999999999:root" }, { StringEquals: { "sts:ExternalId": "x-1" } }), [], "pass"],
    ["other account with a wildcard sts:ExternalId", assume({ AWS: "arn:aws:iam::999999999999:root" }, { StringLike: { "sts:ExternalId": "*" } }), [], "fail"],
    ["other account, trusted", assume({ AWS: "arn:aws:iam::999999999999:root" }), ["999999999999"], "pass"],
    ["other account with MFA only", assume({ AWS: "arn:aws:iam::999999999999:user/bob" }, { Bool: { "aws:MultiFactorAuthPresent": "true" } }), [], "fail"],
  ]))("%s", (_name, statement, trustedAccounts, expected) => {
    expect(iamRoleTrustCrossAccountHasExternalId.evaluate(role("r", doc(statement)), { trustedAccounts }, ctx).status).toBe(expected);
  });

  it("lists the foreign accounts", () => {
    const outcome = iamRoleTrustCrossAccountHasExternalId.evaluate(role("r", doc(assume({ AWS: ["999999999999", `arn:aws:iam::${ACCOUNT}:root`] }))), { trustedAccounts: [] }, ctx);
    expect(outcome.evidence).toEqual([expect.objectContaining({ observed: expect.objectContaining({ foreignAccounts: ["999999999999"] }) })]);
  });
});
