import { describe, expect, it } from "vitest";
import { cases } from "./cases.js";
import { analyzePublicStatements, findPublicStatements } from "../../../src/core/policy/index.js";
import type { PolicyDocument, Statement } from "../../../src/core/policy-document.js";

const BUCKET = "arn:aws:s3:::shop-assets/*";
const doc = (...Statement: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement });
const allowAll = (extra: Partial<Statement> = {}): Statement =>
  ({ Sid: "Read", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: BUCKET, ...extra });
const withCondition = (Condition: Statement["Condition"]) => allowAll({ Condition });

// Reference section 3.2, column "AWS definition" (Principal "*", Action s3:GetObject).
describe("findPublicStatements follows S3's definition of public", () => {
  it.each<[string, Statement, boolean]>(cases([
    ["no condition", allowAll(), true],
    ["StringEquals aws:SourceVpce vpce-1", withCondition({ StringEquals: { "aws:SourceVpce": "vpce-1" } }), false],
    ["StringLike aws:PrincipalOrgID *", withCondition({ StringLike: { "aws:PrincipalOrgID": "*" } }), true],
    ["StringEquals aws:SourceAccount of another account (fixed)", withCondition({ StringEquals: { "aws:SourceAccount": "999999999999" } }), false],
    ["ArnLike aws:SourceArn arn:aws:s3:::* (wildcard)", withCondition({ ArnLike: { "aws:SourceArn": "arn:aws:s3:::*" } }), true],
    ["IpAddress aws:SourceIp 1.2.3.4/32 (public IP)", withCondition({ IpAddress: { "aws:SourceIp": "1.2.3.4/32" } }), false],
    ["IpAddress aws:SourceIp 10.0.0.0/8", withCondition({ IpAddress: { "aws:SourceIp": "10.0.0.0/8" } }), false],
    ["IpAddress aws:SourceIp 0.0.0.0/0", withCondition({ IpAddress: { "aws:SourceIp": "0.0.0.0/0" } }), true],
    ["IpAddress aws:SourceIp with one open CIDR among others", withCondition({ IpAddress: { "aws:SourceIp": ["10.0.0.0/8", "::/0"] } }), true],
    ["NotIpAddress aws:SourceIp 1.2.3.4/32", withCondition({ NotIpAddress: { "aws:SourceIp": "1.2.3.4/32" } }), true],
    ["Bool aws:SecureTransport true", withCondition({ Bool: { "aws:SecureTransport": "true" } }), true],
    ["ArnEquals aws:PrincipalArn of a fixed role", withCondition({ ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/app" } }), false],
    ["StringEquals aws:SourceArn with a policy variable", withCondition({ StringEquals: { "aws:SourceArn": "arn:aws:iam::111122223333:user/${aws:username}" } }), true],
    ["StringEqualsIfExists aws:SourceVpce (missing key matches)", withCondition({ StringEqualsIfExists: { "aws:SourceVpce": "vpce-1" } }), true],
    ["ForAllValues:StringEquals aws:SourceVpce (missing key matches)", withCondition({ "ForAllValues:StringEquals": { "aws:SourceVpce": "vpce-1" } }), true],
    ["lower-case operator and key stringequals aws:sourcevpc", withCondition({ stringequals: { "aws:sourcevpc": "vpc-1" } }), false],
    ["fixed KMS key id", withCondition({ StringEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "arn:aws:kms:eu-west-1:111122223333:key/k" } }), false],
    ["aws:userid AROLEID:* (every session of one role)", withCondition({ StringLike: { "aws:userid": "AROAEXAMPLEID:*" } }), false],
    ["Principal arn:aws:iam::999999999999:root (cross-account, not public)", allowAll({ Principal: { AWS: "arn:aws:iam::999999999999:root" } }), false],
    ["Principal arn:aws:iam::*:root", allowAll({ Principal: { AWS: "arn:aws:iam::*:root" } }), true],
    ["Principal {AWS: *}", allowAll({ Principal: { AWS: ["*"] } }), true],
    ["Principal {CanonicalUser: *}", allowAll({ Principal: { CanonicalUser: "*" } }), true],
    ["service principal, no condition", allowAll({ Principal: { Service: "cloudtrail.amazonaws.com" } }), false],
    ["Allow with NotPrincipal (everyone except one role)", allowAll({ Principal: undefined, NotPrincipal: { AWS: "arn:aws:iam::111122223333:role/x" } }), true],
  ]))("%s", (_name, statement, expected) => {
    expect(findPublicStatements(doc(statement)).length > 0).toBe(expected);
  });
});

describe("findPublicStatements explains each public statement", () => {
  it("returns the index, Sid, path and reason of exactly the public statements", () => {
    const policy = doc(
      { Sid: "Cloudfront", Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject", Resource: BUCKET },
      allowAll({ Sid: "PublicRead" }),
    );
    const [found, ...rest] = findPublicStatements(policy);
    expect(rest).toEqual([]);
    expect(found).toMatchObject({ index: 1, sid: "PublicRead", path: "policy.Statement[1]", grantsWrite: false });
    expect(found!.reason).toContain('Statement[1] (Sid "PublicRead") allows Principal * (anyone)');
  });

  it("reports narrowing conditions as qualifiers", () => {
    const [found] = findPublicStatements(doc(withCondition({ Bool: { "aws:SecureTransport": "true" } })));
    expect(found!.qualifiers).toEqual(["only with Bool aws:SecureTransport true"]);
  });

  it("keeps aws:PrincipalOrgID-only statements apart: private for us, possibly IsPublic for S3", () => {
    const analysis = analyzePublicStatements(doc(withCondition({ StringEquals: { "aws:PrincipalOrgID": "o-abc" } })));
    expect(analysis.public).toEqual([]);
    expect(analysis.orgScoped).toHaveLength(1);
  });
});

describe("findPublicStatements with access write", () => {
  it.each<[string, string | string[], boolean]>(cases([
    ["s3:GetObject", "s3:GetObject", false],
    ["s3:Get* (read, not write: prowler#3346)", "s3:Get*", false],
    ["s3:PutObject", "s3:PutObject", true],
    ["s3:DeleteObject", "s3:DeleteObject", true],
    ["s3:PutBucketPolicy", "s3:PutBucketPolicy", true],
    ["s3:PutObject* (glob not literally in a list)", "s3:PutObject*", true],
    ["s3:*Object", "s3:*Object", true],
    ["s3:*", "s3:*", true],
    ["*", "*", true],
    ["lower-case s3:putobject", "s3:putobject", true],
    ["s3:List* and s3:Get*", ["s3:List*", "s3:Get*"], false],
  ]))("%s", (_name, Action, expected) => {
    expect(findPublicStatements(doc(allowAll({ Action })), { access: "write" }).length > 0).toBe(expected);
  });

  it("treats NotAction s3:GetObject as granting write", () => {
    const statement = allowAll({ Action: undefined, NotAction: "s3:GetObject" });
    expect(findPublicStatements(doc(statement), { access: "write" })).toHaveLength(1);
  });
});

describe("findPublicStatements subtracts Deny statements for everyone", () => {
  const deny = (extra: Partial<Statement>): Statement => ({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "arn:aws:s3:::shop-assets/*", ...extra });
  it.each<[string, Statement, boolean]>(cases([
    ["unconditional Deny s3:* on the same objects", deny({}), false],
    ["Deny unless from vpce-1 (StringNotEquals aws:SourceVpce)", deny({ Condition: { StringNotEquals: { "aws:SourceVpce": "vpce-1" } } }), false],
    ["Deny unless from 203.0.113.0/24 (NotIpAddress)", deny({ Condition: { NotIpAddress: { "aws:SourceIp": "203.0.113.0/24" } } }), false],
    ["Deny when not TLS (does not restrict who)", deny({ Condition: { Bool: { "aws:SecureTransport": "false" } } }), true],
    ["Deny of s3:PutObject only (does not cover GetObject)", deny({ Action: "s3:PutObject" }), true],
    ["Deny on another bucket", deny({ Resource: "arn:aws:s3:::other/*" }), true],
    ["Deny unless wildcard vpce (not fixed)", deny({ Condition: { StringNotLike: { "aws:SourceVpce": "vpce-*" } } }), true],
  ]))("%s", (_name, denyStatement, expected) => {
    expect(findPublicStatements(doc(allowAll(), denyStatement)).length > 0).toBe(expected);
  });
});
