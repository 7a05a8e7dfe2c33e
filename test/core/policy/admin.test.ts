import { describe, expect, it } from "vitest";
import { cases } from "./cases.js";
import { allowsAssumeRoleOnAnyRole, allowsFullServiceAccess, analyzeAdminAccess, type PolicySource } from "../../../src/core/policy/index.js";
import type { Statement } from "../../../src/core/policy-document.js";

const source = (label: string, ...Statement: Statement[]): PolicySource => ({ label, document: { Version: "2012-10-17", Statement } });
const allow = (Action: string | string[], Resource: string | string[] = "*", extra: Partial<Statement> = {}): Statement =>
  ({ Effect: "Allow", Action, Resource, ...extra });
const deny = (Action: string | string[], Resource: string | string[] = "*", extra: Partial<Statement> = {}): Statement =>
  ({ Effect: "Deny", Action, Resource, ...extra });

describe("analyzeAdminAccess", () => {
  it.each<[string, Statement[], boolean]>(cases([
    ["Action * on Resource *", [allow("*")], true],
    ["Action *:* (missed by Prowler)", [allow("*:*")], true],
    ["Action * on Resource [*, arn...] (missed by Prowler)", [allow("*", ["*", "arn:aws:s3:::b"])], true],
    ["Action * on arn:aws:* (every resource)", [allow("*", "arn:aws:*")], true],
    ["NotAction iam:* on Resource * (anything but IAM)", [{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }], true],
    ["Action * with NotResource", [{ Effect: "Allow", Action: "*", NotResource: "arn:aws:s3:::secret/*" }], true],
    ["Action * on one bucket only", [allow("*", "arn:aws:s3:::b/*")], false],
    ["Action s3:* on Resource *", [allow("s3:*")], false],
    ["Action iam:* and s3:* on Resource *", [allow(["iam:*", "s3:*"])], false],
    ["Allow */* and Deny */* without condition", [allow("*"), deny("*")], false],
    ["Allow */* and Deny with NotAction (only the listed actions remain)", [allow("*"), { Effect: "Deny", NotAction: "s3:GetObject", Resource: "*" }], false],
    ["Allow */* and Deny */* only on one bucket", [allow("*"), deny("*", "arn:aws:s3:::b")], true],
    ["Allow */* and Deny iam:* (narrower Deny)", [allow("*"), deny("iam:*")], true],
    ["Allow */* and Deny */* with a condition", [allow("*"), deny("*", "*", { Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } } })], true],
    ["Deny statement alone", [deny("*")], false],
  ]))("%s", (_name, statements, expected) => {
    expect(analyzeAdminAccess([source("inline policy p", ...statements)]).granted).toBe(expected);
  });

  it("keeps a conditional admin grant as admin with its condition as qualifier", () => {
    const analysis = analyzeAdminAccess([source("inline policy p", allow("*", "*", { Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }))]);
    expect(analysis.granted).toBe(true);
    expect(analysis.qualifiers).toEqual(["only with Bool aws:MultiFactorAuthPresent true"]);
  });

  it("names a conditional Deny as a qualifier and keeps the verdict", () => {
    const analysis = analyzeAdminAccess([
      source("managed policy AdministratorAccess", allow("*")),
      source("inline policy guard", { Sid: "NoMfa", ...deny("*", "*", { Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } } }) }),
    ]);
    expect(analysis.granted).toBe(true);
    expect(analysis.qualifiers).toEqual([
      'except Deny Action * on * when BoolIfExists aws:MultiFactorAuthPresent false (inline policy guard Statement[0] (Sid "NoMfa"))',
    ]);
  });

  it("subtracts a Deny found in another policy of the same principal", () => {
    const analysis = analyzeAdminAccess([source("managed policy AdministratorAccess", allow("*")), source("inline policy lock", deny("*"))]);
    expect(analysis).toMatchObject({ granted: false, negatedBy: [{ source: "inline policy lock", index: 0 }] });
  });
});

describe("allowsFullServiceAccess", () => {
  it.each<[string, Statement[], boolean]>(cases([
    ["kms:* on *", [allow("kms:*")], true],
    ["* on *", [allow("*")], true],
    ["KMS:* upper case", [allow("KMS:*")], true],
    ["kms:* on one key", [allow("kms:*", "arn:aws:kms:eu-west-1:111122223333:key/k")], false],
    ["kms:Decrypt on *", [allow("kms:Decrypt")], false],
    ["kms:* minus an unconditional Deny of kms:ScheduleKeyDeletion", [allow("kms:*"), deny("kms:ScheduleKeyDeletion")], false],
    ["NotAction kms:Decrypt (not all of kms)", [{ Effect: "Allow", NotAction: "kms:Decrypt", Resource: "*" }], false],
    ["NotAction s3:* (all of kms)", [{ Effect: "Allow", NotAction: "s3:*", Resource: "*" }], true],
    ["cloudtrail:* does not give kms:*", [allow("cloudtrail:*")], false],
  ]))("%s", (_name, statements, expected) => {
    expect(allowsFullServiceAccess([source("p", ...statements)], "kms").granted).toBe(expected);
  });
});

describe("allowsAssumeRoleOnAnyRole", () => {
  it.each<[string, Statement[], boolean]>(cases([
    ["sts:AssumeRole on *", [allow("sts:AssumeRole")], true],
    ["sts:* on *", [allow("sts:*")], true],
    ["sts:Assume* on *", [allow("sts:Assume*")], true],
    ["* on *", [allow("*")], true],
    ["sts:AssumeRole on arn:aws:iam::*:role/*", [allow("sts:AssumeRole", "arn:aws:iam::*:role/*")], true],
    ["sts:AssumeRole on one role", [allow("sts:AssumeRole", "arn:aws:iam::111122223333:role/deploy")], false],
    ["sts:AssumeRoleWithSAML on *", [allow("sts:AssumeRoleWithSAML")], false],
    ["sts:AssumeRole on * and Deny sts:AssumeRole on *", [allow("sts:AssumeRole"), deny("sts:*")], false],
  ]))("%s", (_name, statements, expected) => {
    expect(allowsAssumeRoleOnAnyRole([source("p", ...statements)]).granted).toBe(expected);
  });
});
