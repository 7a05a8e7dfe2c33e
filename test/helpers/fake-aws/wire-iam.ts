import type { FakeDataset, FakePrincipalPolicy, FakeUser } from "./dataset.js";
import { el, members, text } from "./xml.js";

/** IAM returns policy documents URL-encoded (RFC 3986), as real IAM does. */
export const encodePolicy = (document: object) => encodeURIComponent(JSON.stringify(document));

const attached = (list: { name: string; arn: string }[]) =>
  members("AttachedManagedPolicies", list.map((p) => text("PolicyName", p.name) + text("PolicyArn", p.arn)));
const inline = (name: string, list: FakePrincipalPolicy[]) =>
  members(name, list.map((p) => text("PolicyName", p.name) + el("PolicyDocument", encodePolicy(p.document))));
const tags = (record: Record<string, string>) => members("Tags", Object.entries(record).map(([k, v]) => text("Key", k) + text("Value", v)));

export function renderUserDetail(u: FakeUser): string {
  return text("Path", "/") + text("UserName", u.name) + text("UserId", u.id) + text("Arn", u.arn) + text("CreateDate", u.createdAt)
    + inline("UserPolicyList", u.inline) + members("GroupList", u.groups.map((g) => g)) + attached(u.attached) + tags(u.tags);
}

type Entity = { kind: "user" | "group" | "role" | "policy"; xml: string };

export function authorizationEntities(d: FakeDataset): Entity[] {
  return [
    ...d.users.map((u) => ({ kind: "user" as const, xml: renderUserDetail(u) })),
    ...d.groups.map((g) => ({ kind: "group" as const, xml: text("Path", "/") + text("GroupName", g.name) + text("GroupId", g.id)
      + text("Arn", g.arn) + text("CreateDate", g.createdAt) + inline("GroupPolicyList", g.inline) + attached(g.attached) })),
    ...d.roles.map((r) => ({ kind: "role" as const, xml: text("Path", r.path) + text("RoleName", r.name) + text("RoleId", r.id)
      + text("Arn", r.arn) + text("CreateDate", r.createdAt) + el("AssumeRolePolicyDocument", encodePolicy(r.trust))
      + members("InstanceProfileList", []) + inline("RolePolicyList", r.inline) + attached(r.attached) + members("Tags", [])
      + el("RoleLastUsed", "") })),
    ...d.policies.map((p) => ({ kind: "policy" as const, xml: text("PolicyName", p.name) + text("DefaultVersionId", "v1")
      + text("PolicyId", p.id) + text("Path", "/") + members("PolicyVersionList", [el("Document", encodePolicy(p.document))
        + text("IsDefaultVersion", true) + text("VersionId", "v1") + text("CreateDate", p.createdAt)])
      + text("Arn", p.arn) + text("AttachmentCount", p.attachmentCount) + text("PermissionsBoundaryUsageCount", 0)
      + text("IsAttachable", true) + text("CreateDate", p.createdAt) + text("UpdateDate", p.createdAt) })),
  ];
}

/** One GetAccountAuthorizationDetails page over the combined entity list; the marker is an offset. */
export function renderAuthorizationPage(entities: Entity[], marker: number, maxItems: number): string {
  const page = entities.slice(marker, marker + maxItems);
  const pick = (kind: Entity["kind"]) => page.filter((e) => e.kind === kind).map((e) => e.xml);
  const truncated = marker + maxItems < entities.length;
  return text("IsTruncated", truncated) + (truncated ? text("Marker", String(marker + maxItems)) : "")
    + members("UserDetailList", pick("user")) + members("GroupDetailList", pick("group"))
    + members("RoleDetailList", pick("role")) + members("Policies", pick("policy"));
}

const CSV_HEADER = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,"
  + "access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
  + "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,"
  + "cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

function userCsvRow(u: FakeUser): string {
  const key = u.accessKey;
  const key1 = key
    ? [key.active, key.lastRotated, key.lastUsed ?? "N/A", key.lastUsed ? "us-east-1" : "N/A", key.lastUsed ? "s3" : "N/A"]
    : [false, "N/A", "N/A", "N/A", "N/A"];
  return [u.name, u.arn, "2023-03-01T10:00:00+00:00", u.passwordEnabled, u.passwordEnabled ? "2026-01-02T09:00:00+00:00" : "N/A",
    u.passwordEnabled ? "2025-06-01T09:00:00+00:00" : "N/A", u.passwordEnabled ? "N/A" : "N/A", u.mfaActive,
    ...key1, false, "N/A", "N/A", "N/A", "N/A", false, "N/A", false, "N/A"].join(",");
}

/** The credential report CSV, `<root_account>` row first as in real reports. */
export function renderCredentialReportCsv(d: FakeDataset): string {
  const root = `<root_account>,arn:aws:iam::${d.accountId}:root,2019-05-01T08:00:00+00:00,not_supported,2025-11-20T10:00:00+00:00,not_supported,not_supported,`
    + `${d.rootMfa !== "none"},false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;
  return [CSV_HEADER, root, ...d.users.map(userCsvRow)].join("\n") + "\n";
}

export function renderVirtualMfaDevices(d: FakeDataset): string[] {
  const user = (arn: string, name: string, id: string) =>
    el("User", text("Path", "/") + text("UserName", name) + text("UserId", id) + text("Arn", arn) + text("CreateDate", "2019-05-01T08:00:00Z"));
  const root = d.rootMfa === "virtual"
    ? [text("SerialNumber", `arn:aws:iam::${d.accountId}:mfa/root-account-mfa-device`) + user(`arn:aws:iam::${d.accountId}:root`, "<root_account>", d.accountId) + text("EnableDate", "2019-05-02T08:00:00Z")]
    : [];
  return [...root, ...d.users.filter((u) => u.virtualMfa).map((u) =>
    text("SerialNumber", `arn:aws:iam::${d.accountId}:mfa/${u.name}`) + user(u.arn, u.name, u.id) + text("EnableDate", "2024-01-02T08:00:00Z"))];
}

export function renderAccountSummary(d: FakeDataset): string {
  const entries: [string, number][] = [["Users", d.users.length], ["Roles", d.roles.length], ["Groups", d.groups.length],
    ["AccountMFAEnabled", d.rootMfa === "none" ? 0 : 1], ["AccountAccessKeysPresent", 0], ["MFADevices", d.users.filter((u) => u.virtualMfa).length]];
  return el("SummaryMap", entries.map(([k, v]) => el("entry", text("key", k) + text("value", v))).join(""));
}

export function renderPasswordPolicy(p: NonNullable<FakeDataset["passwordPolicy"]>): string {
  return el("PasswordPolicy", text("AllowUsersToChangePassword", true) + text("RequireUppercaseCharacters", true)
    + text("RequireSymbols", false) + text("ExpirePasswords", false) + text("PasswordReusePrevention", p.passwordReusePrevention)
    + text("RequireLowercaseCharacters", true) + text("HardExpiry", false) + text("RequireNumbers", true)
    + text("MinimumPasswordLength", p.minimumPasswordLength));
}

export function renderServerCertificates(d: FakeDataset): string {
  return members("ServerCertificateMetadataList", d.serverCertificates.map((c) => text("ServerCertificateId", c.id)
    + text("ServerCertificateName", c.name) + text("Path", "/") + text("Arn", c.arn) + text("UploadDate", c.uploadedAt)
    + text("Expiration", c.expiration))) + text("IsTruncated", false);
}
