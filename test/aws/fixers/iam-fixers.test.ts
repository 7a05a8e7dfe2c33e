import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FixTarget } from "../../../src/app/fix-ports.js";
import { ACCOUNT, IAM, iamError, queryBody, setUpNock, tearDownNock } from "../nock-aws.js";
import { NOW, ruleWithFix, testRegistry } from "./fixer-harness.js";

const XML = { "content-type": "text/xml" };
const NS = 'xmlns="https://iam.amazonaws.com/doc/2010-05-08/"';
const META = "<ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata>";
const USER = "build-bot";
const user: FixTarget = { arn: `arn:aws:iam::${ACCOUNT}:user/${USER}`, type: "aws:iam:user", accountId: ACCOUNT, region: "us-east-1", name: USER };

interface Key { id: string; status: "Active" | "Inactive"; created: string; lastUsed?: string }
const OLD: Key = { id: "AKIAIOSFODNN7OLDKEY1", status: "Active", created: "2025-01-10T09:00:00Z", lastUsed: "2025-02-01T10:00:00Z" };
const NEW: Key = { id: "AKIAIOSFODNN7NEWKEY2", status: "Active", created: "2026-01-01T09:00:00Z", lastUsed: "2026-01-14T10:00:00Z" };

const iam = (action: string, extra: Record<string, string | null> = {}) => nock(IAM).post("/", queryBody(action, extra));
const ok = (action: string, result = "") => `<${action}Response ${NS}>${result ? `<${action}Result>${result}</${action}Result>` : ""}${META}</${action}Response>`;

/** The direct reads of one user: GetUser, GetLoginProfile (none), ListAccessKeys, last use per key, MFA, certificates. */
function mockUserReads(keys: Key[]) {
  iam("GetUser", { UserName: USER }).reply(200, ok("GetUser", `<User><Path>/</Path><UserName>${USER}</UserName><UserId>AIDAEXAMPLEBUILDBOT</UserId><Arn>${user.arn}</Arn><CreateDate>2024-06-01T08:00:00Z</CreateDate></User>`), XML);
  iam("GetLoginProfile", { UserName: USER }).reply(404, iamError("NoSuchEntity", `Login Profile for User ${USER} cannot be found.`), XML);
  const members = keys.map((k) => `<member><UserName>${USER}</UserName><AccessKeyId>${k.id}</AccessKeyId><Status>${k.status}</Status><CreateDate>${k.created}</CreateDate></member>`).join("");
  iam("ListAccessKeys", { UserName: USER }).reply(200, ok("ListAccessKeys", `<AccessKeyMetadata>${members}</AccessKeyMetadata><IsTruncated>false</IsTruncated>`), XML);
  for (const k of keys) {
    const used = k.lastUsed ? `<LastUsedDate>${k.lastUsed}</LastUsedDate><ServiceName>s3</ServiceName><Region>us-east-1</Region>` : "<ServiceName>N/A</ServiceName><Region>N/A</Region>";
    iam("GetAccessKeyLastUsed", { AccessKeyId: k.id }).reply(200, ok("GetAccessKeyLastUsed", `<UserName>${USER}</UserName><AccessKeyLastUsed>${used}</AccessKeyLastUsed>`), XML);
  }
  iam("ListMFADevices", { UserName: USER }).reply(200, ok("ListMFADevices", "<MFADevices/><IsTruncated>false</IsTruncated>"), XML);
  iam("ListSigningCertificates", { UserName: USER }).reply(200, ok("ListSigningCertificates", "<Certificates/><IsTruncated>false</IsTruncated>"), XML);
}

const updateKey = (id: string, status: string) => iam("UpdateAccessKey", { UserName: USER, AccessKeyId: id, Status: status });

describe("deactivate an access key", () => {
  beforeEach(setUpNock);
  afterEach(tearDownNock);
  const fixer = testRegistry().get("iam-user-deactivate-access-key")!;

  it("deactivates only the key unused for 45 days (never deletes it), verifies from ListAccessKeys, and undo reactivates it", async () => {
    const rule = ruleWithFix("iam-user-credentials-unused-45-days", fixer.id);
    mockUserReads([NEW, OLD]);
    const preview = await fixer.preview(user, rule, NOW);
    expect(preview.calls).toEqual([{ service: "iam", operation: "UpdateAccessKey", params: { UserName: USER, AccessKeyId: OLD.id, Status: "Inactive" } }]);
    // Any other request (DeleteAccessKey) has no mock and nock refuses it: apply would report it.
    updateKey(OLD.id, "Inactive").reply(200, ok("UpdateAccessKey"), XML);
    expect(await fixer.apply(user, preview)).toEqual({ ok: true });

    mockUserReads([NEW, { ...OLD, status: "Inactive" }]);
    expect(await fixer.verify(user, rule, NOW)).toMatchObject({ status: "pass" });

    mockUserReads([NEW, { ...OLD, status: "Inactive" }]);
    updateKey(OLD.id, "Active").reply(200, ok("UpdateAccessKey"), XML);
    expect(await fixer.undo(user, { before: preview.before, after: preview.after, ruleId: rule.id }, NOW)).toMatchObject({ ok: true });
  });

  it("rolls back the first key when deactivating the second is denied: nothing stays changed", async () => {
    const rule = ruleWithFix("iam-user-access-keys-rotated-90-days", fixer.id);
    const older = { ...OLD, id: "AKIAIOSFODNN7OLDKEY0", created: "2024-12-01T09:00:00Z" };
    mockUserReads([OLD, older]);
    const preview = await fixer.preview(user, rule, NOW);
    expect(preview.calls.map((c) => (c.params as { AccessKeyId: string }).AccessKeyId)).toEqual([older.id, OLD.id]);
    updateKey(older.id, "Inactive").reply(200, ok("UpdateAccessKey"), XML);
    updateKey(OLD.id, "Inactive").reply(403, iamError("AccessDenied", `User: arn:aws:sts::${ACCOUNT}:assumed-role/PostureFixer/posture-fix is not authorized to perform: iam:UpdateAccessKey`), XML);
    updateKey(older.id, "Active").reply(200, ok("UpdateAccessKey"), XML);
    const outcome = await fixer.apply(user, preview);
    expect(outcome).toMatchObject({ ok: false, error: { code: "AccessDenied" }, rolledBack: [{ operation: "UpdateAccessKey", params: { AccessKeyId: older.id, Status: "Active" } }] });
  });

  it("verify fails honestly when the re-read still shows the stale key active", async () => {
    const rule = ruleWithFix("iam-user-credentials-unused-45-days", fixer.id);
    mockUserReads([NEW, OLD]);
    const verification = await fixer.verify(user, rule, NOW);
    expect(verification).toMatchObject({ status: "fail" });
    expect(verification.status === "fail" && verification.reason).toContain("access key 1 last used 2025-02-01");
  });

  it("says there is nothing to do when no key fails on the direct read (the report was stale)", async () => {
    mockUserReads([NEW]);
    await expect(fixer.preview(user, ruleWithFix("iam-user-credentials-unused-45-days", fixer.id), NOW)).rejects.toThrow(/does not fail/);
  });
});

describe("password policy to the CIS baseline", () => {
  beforeEach(setUpNock);
  afterEach(tearDownNock);
  const fixer = testRegistry().get("iam-password-policy-cis-baseline")!;
  const target: FixTarget = { arn: `arn:aws:iam::${ACCOUNT}:account-password-policy`, type: "aws:iam:password-policy", accountId: ACCOUNT, region: "us-east-1", name: "account-password-policy" };
  const rule = ruleWithFix("iam-password-policy-min-length-14", fixer.id);
  const policyXml = (fields: string) => ok("GetAccountPasswordPolicy", `<PasswordPolicy>${fields}</PasswordPolicy>`);
  const CURRENT = "<AllowUsersToChangePassword>false</AllowUsersToChangePassword><RequireLowercaseCharacters>true</RequireLowercaseCharacters><RequireUppercaseCharacters>false</RequireUppercaseCharacters><MinimumPasswordLength>8</MinimumPasswordLength><RequireNumbers>true</RequireNumbers><PasswordReusePrevention>5</PasswordReusePrevention><HardExpiry>true</HardExpiry><RequireSymbols>false</RequireSymbols><MaxPasswordAge>30</MaxPasswordAge><ExpirePasswords>true</ExpirePasswords>";
  const MERGED = {
    MinimumPasswordLength: "14", RequireSymbols: "true", RequireNumbers: "true", RequireUppercaseCharacters: "true", RequireLowercaseCharacters: "true",
    AllowUsersToChangePassword: "false", MaxPasswordAge: "30", PasswordReusePrevention: "24", HardExpiry: "true",
  };

  it("sends every merged value (stricter max age 30 and hard expiry kept), verifies, and undo restores the previous policy", async () => {
    iam("GetAccountPasswordPolicy").reply(200, policyXml(CURRENT), XML);
    const preview = await fixer.preview(target, rule, NOW);
    iam("UpdateAccountPasswordPolicy", MERGED).reply(200, ok("UpdateAccountPasswordPolicy"), XML);
    expect(await fixer.apply(target, preview)).toEqual({ ok: true });
    const mergedXml = "<AllowUsersToChangePassword>false</AllowUsersToChangePassword><RequireLowercaseCharacters>true</RequireLowercaseCharacters><RequireUppercaseCharacters>true</RequireUppercaseCharacters><MinimumPasswordLength>14</MinimumPasswordLength><RequireNumbers>true</RequireNumbers><PasswordReusePrevention>24</PasswordReusePrevention><HardExpiry>true</HardExpiry><RequireSymbols>true</RequireSymbols><MaxPasswordAge>30</MaxPasswordAge><ExpirePasswords>true</ExpirePasswords>";
    iam("GetAccountPasswordPolicy").reply(200, policyXml(mergedXml), XML);
    expect(await fixer.verify(target, rule, NOW)).toMatchObject({ status: "pass" });
    iam("GetAccountPasswordPolicy").reply(200, policyXml(mergedXml), XML);
    iam("UpdateAccountPasswordPolicy", { MinimumPasswordLength: "8", RequireSymbols: "false", RequireUppercaseCharacters: "false", MaxPasswordAge: "30", PasswordReusePrevention: "5", HardExpiry: "true", AllowUsersToChangePassword: "false" })
      .reply(200, ok("UpdateAccountPasswordPolicy"), XML);
    expect(await fixer.undo(target, { before: preview.before, after: preview.after, ruleId: rule.id }, NOW)).toMatchObject({ ok: true });
  });

  it("creates the baseline when the account has none; undo deletes it", async () => {
    iam("GetAccountPasswordPolicy").reply(404, iamError("NoSuchEntity", `The Password Policy with domain name ${ACCOUNT} cannot be found.`), XML);
    const preview = await fixer.preview(target, ruleWithFix("iam-password-policy-exists", fixer.id), NOW);
    expect(preview.before).toBeNull();
    iam("UpdateAccountPasswordPolicy", { ...MERGED, AllowUsersToChangePassword: "true", MaxPasswordAge: "90", HardExpiry: null }).reply(200, ok("UpdateAccountPasswordPolicy"), XML);
    expect(await fixer.apply(target, preview)).toEqual({ ok: true });
  });

  it("reports AccessDenied on apply and writes nothing else", async () => {
    iam("GetAccountPasswordPolicy").reply(200, policyXml(CURRENT), XML);
    const preview = await fixer.preview(target, rule, NOW);
    iam("UpdateAccountPasswordPolicy").reply(403, iamError("AccessDenied", "not authorized to perform: iam:UpdateAccountPasswordPolicy"), XML);
    expect(await fixer.apply(target, preview)).toEqual({ ok: false, error: { code: "AccessDenied", message: "not authorized to perform: iam:UpdateAccountPasswordPolicy" }, rolledBack: [] });
  });
});
