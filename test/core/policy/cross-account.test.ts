import { describe, expect, it } from "vitest";
import { cases } from "./cases.js";
import { findCrossAccountStatements } from "../../../src/core/policy/index.js";
import type { Statement } from "../../../src/core/policy-document.js";

const OWN = "111122223333";
const doc = (...Statement: Statement[]) => ({ Version: "2012-10-17", Statement });
const grant = (Principal: Statement["Principal"], Condition?: Statement["Condition"]): Statement =>
  ({ Effect: "Allow", Principal, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*", ...(Condition ? { Condition } : {}) });

describe("findCrossAccountStatements", () => {
  it.each<[string, Statement, string[]]>(cases([
    ["own account root", grant({ AWS: `arn:aws:iam::${OWN}:root` }), []],
    ["own account bare id", grant({ AWS: OWN }), []],
    ["other account root", grant({ AWS: "arn:aws:iam::999999999999:root" }), ["999999999999"]],
    ["other account bare 12-digit id", grant({ AWS: "999999999999" }), ["999999999999"]],
    ["other account role among own principals", grant({ AWS: [`arn:aws:iam::${OWN}:role/a`, "arn:aws:iam::888888888888:role/b"] }), ["888888888888"]],
    ["trusted account", grant({ AWS: "arn:aws:iam::444455556666:root" }), []],
    ["service principal", grant({ Service: "logging.s3.amazonaws.com" }), []],
    ["CloudFront OAI canonical user", grant({ CanonicalUser: "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be" }), []],
    ["* without condition (any account)", grant("*"), ["*"]],
    ["* restricted to own aws:SourceAccount", grant("*", { StringEquals: { "aws:SourceAccount": OWN } }), []],
    ["* restricted only by another account's aws:SourceAccount", grant("*", { StringEquals: { "aws:SourceAccount": "999999999999" } }), ["999999999999"]],
    ["* restricted by aws:PrincipalArn of another account", grant("*", { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::999999999999:role/x" } }), ["999999999999"]],
    ["* restricted by aws:PrincipalOrgID", grant("*", { StringEquals: { "aws:PrincipalOrgID": "o-abc" } }), ["organization o-abc"]],
    ["* restricted by a fixed aws:SourceVpce", grant("*", { StringEquals: { "aws:SourceVpce": "vpce-1" } }), []],
    ["* restricted by own account and an org (ANDed: own wins)", grant("*", { StringEquals: { "aws:PrincipalOrgID": "o-abc", "aws:PrincipalAccount": OWN } }), []],
  ]))("%s", (_name, statement, expected) => {
    const found = findCrossAccountStatements(doc(statement), OWN, ["444455556666"]);
    expect(found.flatMap((s) => s.accounts)).toEqual(expected);
  });

  it("ignores Deny statements and reports the index of the granting statement", () => {
    const found = findCrossAccountStatements(doc({ ...grant({ AWS: "999999999999" }), Effect: "Deny" }, { ...grant({ AWS: "999999999999" }), Sid: "Partner" }), OWN, []);
    expect(found).toMatchObject([{ index: 1, sid: "Partner", path: "policy.Statement[1]", accounts: ["999999999999"] }]);
  });

  it("treats a trusted organization as in-account", () => {
    const found = findCrossAccountStatements(doc(grant("*", { StringEquals: { "aws:PrincipalOrgID": "o-abc" } })), OWN, [], { trustedOrgIds: ["o-abc"] });
    expect(found).toEqual([]);
  });
});
