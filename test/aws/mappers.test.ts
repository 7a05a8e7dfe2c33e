import { describe, expect, it } from "vitest";
import { planCollection } from "../../src/aws/collection-plan.js";
import { parseCredentialReport } from "../../src/aws/parse-credential-report.js";
import { parsePolicyDocument } from "../../src/aws/parse-policy-document.js";
import { mapEncryption, mapLogging, mapObjectLock, mapVersioning } from "../../src/aws/map-s3.js";
import { isRootVirtualMfa } from "../../src/aws/map-iam-account.js";

const DOC = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::a/100%/*" }] };

describe("parsePolicyDocument", () => {
  it.each([
    ["URL-encoded JSON, as IAM sends it", encodeURIComponent(JSON.stringify(DOC))],
    ["already-decoded JSON containing a literal %", JSON.stringify(DOC)],
    ["JSON with surrounding whitespace", `  ${JSON.stringify(DOC)}\n`],
  ])("decodes %s", (_name, text) => {
    expect(parsePolicyDocument(text, "test")).toEqual(DOC);
  });

  it.each([
    ["text that is not JSON", "not a policy", /neither JSON nor URL-encoded JSON/],
    ["a malformed escape", "%E0%A4%A", /neither JSON nor URL-encoded JSON/],
    ["JSON without statements", encodeURIComponent(JSON.stringify({ Version: "2012-10-17" })), /unexpected shape/],
  ])("rejects %s with a reason", (_name, text, message) => {
    expect(() => parsePolicyDocument(text, "role x trust policy")).toThrow(message);
  });
});

const HEADER = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

describe("parseCredentialReport", () => {
  const parse = (row: string) => parseCredentialReport(`${HEADER}\n${row}\n`, "2026-01-15T11:00:00.000Z").rows;

  it.each([
    ["root row: not_supported password, no_information use, no keys", "<root_account>,arn:aws:iam::1:root,2012-06-01T14:32:11+00:00,not_supported,no_information,not_supported,not_supported,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
      { passwordEnabled: false, passwordLastUsed: null, passwordLastChanged: null, mfaActive: false, accessKeys: [], certificates: [] }],
    ["an inactive key that exists still counts as a key", "bob,arn:aws:iam::1:user/bob,2020-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,false,2021-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,true,2022-02-02T00:00:00+00:00,false,N/A",
      { accessKeys: [{ slot: 1, active: false, lastRotated: "2021-01-01T00:00:00.000Z", lastUsedDate: null, lastUsedRegion: null, lastUsedService: null }],
        certificates: [{ slot: 1, active: true, lastRotated: "2022-02-02T00:00:00.000Z" }] }],
  ])("%s", (_name, row, expected) => {
    expect([...parse(row).values()][0]).toMatchObject(expected);
  });

  it.each([
    ["a boolean cell with another value", "x,arn:aws:iam::1:user/x,2020-01-01T00:00:00+00:00,maybe,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A", /password_enabled is not true\/false/],
    ["a date cell that is not a date", "x,arn:aws:iam::1:user/x,yesterday,true,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A", /user_creation_time is not a date/],
  ])("rejects %s", (_name, row, message) => {
    expect(() => parse(row)).toThrow(message);
  });

  it("rejects a report without an expected column", () => {
    expect(() => parseCredentialReport("user,arn\nx,arn:aws:iam::1:user/x\n", "2026-01-15T11:00:00.000Z")).toThrow(/no column "user_creation_time"/);
  });
});

describe("S3 mappers", () => {
  it.each([
    [{}, { status: "Disabled", mfaDelete: "Disabled" }],
    [{ Status: "Suspended" as const }, { status: "Suspended", mfaDelete: "Disabled" }],
    [{ Status: "Enabled" as const, MFADelete: "Enabled" as const }, { status: "Enabled", mfaDelete: "Enabled" }],
  ])("versioning %j maps to %j", (output, expected) => {
    expect(mapVersioning(output, "b")).toEqual(expected);
  });

  it.each([
    [{}, null],
    [{ LoggingEnabled: { TargetBucket: "logs", TargetPrefix: "" } }, { targetBucket: "logs", targetPrefix: "" }],
  ])("logging %j maps to %j", (output, expected) => {
    expect(mapLogging(output)).toEqual(expected);
  });

  it("refuses an encryption algorithm the schema does not know instead of guessing", () => {
    expect(() => mapEncryption({ ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:fsx" as never } }] } }, "b"))
      .toThrow(/unexpected value "aws:fsx"/);
  });

  it("maps object lock without a default retention", () => {
    expect(mapObjectLock({ ObjectLockConfiguration: { ObjectLockEnabled: "Enabled" } }, "b")).toEqual({ enabled: true });
  });
});

describe("root virtual MFA", () => {
  it.each([
    [{ SerialNumber: "arn:aws:iam::123456789012:mfa/root-account-mfa-device" }, true],
    [{ SerialNumber: "arn:aws:iam::123456789012:mfa/phone", User: { Arn: "arn:aws:iam::123456789012:root", Path: "/", UserName: "r", UserId: "1", CreateDate: new Date() } }, true],
    [{ SerialNumber: "arn:aws:iam::123456789012:mfa/alice", User: { Arn: "arn:aws:iam::123456789012:user/alice", Path: "/", UserName: "alice", UserId: "2", CreateDate: new Date() } }, false],
  ])("%j is root's: %s", (device, expected) => {
    expect(isRootVirtualMfa(device, "123456789012")).toBe(expected);
  });
});

describe("planCollection", () => {
  it.each([
    ["nothing requested", {}, { buckets: false, bucketAttributes: [], accountPublicAccessBlock: false }, { authorizationDetails: false, credentialReport: false }],
    ["bucket versioning only: tags ride along", { "aws:s3:bucket": ["versioning"] }, { buckets: true, bucketAttributes: ["tags", "versioning"], accountPublicAccessBlock: false }, { authorizationDetails: false }],
    ["bucket account BPA", { "aws:s3:bucket": ["accountPublicAccessBlock"] }, { accountPublicAccessBlock: true, bucketAttributes: ["tags"] }, {}],
    ["user credentials", { "aws:iam:user": ["credentials"] }, {}, { authorizationDetails: true, credentialReport: true, virtualMfaDevices: false }],
    ["support roles only", { "aws:iam:account": ["supportRoles"] }, {}, { authorizationDetails: true, accountSummary: false, iamAccount: true }],
    ["root MFA", { "aws:iam:root-user": ["accountSummary", "virtualMfaDevices"] }, {}, { authorizationDetails: false, accountSummary: true, virtualMfaDevices: true, rootUser: true }],
  ])("%s", (_name, requested, s3, iam) => {
    const plan = planCollection(new Map(Object.entries(requested).map(([t, a]) => [t, new Set(a)])));
    expect(plan.s3).toMatchObject(s3);
    expect(plan.iam).toMatchObject(iam);
  });
});
