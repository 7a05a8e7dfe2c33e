import pLimit from "p-limit";

/**
 * `posture doctor`: checks what Posture needs to run (configuration, rules, database, Slack, AWS) and
 * says what to fix, one line per check. The probes are ports: src/slack/doctor-probes.ts and
 * src/aws/doctor-probes.ts implement them, and never call a write API.
 */

export type CheckStatus = "pass" | "fail" | "warn" | "skip";
export type CheckSection = "configuration" | "rules" | "database" | "slack" | "aws";

export interface DoctorCheck {
  section: CheckSection;
  status: CheckStatus;
  /** What was found and, for fail and warn, what to do about it. */
  text: string;
}

export interface DoctorReport {
  /** True when nothing failed (warnings and skips do not fail the run). */
  ok: boolean;
  checks: DoctorCheck[];
}

/** A probe's answer: the value, or the API's error code and message (AccessDenied, channel_not_found, ...). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; code: string; message: string; neededScope?: string };

export interface SlackIdentity {
  team: string;
  teamId: string;
  botUser: string;
  botUserId: string;
  /** The x-oauth-scopes header; null when Slack did not send it. */
  scopes: string[] | null;
}

export interface SlackChannel {
  id: string;
  name: string;
  isMember: boolean;
}

export interface SlackDoctorProbes {
  authTest(): Promise<Outcome<SlackIdentity>>;
  /** A channel id (C0123ABCD) or a #name; null when no such channel is visible to the bot. */
  findChannel(ref: string): Promise<Outcome<SlackChannel | null>>;
  /** How many users a user group (S0123ABCD) has. */
  userGroupSize(id: string): Promise<Outcome<number>>;
}

export interface RoleRef {
  roleArn: string;
  externalId?: string;
}

export interface ScannerAccess {
  /** Absent when the base identity is used (no roleArn). */
  assumed?: Outcome<{ arn: string }>;
  /** sts:GetCallerIdentity with the scanner's credentials; absent when the role could not be assumed. */
  identity?: Outcome<{ account: string; arn: string }>;
  /** The cheap reads that prove the scanner policy, by IAM action. */
  reads: { action: string; outcome: Outcome<void> }[];
}

export interface AwsDoctorProbes {
  callerIdentity(): Promise<Outcome<{ account: string; arn: string }>>;
  scannerAccess(role: RoleRef | undefined): Promise<ScannerAccess>;
  /** sts:AssumeRole only: the fixer role is never used for anything else here. */
  assumeRole(role: RoleRef, sessionName: string): Promise<Outcome<{ arn: string }>>;
  /** One ListAccounts page, with the base identity or the management role assumed from it. */
  listOrganizationAccounts(managementRole?: RoleRef): Promise<{ assumed?: Outcome<{ arn: string }>; listed?: Outcome<{ accounts: number }> }>;
}

/** What the command found before any network call. */
export type Loaded<T> = { ok: true; value: T } | { ok: false; problems: string[] };

export interface DatabaseStatus {
  path: string;
  exists: boolean;
  writable: boolean;
  /** Schema version of the file (0 when it does not exist yet). */
  version: number;
  /** The newest migration this Posture knows. */
  latest: number;
  /** The file exists but could not be read. */
  error?: string;
}

/** The parts of the configuration the doctor checks (a structural subset of Config). */
export interface DoctorConfig {
  accounts: readonly { id: string; name?: string; roleArn?: string; externalId?: string; fixerRoleArn?: string; fixerExternalId?: string }[];
  teams: readonly { handle: string; channel: string; userGroup?: string }[];
  securityChannel?: string;
  securityTeam: { userGroup?: string };
  mutes: { approvalsChannel?: string; approvers: { userGroup?: string } };
  scan: { accountConcurrency: number };
  organizations?: { enabled?: boolean; managementRoleArn?: string; managementExternalId?: string };
}

export interface DoctorInput {
  configuration: Loaded<{ config: DoctorConfig; source: string }>;
  catalog: Loaded<{ rules: number }>;
  database?: DatabaseStatus;
  /** "console" skips the Slack checks; a string is the Slack setup problem from config.slack. */
  slack: { probes: SlackDoctorProbes; manifestScopes: readonly string[]; botName: string } | "console" | { problem: string };
  aws: AwsDoctorProbes;
}

const POLICY_HINT = "attach the scanner policy from the README (\"IAM permissions\")";

export async function runDoctor(input: DoctorInput): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  const add = (section: CheckSection, status: CheckStatus, text: string) => void checks.push({ section, status, text });
  if (input.catalog.ok) add("rules", "pass", `the rule catalog loads (${input.catalog.value.rules} rules)`);
  else input.catalog.problems.forEach((problem) => add("rules", "fail", problem));
  if (!input.configuration.ok) {
    input.configuration.problems.forEach((problem) => add("configuration", "fail", problem));
    for (const section of ["database", "slack", "aws"] as const) add(section, "skip", "not checked until the configuration parses");
    return reportOf(checks);
  }
  const { config, source } = input.configuration.value;
  add("configuration", "pass", `${source} and the environment parse (${plural(config.accounts.length, "account")}, ${plural(config.teams.length, "team")})`);
  if (input.database) checks.push(...checkDatabase(input.database));
  checks.push(...(await checkSlack(input.slack, config)));
  checks.push(...(await checkAws(input.aws, config)));
  return reportOf(checks);
}

function reportOf(checks: DoctorCheck[]): DoctorReport {
  const order: CheckSection[] = ["configuration", "rules", "database", "slack", "aws"];
  const sorted = [...checks].sort((a, b) => order.indexOf(a.section) - order.indexOf(b.section));
  return { ok: sorted.every((check) => check.status !== "fail"), checks: sorted };
}

export function checkDatabase(db: DatabaseStatus): DoctorCheck[] {
  const at = (status: CheckStatus, text: string): DoctorCheck[] => [{ section: "database", status, text }];
  if (db.error !== undefined) return at("fail", `${db.path} cannot be read (${db.error}): check the file and POSTURE_DB_PATH`);
  if (!db.writable) return at("fail", `${db.path} is not writable: give this user write access to it and its folder, or set POSTURE_DB_PATH`);
  if (!db.exists) return at("warn", `${db.path} does not exist yet (its folder is writable): \`posture migrate\` or \`npm start\` creates it`);
  if (db.version > db.latest) return at("fail", `${db.path} is at schema version ${db.version}, newer than this Posture (${db.latest}): upgrade Posture, or set POSTURE_DB_PATH to another file`);
  if (db.version < db.latest) return at("warn", `${db.path} is at schema version ${db.version}, ${db.latest - db.version} migration(s) pending: \`posture migrate\` or \`npm start\` applies them`);
  return at("pass", `${db.path} is writable, schema version ${db.version} (up to date)`);
}

/** Every channel the configuration posts to, with the field that names it. */
function configuredChannels(config: DoctorConfig): { ref: string; where: string }[] {
  const channels = config.teams.map((team, i) => ({ ref: team.channel, where: `teams[${i}].channel` }));
  if (config.securityChannel !== undefined) channels.push({ ref: config.securityChannel, where: "securityChannel" });
  if (config.mutes.approvalsChannel !== undefined) channels.push({ ref: config.mutes.approvalsChannel, where: "mutes.approvalsChannel" });
  return channels;
}

function configuredUserGroups(config: DoctorConfig): { id: string; where: string }[] {
  const groups = config.teams.flatMap((team, i) => (team.userGroup === undefined ? [] : [{ id: team.userGroup, where: `teams[${i}].userGroup` }]));
  if (config.securityTeam.userGroup !== undefined) groups.push({ id: config.securityTeam.userGroup, where: "securityTeam.userGroup" });
  if (config.mutes.approvers.userGroup !== undefined) groups.push({ id: config.mutes.approvers.userGroup, where: "mutes.approvers.userGroup" });
  return groups;
}

async function checkSlack(slack: DoctorInput["slack"], config: DoctorConfig): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const add = (status: CheckStatus, text: string) => void checks.push({ section: "slack", status, text });
  if (slack === "console") {
    add("skip", "not checked: POSTURE_SLACK_TRANSPORT=console prints what would be posted");
    return checks;
  }
  if ("problem" in slack) {
    add("fail", slack.problem);
    return checks;
  }
  const auth = await slack.probes.authTest();
  if (!auth.ok) {
    add("fail", `auth.test refused the bot token (${auth.code}): reinstall the app to the workspace and copy the Bot User OAuth Token (xoxb-...) into SLACK_BOT_TOKEN`);
    return checks;
  }
  const me = auth.value;
  add("pass", `the bot token works: @${me.botUser} (${me.botUserId}) in ${me.team} (${me.teamId})`);
  if (me.scopes === null) add("warn", "Slack did not say which scopes are granted (no x-oauth-scopes header): compare the app's OAuth scopes with manifest.yml by hand");
  else {
    const missing = slack.manifestScopes.filter((scope) => !me.scopes!.includes(scope));
    if (missing.length === 0) add("pass", `every scope manifest.yml asks for is granted (${slack.manifestScopes.join(", ")})`);
    else add("fail", `scopes in manifest.yml but not granted: ${missing.join(", ")}: update the app from manifest.yml (App Manifest) and reinstall it to the workspace`);
  }
  for (const channel of configuredChannels(config)) checks.push(await checkChannel(slack.probes, channel, slack.botName));
  for (const group of configuredUserGroups(config)) {
    const size = await slack.probes.userGroupSize(group.id);
    if (size.ok) add("pass", `user group ${group.id} (${group.where}) resolves: ${size.value} members`);
    else if (size.code === "missing_scope") add("warn", `cannot resolve user group ${group.id} (${group.where}): the bot token lacks ${size.neededScope ?? "usergroups:read"}: add it to the app's bot scopes and reinstall`);
    else add("fail", `user group ${group.id} (${group.where}) cannot be resolved (${size.code}): check the id (Slack: the group's profile -> Copy group ID), or list members instead`);
  }
  return checks;
}

async function checkChannel(probes: SlackDoctorProbes, channel: { ref: string; where: string }, botName: string): Promise<DoctorCheck> {
  const at = (status: CheckStatus, text: string): DoctorCheck => ({ section: "slack", status, text });
  const found = await probes.findChannel(channel.ref);
  if (!found.ok && found.code === "missing_scope") {
    return at("warn", `cannot check ${channel.ref} (${channel.where}): the bot token lacks ${found.neededScope ?? "channels:read"}: add channels:read and groups:read to the app's bot scopes and reinstall`);
  }
  if (!found.ok) return at("fail", `cannot check ${channel.ref} (${channel.where}): ${found.code}`);
  if (found.value === null) {
    return at("fail", `${channel.ref} (${channel.where}) not found: check the name or id; a private channel is visible only once @${botName} is invited (/invite @${botName})`);
  }
  const { id, name, isMember } = found.value;
  const label = `#${name} (${id}, ${channel.where})`;
  return isMember ? at("pass", `${label}: @${botName} is a member`) : at("fail", `${label}: @${botName} is not a member: /invite @${botName} in #${name}`);
}

async function checkAws(aws: AwsDoctorProbes, config: DoctorConfig): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const add = (status: CheckStatus, text: string) => void checks.push({ section: "aws", status, text });
  const base = await aws.callerIdentity();
  if (!base.ok) {
    add("fail", baseIdentityFailure(base.code, base.message));
    return checks;
  }
  add("pass", `base identity ${base.value.arn} (account ${base.value.account})`);
  const organizations = config.organizations;
  if (organizations?.enabled === true) {
    const management = organizations.managementRoleArn === undefined ? undefined
      : { roleArn: organizations.managementRoleArn, ...(organizations.managementExternalId !== undefined ? { externalId: organizations.managementExternalId } : {}) };
    const { assumed, listed } = await aws.listOrganizationAccounts(management);
    if (assumed && !assumed.ok) add("fail", `organizations.managementRoleArn: ${assumeFailure(management!, assumed, base.value.arn)}`);
    else if (!listed) add("fail", "organizations:ListAccounts was not called");
    else if (listed.ok) add("pass", `organizations:ListAccounts allowed${management ? ` with ${management.roleArn}` : ""} (account discovery works)`);
    else if (listed.code === "AWSOrganizationsNotInUseException") add("fail", "organizations.enabled but this account is not in an AWS Organization: list the accounts under accounts instead");
    else add("fail", `organizations:ListAccounts ${deniedOrFailed(listed)}: run Posture from the management account or a delegated administrator allowed organizations:ListAccounts`);
  }
  if (config.accounts.length === 0 && organizations?.enabled === true) {
    add("skip", "discovered accounts are not checked one by one: each scan shows them in its coverage");
    return checks;
  }
  const accounts = config.accounts.length > 0 ? config.accounts : [{ id: base.value.account, name: "the credentials' own account" }];
  const limit = pLimit(config.scan.accountConcurrency);
  const perAccount = await Promise.all(accounts.map((account) => limit(() => checkAccount(aws, account, base.value.arn))));
  checks.push(...perAccount.flat());
  return checks;
}

async function checkAccount(aws: AwsDoctorProbes, account: DoctorConfig["accounts"][number], baseArn: string): Promise<DoctorCheck[]> {
  const label = `account ${account.id}${account.name ? ` (${account.name})` : ""}`;
  const checks: DoctorCheck[] = [];
  const add = (status: CheckStatus, text: string) => void checks.push({ section: "aws", status, text: `${label}: ${text}` });
  const role = account.roleArn === undefined ? undefined : { roleArn: account.roleArn, ...(account.externalId !== undefined ? { externalId: account.externalId } : {}) };
  const access = await aws.scannerAccess(role);
  if (access.assumed && !access.assumed.ok) add("fail", assumeFailure(role!, access.assumed, baseArn));
  else if (access.identity && !access.identity.ok) add("fail", `sts:GetCallerIdentity ${deniedOrFailed(access.identity)}`);
  else if (access.identity?.ok && access.identity.value.account !== account.id) {
    add("fail", `the ${role ? "role" : "credentials"} belong to account ${access.identity.value.account}, not ${account.id}: fix accounts[].id or roleArn`);
  } else {
    const failed = access.reads.filter((read) => !read.outcome.ok);
    for (const read of failed) {
      const outcome = read.outcome as Extract<Outcome<void>, { ok: false }>;
      add("fail", isAccessDenied(outcome.code) ? `${read.action} denied (${outcome.code}): the scanner policy is missing ${read.action}: ${POLICY_HINT}` : `${read.action} failed (${outcome.code}: ${outcome.message})`);
    }
    if (failed.length === 0) add("pass", `${role ? `assumed ${role.roleArn}; ` : ""}scanner reads allowed (${access.reads.map((r) => r.action).join(", ")})`);
  }
  if (account.fixerRoleArn !== undefined) {
    const fixer = { roleArn: account.fixerRoleArn, ...(account.fixerExternalId !== undefined ? { externalId: account.fixerExternalId } : {}) };
    const assumed = await aws.assumeRole(fixer, "posture-doctor");
    if (assumed.ok) add("pass", `fixer role ${fixer.roleArn} assumable`);
    else add("fail", assumeFailure(fixer, assumed, baseArn));
  }
  return checks;
}

const isAccessDenied = (code: string) => /^(AccessDenied|AccessDeniedException|UnauthorizedOperation|AuthorizationError)$/.test(code);

function deniedOrFailed(outcome: Extract<Outcome<unknown>, { ok: false }>): string {
  return isAccessDenied(outcome.code) ? `denied (${outcome.code})` : `failed (${outcome.code}: ${outcome.message})`;
}

function assumeFailure(role: RoleRef, outcome: Extract<Outcome<unknown>, { ok: false }>, baseArn: string): string {
  if (!isAccessDenied(outcome.code)) return `cannot assume ${role.roleArn} (${outcome.code}: ${outcome.message})`;
  const externalId = role.externalId !== undefined ? ", and that it requires the configured externalId (sts:ExternalId)" : "";
  return `cannot assume ${role.roleArn} (${outcome.code}): allow sts:AssumeRole on it for ${baseArn}, and check that the role's trust policy trusts that identity${externalId}`;
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

const MARKS: Record<CheckStatus, string> = { pass: "✓", fail: "✗", warn: "!", skip: "-" };

/** One line per check: `✓ slack: ...`; then a summary line. */
export function renderDoctorReport(report: DoctorReport): string {
  const lines = report.checks.map((check) => `${MARKS[check.status]} ${check.section}: ${check.text}`);
  const count = (status: CheckStatus) => report.checks.filter((c) => c.status === status).length;
  const failed = count("fail");
  const warned = count("warn");
  lines.push(failed === 0
    ? `doctor: everything needed passes${warned > 0 ? ` (${plural(warned, "warning")})` : ""}`
    : `doctor: ${plural(failed, "problem")} to fix${warned > 0 ? `, ${plural(warned, "warning")}` : ""}`);
  return `${lines.join("\n")}\n`;
}

/** Why the base identity could not be read, told apart by what fixes it: the network, the credentials, or none found. */
export function baseIdentityFailure(code: string, message: string): string {
  const seen = `(${code}: ${message})`;
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|socket hang up|TimeoutError|NetworkingError/i.test(`${code} ${message}`)) {
    return `cannot reach AWS STS ${seen}: check the network or proxy, and AWS_ENDPOINT_URL if it is set`;
  }
  if (/^(ExpiredToken|ExpiredTokenException|RequestExpired)$/.test(code)) return `the AWS credentials have expired ${seen}: refresh them (\`aws sso login\`, or renew the session)`;
  if (/^(InvalidClientTokenId|SignatureDoesNotMatch|UnrecognizedClientException|AccessDenied)$/.test(code)) {
    return `AWS refuses the base identity's credentials ${seen}: check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the AWS_PROFILE in use`;
  }
  return `no usable AWS credentials ${seen}: set AWS_PROFILE, run \`aws sso login\`, or give the host a role (the SDK's default provider chain)`;
}
