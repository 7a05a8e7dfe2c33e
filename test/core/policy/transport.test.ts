import { describe, expect, it } from "vitest";
import { cases } from "./cases.js";
import { deniesInsecureTransport } from "../../../src/core/policy/index.js";
import type { Statement } from "../../../src/core/policy-document.js";

const tlsDeny = (extra: Partial<Statement> = {}): Statement => ({
  Sid: "TlsOnly", Effect: "Deny", Principal: "*", Action: "s3:*",
  Resource: ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"], Condition: { Bool: { "aws:SecureTransport": "false" } }, ...extra,
});

describe("deniesInsecureTransport", () => {
  it.each<[string, Statement, boolean]>(cases([
    ["string \"false\"", tlsDeny(), true],
    ["boolean false", tlsDeny({ Condition: { Bool: { "aws:SecureTransport": false } } }), true],
    ["lower-case operator and key", tlsDeny({ Condition: { bool: { "aws:securetransport": "FALSE" } } }), true],
    ["Principal {AWS: *}", tlsDeny({ Principal: { AWS: "*" } }), true],
    ["Action *", tlsDeny({ Action: "*" }), true],
    ["objects only", tlsDeny({ Resource: "arn:aws:s3:::logs/*" }), true],
    ["Resource *", tlsDeny({ Resource: "*" }), true],
    ["s3:GetObject only (not sufficient)", tlsDeny({ Action: "s3:GetObject" }), false],
    ["Allow instead of Deny", tlsDeny({ Effect: "Allow" }), false],
    ["one principal only", tlsDeny({ Principal: { AWS: "arn:aws:iam::111122223333:root" } }), false],
    ["another bucket", tlsDeny({ Resource: "arn:aws:s3:::other/*" }), false],
    ["SecureTransport true (denies TLS)", tlsDeny({ Condition: { Bool: { "aws:SecureTransport": "true" } } }), false],
    ["an extra condition narrowing the Deny", tlsDeny({ Condition: { Bool: { "aws:SecureTransport": "false" }, StringNotEquals: { "aws:SourceVpce": "vpce-1" } } }), false],
    ["no condition at all (denies everything, not a TLS rule)", tlsDeny({ Condition: undefined }), false],
  ]))("%s", (_name, statement, expected) => {
    expect(deniesInsecureTransport({ Statement: [statement] }, "logs") !== undefined).toBe(expected);
  });

  it("returns the index and Sid of the statement", () => {
    const document = { Statement: [{ Effect: "Allow" as const, Principal: "*" as const, Action: "s3:GetObject", Resource: "arn:aws:s3:::logs/*" }, tlsDeny()] };
    expect(deniesInsecureTransport(document, "logs")).toEqual({ index: 1, sid: "TlsOnly", path: "policy.Statement[1]" });
  });
});
