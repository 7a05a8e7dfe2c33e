import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import nock from "nock";
import { parse as parseYaml } from "yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/context.js";
import { doctorCommand } from "../../src/cli/doctor-command.js";
import { runCli } from "../../src/cli/run.js";
import { loadMigrations } from "../../src/db/migrate.js";
import { openDatabase } from "../../src/db/open.js";
import { ACCOUNT_SUMMARY, PASSWORD_POLICY } from "../aws/fixtures-iam.js";
import { ACCOUNT_PUBLIC_ACCESS_BLOCK, listBucketsPage } from "../aws/fixtures-s3.js";
import { iamError, IAM, queryBody, s3Error, S3_HOME, STS } from "../aws/nock-aws.js";
import { startFakeSlack, type FakeSlack } from "../helpers/fake-slack/server.js";
import { workspace } from "../slack/harness.js";

const PROD = "123456789012";
const STAGING = "210987654321";
const SECURITY = "999988887777";
const BASE_ARN = `arn:aws:iam::${SECURITY}:user/posture`;
const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const XML = { "content-type": "text/xml" };
const BOT_TOKEN = "xoxb-1111-2222-DOCTORSECRET";

const manifest = parseYaml(readFileSync(new URL("../../manifest.yml", import.meta.url), "utf8")) as { oauth_config: { scopes: { bot: string[] } } };
const MANIFEST_SCOPES = manifest.oauth_config.scopes.bot;
const LATEST = loadMigrations().length;
const READS = "iam:GetAccountSummary, s3:ListAllMyBuckets, s3:GetAccountPublicAccessBlock, iam:GetAccountPasswordPolicy";

const CONFIG = `accounts:
  - id: "${PROD}"
    name: prod
    roleArn: ${role(PROD, "PostureScanner")}
    externalId: posture-ext
    fixerRoleArn: ${role(PROD, "PostureFixer")}
  - id: "${STAGING}"
    name: staging
    roleArn: ${role(STAGING, "PostureScanner")}
teams:
  - handle: payments
    channel: "#payments-alerts"
  - handle: data
    channel: C0DATA00001
    userGroup: S0DATA0001
securityChannel: C0SECURITY1
`;

// STS and IAM speak the query protocol; the assumed role's access key tells the calls of each account apart.
const stsXml = (action: string, result: string) => `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata></${action}Response>`;
const stsError = (code: string, message: string) => `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>`;
const s3ControlError = (code: string, message: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Code>${code}</Code><Message>${message}</Message></Error><RequestId>656c76696e6727732072657175657374</RequestId><HostId>Uuag1LuByRx9e6j5Onimru9pO4ZVKnJ2Qz7/C1NPcfTWAtRPfTaOFg==</HostId></ErrorResponse>`;
const withKey = (host: string, key: string) => nock(host, { reqheaders: { authorization: (value: string) => value.includes(`Credential=${key}/`) } });

function callerIdentity(key: string, arn: string, account: string): void {
  withKey(STS, key).post("/", queryBody("GetCallerIdentity")).reply(200, stsXml("GetCallerIdentity", `<Arn>${arn}</Arn><UserId>AIDAEXAMPLE</UserId><Account>${account}</Account>`), XML);
}

function assumeRole(roleArn: string, answer: { key: string } | { denied: true }, extra: Record<string, string> = {}): void {
  const scope = withKey(STS, "AKIDBASE").post("/", queryBody("AssumeRole", { RoleArn: roleArn, ...extra }));
  if ("denied" in answer) {
    scope.reply(403, stsError("AccessDenied", `User: ${BASE_ARN} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`), XML);
    return;
  }
  const session = `${roleArn.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/")}/posture-doctor`;
  scope.reply(200, stsXml("AssumeRole", `<Credentials><AccessKeyId>${answer.key}</AccessKeyId><SecretAccessKey>secret-${answer.key}</SecretAccessKey><SessionToken>token-${answer.key}</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>${session}</Arn><AssumedRoleId>AROAEXAMPLE:posture-doctor</AssumedRoleId></AssumedRoleUser>`), XML);
}

type Read = "allowed" | "not-configured" | "denied";

/** The four scanner reads of one account with the role's key; "not-configured" is AWS's NoSuch* answer. */
function scannerReads(key: string, account: string, reads: { summary?: Read; buckets?: Read; accountBlock?: Read; passwordPolicy?: Read } = {}): void {
  const denied = (action: string) => `User: arn:aws:sts::${account}:assumed-role/PostureScanner/posture-doctor is not authorized to perform: ${action}`;
  const summary = withKey(IAM, key).post("/", queryBody("GetAccountSummary"));
  if (reads.summary === "denied") summary.reply(403, iamError("AccessDenied", denied("iam:GetAccountSummary")), XML);
  else summary.reply(200, ACCOUNT_SUMMARY, XML);
  const buckets = withKey(S3_HOME, key).get("/").query((q) => q["max-buckets"] === "1");
  if (reads.buckets === "denied") buckets.reply(403, s3Error("AccessDenied", "Access Denied"), XML);
  else buckets.reply(200, listBucketsPage([["pay-ledger", "eu-west-1"]]), XML);
  const block = withKey(`https://${account}.s3-control.us-east-1.amazonaws.com`, key).get("/v20180820/configuration/publicAccessBlock").matchHeader("x-amz-account-id", account);
  if (reads.accountBlock === "denied") block.reply(403, s3ControlError("AccessDenied", "Access Denied"), XML);
  else if (reads.accountBlock === "not-configured") block.reply(404, s3ControlError("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found"), XML);
  else block.reply(200, ACCOUNT_PUBLIC_ACCESS_BLOCK, XML);
  const policy = withKey(IAM, key).post("/", queryBody("GetAccountPasswordPolicy"));
  if (reads.passwordPolicy === "not-configured") policy.reply(404, iamError("NoSuchEntity", `The Password Policy with domain name ${account} cannot be found.`), XML);
  else if (reads.passwordPolicy === "denied") policy.reply(403, iamError("AccessDenied", denied("iam:GetAccountPasswordPolicy")), XML);
  else policy.reply(200, PASSWORD_POLICY, XML);
}

let dir = "";
let cleanup = () => {};
let slack: FakeSlack | undefined;
beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  // The harness's workspace: a three-rule catalog in rules/ (its config is replaced by this test's).
  ({ dir, cleanup } = workspace());
  writeFileSync(join(dir, "posture.config.yml"), CONFIG);
});
afterEach(async () => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  nock.enableNetConnect();
  await slack?.close();
  slack = undefined;
  cleanup();
  if (pending.length > 0) throw new Error(`unused AWS mocks: ${pending.join(", ")}`);
});

function io(env: Record<string, string>) {
  const out: string[] = [];
  const value: CliIo = { out: (t) => void out.push(t), err: (t) => void out.push(t), color: false, env: { POSTURE_DB_PATH: "data/posture.db", ...env }, cwd: dir, clock: () => new Date("2026-11-27T08:00:00Z") };
  return { io: value, text: () => out.join("") };
}

const slackEnv = (fake: FakeSlack) => ({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: "xapp-1-A0-DOCTORAPP", SLACK_API_URL: fake.apiUrl });
const seams = { awsCredentials: async () => ({ accessKeyId: "AKIDBASE", secretAccessKey: "base-secret" }), awsMaxAttempts: 1 };
const globals = { rules: "rules" };

describe("posture doctor", () => {
  it("all green: one ✓ line per check and exit 0", async () => {
    openDatabase(join(dir, "data", "posture.db")).db.close();
    slack = await startFakeSlack({
      scopes: [...MANIFEST_SCOPES, "channels:read", "groups:read", "usergroups:read"],
      channels: [
        { id: "C0PAYALERT1", name: "payments-alerts", is_member: true },
        { id: "C0DATA00001", name: "data", is_member: true },
        { id: "C0SECURITY1", name: "security", is_member: true },
      ],
      userGroups: { S0DATA0001: ["U0ALICE001", "U0BOB00001"] },
    });
    callerIdentity("AKIDBASE", BASE_ARN, SECURITY);
    assumeRole(role(PROD, "PostureScanner"), { key: "ASIAPROD" }, { ExternalId: "posture-ext" });
    callerIdentity("ASIAPROD", `arn:aws:sts::${PROD}:assumed-role/PostureScanner/posture-doctor`, PROD);
    scannerReads("ASIAPROD", PROD, { passwordPolicy: "not-configured", accountBlock: "not-configured" });
    assumeRole(role(PROD, "PostureFixer"), { key: "ASIAFIXER" });
    assumeRole(role(STAGING, "PostureScanner"), { key: "ASIASTAGING" });
    callerIdentity("ASIASTAGING", `arn:aws:sts::${STAGING}:assumed-role/PostureScanner/posture-doctor`, STAGING);
    scannerReads("ASIASTAGING", STAGING);

    const run = io(slackEnv(slack));
    const code = await doctorCommand({}, globals, run.io, seams);
    expect(run.text()).toBe(`✓ configuration: posture.config.yml and the environment parse (2 accounts, 2 teams)
✓ rules: the rule catalog loads (3 rules)
✓ database: data/posture.db is writable, schema version ${LATEST} (up to date)
✓ slack: the bot token works: @posture (UBOT00001) in Posture Test (T00000001)
✓ slack: every scope manifest.yml asks for is granted (${MANIFEST_SCOPES.join(", ")})
✓ slack: #payments-alerts (C0PAYALERT1, teams[0].channel): @Posture is a member
✓ slack: #data (C0DATA00001, teams[1].channel): @Posture is a member
✓ slack: #security (C0SECURITY1, securityChannel): @Posture is a member
✓ slack: user group S0DATA0001 (teams[1].userGroup) resolves: 2 members
✓ aws: base identity ${BASE_ARN} (account ${SECURITY})
✓ aws: account ${PROD} (prod): assumed ${role(PROD, "PostureScanner")}; scanner reads allowed (${READS})
✓ aws: account ${PROD} (prod): fixer role ${role(PROD, "PostureFixer")} assumable
✓ aws: account ${STAGING} (staging): assumed ${role(STAGING, "PostureScanner")}; scanner reads allowed (${READS})
doctor: everything needed passes
`);
    expect(code).toBe(0);
    // Read-only: nothing was posted, and the fixer role was only assumed.
    expect(slack.calls.map((c) => c.method).sort()).toEqual(["auth.test", "conversations.info", "conversations.info", "conversations.list", "usergroups.users.list"]);
  });

  it("several distinct failures: each line says what to fix, exit 1, and no token is printed", async () => {
    slack = await startFakeSlack({
      scopes: MANIFEST_SCOPES.filter((scope) => scope !== "files:write"),
      channels: [
        { id: "C0PAYALERT1", name: "payments-alerts", is_member: false },
        { id: "C0SECURITY1", name: "security", is_member: true },
      ],
      userGroups: {},
    });
    callerIdentity("AKIDBASE", BASE_ARN, SECURITY);
    assumeRole(role(PROD, "PostureScanner"), { key: "ASIAPROD" }, { ExternalId: "posture-ext" });
    callerIdentity("ASIAPROD", `arn:aws:sts::${PROD}:assumed-role/PostureScanner/posture-doctor`, PROD);
    scannerReads("ASIAPROD", PROD, { accountBlock: "denied" });
    assumeRole(role(PROD, "PostureFixer"), { denied: true });
    assumeRole(role(STAGING, "PostureScanner"), { denied: true });

    const run = io(slackEnv(slack));
    const code = await doctorCommand({}, globals, run.io, seams);
    expect(run.text()).toBe(`✓ configuration: posture.config.yml and the environment parse (2 accounts, 2 teams)
✓ rules: the rule catalog loads (3 rules)
! database: data/posture.db does not exist yet (its folder is writable): \`posture migrate\` or \`npm start\` creates it
✓ slack: the bot token works: @posture (UBOT00001) in Posture Test (T00000001)
✗ slack: scopes in manifest.yml but not granted: files:write: update the app from manifest.yml (App Manifest) and reinstall it to the workspace
✗ slack: #payments-alerts (C0PAYALERT1, teams[0].channel): @Posture is not a member: /invite @Posture in #payments-alerts
✗ slack: C0DATA00001 (teams[1].channel) not found: check the name or id; a private channel is visible only once @Posture is invited (/invite @Posture)
✓ slack: #security (C0SECURITY1, securityChannel): @Posture is a member
✗ slack: user group S0DATA0001 (teams[1].userGroup) cannot be resolved (no_such_subteam): check the id (Slack: the group's profile -> Copy group ID), or list members instead
✓ aws: base identity ${BASE_ARN} (account ${SECURITY})
✗ aws: account ${PROD} (prod): s3:GetAccountPublicAccessBlock denied (AccessDenied): the scanner policy is missing s3:GetAccountPublicAccessBlock: attach the scanner policy from the README ("IAM permissions")
✗ aws: account ${PROD} (prod): cannot assume ${role(PROD, "PostureFixer")} (AccessDenied): allow sts:AssumeRole on it for ${BASE_ARN}, and check that the role's trust policy trusts that identity
✗ aws: account ${STAGING} (staging): cannot assume ${role(STAGING, "PostureScanner")} (AccessDenied): allow sts:AssumeRole on it for ${BASE_ARN}, and check that the role's trust policy trusts that identity
doctor: 7 problems to fix, 1 warning
`);
    expect(code).toBe(1);
    expect(run.text()).not.toContain("DOCTORSECRET");
  });

  it("--json through the CLI: configuration problems listed, Slack and AWS not checked, exit 1", async () => {
    writeFileSync(join(dir, "posture.config.yml"), "accounts:\n  - id: 42\nsecurityChannel: General\n");
    const run = io({ POSTURE_SLACK_TRANSPORT: "console" });
    const code = await runCli(["doctor", "--json", "--rules", globals.rules], run.io);
    expect(code).toBe(1);
    const report = JSON.parse(run.text()) as { ok: boolean; checks: { section: string; status: string; text: string }[] };
    expect(report.ok).toBe(false);
    expect(report.checks.map((c) => [c.section, c.status])).toEqual([
      ["configuration", "fail"], ["configuration", "fail"], ["rules", "pass"], ["database", "skip"], ["slack", "skip"], ["aws", "skip"],
    ]);
    expect(report.checks[0]!.text).toMatch(/^posture\.config\.yml: accounts\[0\]\.id: /);
    expect(report.checks[1]!.text).toMatch(/^posture\.config\.yml: securityChannel: a Slack channel id/);
  });

  it("without channels:read or usergroups:read the channel and user-group checks are warnings naming the scope (exit 0)", async () => {
    writeFileSync(join(dir, "posture.config.yml"), "teams:\n  - handle: data\n    channel: \"#data\"\n    userGroup: S0DATA0001\nsecurityChannel: C0SECURITY1\n");
    slack = await startFakeSlack({ scopes: MANIFEST_SCOPES });
    for (const method of ["conversations.list", "conversations.info", "usergroups.users.list"]) slack.failWith(method, "missing_scope");
    callerIdentity("AKIDBASE", BASE_ARN, SECURITY);
    callerIdentity("AKIDBASE", BASE_ARN, SECURITY);
    scannerReads("AKIDBASE", SECURITY);
    const run = io(slackEnv(slack));
    expect(await doctorCommand({}, globals, run.io, seams)).toBe(0);
    expect(run.text().split("\n").filter((line) => line.startsWith("! slack"))).toEqual([
      "! slack: cannot check #data (teams[0].channel): the bot token lacks channels:read: add channels:read and groups:read to the app's bot scopes and reinstall",
      "! slack: cannot check C0SECURITY1 (securityChannel): the bot token lacks channels:read: add channels:read and groups:read to the app's bot scopes and reinstall",
      "! slack: cannot resolve user group S0DATA0001 (teams[0].userGroup): the bot token lacks usergroups:read: add it to the app's bot scopes and reinstall",
    ]);
    // The fourth warning: the database is not created yet.
    expect(run.text()).toMatch(/^✓ configuration: posture\.config\.yml and the environment parse \(0 accounts, 1 team\)$/m);
    expect(run.text()).toMatch(/doctor: everything needed passes \(4 warnings\)\n$/);
  });

  it("organizations.enabled: ListAccounts with the management role, or a denial naming what to fix", async () => {
    const ORGANIZATIONS = "https://organizations.us-east-1.amazonaws.com";
    const listAccounts = (key: string) => nock(ORGANIZATIONS, { reqheaders: { "x-amz-target": "AWSOrganizationsV20161128.ListAccounts", authorization: (v: string) => v.includes(`Credential=${key}/`) } })
      .post("/", (body: Record<string, unknown>) => body.MaxResults === 1);
    const JSON_11 = { "content-type": "application/x-amz-json-1.1" };
    writeFileSync(join(dir, "posture.config.yml"), `organizations:\n  enabled: true\n  managementRoleArn: ${role(SECURITY, "PostureOrganizationsReader")}\n`);
    callerIdentity("AKIDBASE", BASE_ARN, SECURITY);
    assumeRole(role(SECURITY, "PostureOrganizationsReader"), { key: "ASIAORG" });
    listAccounts("ASIAORG").reply(200, { Accounts: [{ Id: PROD, Arn: `arn:aws:organizations::${SECURITY}:account/o-example/${PROD}`, Name: "prod", State: "ACTIVE" }], NextToken: "next" }, JSON_11);
    const allowed = io({ POSTURE_SLACK_TRANSPORT: "console" });
    expect(await doctorCommand({}, globals, allowed.io, seams)).toBe(0);
    expect(allowed.text()).toContain(`✓ aws: organizations:ListAccounts allowed with ${role(SECURITY, "PostureOrganizationsReader")} (account discovery works)
- aws: discovered accounts are not checked one by one: each scan shows them in its coverage
`);

    writeFileSync(join(dir, "posture.config.yml"), "organizations:\n  enabled: true\n");
    callerIdentity("AKIDBASE", BASE_ARN, SECURITY);
    listAccounts("AKIDBASE").reply(400, JSON.stringify({ __type: "AccessDeniedException", Message: "You don't have permissions to access this resource." }), JSON_11);
    const denied = io({ POSTURE_SLACK_TRANSPORT: "console" });
    expect(await doctorCommand({}, globals, denied.io, seams)).toBe(1);
    expect(denied.text()).toContain("✗ aws: organizations:ListAccounts denied (AccessDeniedException): run Posture from the management account or a delegated administrator allowed organizations:ListAccounts\n");
  });

  it("a Slack setup problem (from .env, as npm start reads it) is a failed line naming the variable; the console transport skips Slack", async () => {
    writeFileSync(join(dir, "posture.config.yml"), "teams: []\n");
    writeFileSync(join(dir, ".env"), "SLACK_BOT_TOKEN=xoxp-1-USERTOKENSECRET\nPOSTURE_SLACK_TRANSPORT=slack\n");
    callerIdentity("AKIDBASE", BASE_ARN, SECURITY);
    callerIdentity("AKIDBASE", BASE_ARN, SECURITY);
    scannerReads("AKIDBASE", SECURITY);
    const broken = io({});
    expect(await doctorCommand({}, globals, broken.io, seams)).toBe(1);
    expect(broken.text()).toMatch(/^✗ slack: SLACK_BOT_TOKEN does not look like a bot token/m);
    expect(broken.text()).not.toContain("USERTOKENSECRET");

    callerIdentity("AKIDBASE", BASE_ARN, SECURITY);
    callerIdentity("AKIDBASE", BASE_ARN, SECURITY);
    scannerReads("AKIDBASE", SECURITY);
    // A real variable wins over .env.
    const consoleRun = io({ POSTURE_SLACK_TRANSPORT: "console" });
    expect(await doctorCommand({}, globals, consoleRun.io, seams)).toBe(0);
    expect(consoleRun.text()).toContain("- slack: not checked: POSTURE_SLACK_TRANSPORT=console prints what would be posted\n");
    expect(consoleRun.text()).toContain(`✓ aws: account ${SECURITY} (the credentials' own account): scanner reads allowed (${READS})\n`);
  });
});
