import cron from "node-cron";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

/**
 * Configuration: `posture.config.yml` (what to scan, who owns what) and the environment (secrets,
 * endpoints). `loadConfig` is the only place that reads the environment; everything else gets values.
 */
const roleArnSchema = (example: string) => z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, `an IAM role ARN such as arn:aws:iam::123456789012:role/${example}`);

const accountSchema = z.strictObject({
  id: z.string().regex(/^\d{12}$/, "a 12-digit AWS account id, quoted in YAML (\"012345678901\")"),
  name: z.string().min(1).optional(),
  roleArn: roleArnSchema("PostureScanner").optional(),
  externalId: z.string().min(2).optional(),
  regions: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "an AWS region such as eu-west-1")).min(1).optional(),
  /** The role one-click fixes assume (write access); absent: fixes are off for this account. */
  fixerRoleArn: roleArnSchema("PostureFixer").optional(),
  fixerExternalId: z.string().min(2).optional(),
}).check((ctx) => {
  // Writes must never run with the read-only scanner's identity (DESIGN 2.4): the two roles are separate.
  if (ctx.value.fixerRoleArn !== undefined && ctx.value.fixerRoleArn === ctx.value.roleArn) {
    ctx.issues.push({
      code: "custom", input: ctx.value.fixerRoleArn, path: ["fixerRoleArn"],
      message: `must differ from roleArn (received the scanner's role ${ctx.value.roleArn} for both): create a separate role such as arn:aws:iam::${ctx.value.id}:role/PostureFixer with the fixer policy from the README`,
    });
  }
});

const accountIdSchema = z.string().regex(/^\d{12}$/, "a 12-digit AWS account id, quoted in YAML (\"012345678901\")");
/** A role name, optionally under a path ("security/PostureScanner"): the ARN is built per discovered account. */
const roleNameSchema = (example: string) => z.string().regex(/^(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/, `a role name such as ${example} or a path and name such as security/${example} (not an ARN)`);
const regionsSchema = z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "an AWS region such as eu-west-1")).min(1);

/**
 * AWS Organizations discovery (README "Many accounts"): each scan lists the organization's ACTIVE accounts
 * and scans each through `roleName`. An explicit `accounts:` entry with the same id wins (its name, role,
 * regions and fixer role are kept).
 */
const organizationsSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** The scanner role in every discovered account (deployed with a StackSet, typically). */
  roleName: roleNameSchema("PostureScanner").default("PostureScanner"),
  externalId: z.string().min(2).optional(),
  /** Regions scanned in discovered accounts (default: the top-level `regions`, else every region). */
  regions: regionsSchema.optional(),
  /** Discovered account ids left out (explicit `accounts:` are never left out). */
  exclude: z.array(accountIdSchema).default([]),
  /** Role assumed for ListAccounts when the base identity is not in the management or delegated-admin account. */
  managementRoleArn: roleArnSchema("PostureOrganizationsReader").optional(),
  managementExternalId: z.string().min(2).optional(),
  /** The role one-click fixes assume in discovered accounts; absent: fixes are off for them. */
  fixerRoleName: roleNameSchema("PostureFixer").optional(),
  fixerExternalId: z.string().min(2).optional(),
}).check((ctx) => {
  if (ctx.value.fixerRoleName !== undefined && ctx.value.fixerRoleName === ctx.value.roleName) {
    ctx.issues.push({
      code: "custom", input: ctx.value.fixerRoleName, path: ["fixerRoleName"],
      message: `must differ from roleName (received ${ctx.value.roleName} for both): fixes need a separate write role such as PostureFixer with the fixer policy from the README`,
    });
  }
});

const slackChannelSchema = z.string().regex(/^(#[a-z0-9][a-z0-9._-]{0,79}|[CG][A-Z0-9]{8,})$/, "a Slack channel id (C0123ABCD) or a #channel-name in lower case");
/** `*` matches any run of characters, `?` one character; everything else is literal. */
const globSchema = z.string().min(1).max(2048);

const teamSchema = z.strictObject({
  /** Short id used in commands and the database: `/posture score payments`. */
  handle: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "a lower-case handle such as payments or data-platform"),
  name: z.string().min(1).optional(),
  channel: slackChannelSchema,
  /** Slack user ids of the members (U0123ABCD), or `userGroup` (a Slack user group id, S0123ABCD). */
  members: z.array(z.string().regex(/^[UW][A-Z0-9]{8,}$/, "a Slack user id such as U0123ABCD")).default([]),
  userGroup: z.string().regex(/^S[A-Z0-9]{8,}$/, "a Slack user group id such as S0123ABCD").optional(),
  match: z.strictObject({
    /** Values of the ownership tag keys that mean this team (the handle always does). Case-insensitive. */
    tags: z.array(z.string().min(1)).default([]),
    accounts: z.array(z.string().regex(/^\d{12}$/, "a 12-digit AWS account id, quoted in YAML")).default([]),
    arns: z.array(globSchema).default([]),
    names: z.array(globSchema).default([]),
  }).prefault({}),
});

/** One-click fixes (DESIGN 2.4). Who may fix: the owning team's members, or the security team's. */
const fixesSchema = z.strictObject({
  /** Default encryption fixes use SSE-KMS with this key (id, alias or ARN) instead of SSE-S3. */
  kmsKeyId: z.string().min(1).max(2048).optional(),
  /** How long after a fix its *Undo* button works. */
  undoWindowMinutes: z.number().int().min(1).max(7 * 24 * 60).default(60),
});

const securityTeamSchema = z.strictObject({
  /** Slack user ids who may fix any finding (and whatever issue 5 gives them). */
  members: z.array(z.string().regex(/^[UW][A-Z0-9]{8,}$/, "a Slack user id such as U0123ABCD")).default([]),
  /**
   * A Slack user group: its members count as members once resolved (src/slack/user-groups.ts, bot scope
   * usergroups:read); one that cannot be resolved grants nothing.
   */
  userGroup: z.string().regex(/^S[A-Z0-9]{8,}$/, "a Slack user group id such as S0123ABCD").optional(),
});

/** Mutes (DESIGN 2.5): who approves, how long a mute may last, where requests are posted. */
const mutesSchema = z.strictObject({
  approvers: z.strictObject({
    /** Slack user ids who may approve or deny a mute (never their own request). */
    members: z.array(z.string().regex(/^[UW][A-Z0-9]{8,}$/, "a Slack user id such as U0123ABCD")).default([]),
    /** A Slack user group whose members approve too, resolved like securityTeam.userGroup. */
    userGroup: z.string().regex(/^S[A-Z0-9]{8,}$/, "a Slack user group id such as S0123ABCD").optional(),
  }).prefault({}),
  /** The longest expiry a request may ask for. */
  maxDays: z.number().int().min(1).max(3650).default(90),
  /** Whether a mute may have no expiry at all. */
  allowPermanent: z.boolean().default(false),
  /** Where pending requests are posted with Approve / Deny (default: securityChannel). */
  approvalsChannel: slackChannelSchema.optional(),
});

const ownershipSchema = z.strictObject({
  /** Tag keys that name the owning team, in priority order (compared case-insensitively). */
  tagKeys: z.array(z.string().min(1)).min(1).default(["team", "owner"]),
});

const retentionSchema = z.strictObject({
  /** Per-scan evaluation details (counts per scope and rule, account coverage) older than this are pruned. */
  evaluationDays: z.number().int().min(1).max(3650).default(90),
});

const cronSchema = (example: string) => z.string().refine((value) => cron.validate(value), `a cron expression such as "${example}" (minute hour day-of-month month day-of-week)`);
const timeZoneSchema = z.string().refine(isTimeZone, "an IANA time zone such as Europe/Paris or UTC").default("UTC");

/** Jobs run by src/scheduler.ts, each in its own time zone (DESIGN 2.7). */
const schedulesSchema = z.strictObject({
  scan: z.strictObject({
    /** "off": no scheduled scan (and no start-up scan); `/posture scan` still works. */
    cron: z.union([z.literal("off"), cronSchema("0 * * * *")]).default("0 * * * *"),
    timeZone: timeZoneSchema,
    /** At start-up a scan runs when the last completed one finished longer ago than this. */
    maxAgeMinutes: z.number().int().min(1).max(7 * 24 * 60).default(60),
  }).prefault({}),
  digest: z.strictObject({
    cron: z.union([z.literal("off"), cronSchema("0 9 * * 1-5")]).default("0 9 * * 1-5"),
    timeZone: timeZoneSchema,
    /** A team with nothing to report gets a one-line all clear ("post") or no message ("skip"). */
    allClear: z.enum(["post", "skip"]).default("post"),
    topRules: z.number().int().min(0).max(10).default(3),
  }).prefault({}),
  prune: z.strictObject({
    cron: z.union([z.literal("off"), cronSchema("30 3 * * *")]).default("30 3 * * *"),
    timeZone: timeZoneSchema,
  }).prefault({}),
});

/** Days from first seen before an open finding is overdue, per severity (null: no SLA). */
const slaDaysSchema = z.number().int().min(1).max(3650).nullable();
const slaSchema = z.strictObject({
  critical: slaDaysSchema.default(7),
  high: slaDaysSchema.default(30),
  medium: slaDaysSchema.default(90),
  low: slaDaysSchema.default(180),
  info: slaDaysSchema.default(null),
});

const severitySchema = z.enum(["critical", "high", "medium", "low", "info"], { error: (issue) => `expected one of critical, high, medium, low, info; received ${JSON.stringify(issue.input)}` });

/** Which severities get a Slack message for a new or reopened finding (DESIGN 2.2). */
const notificationsSchema = z.strictObject({
  severities: z.array(severitySchema).min(1, "list at least one severity to notify (to post nothing, leave Slack unconfigured)").default(["critical", "high"])
    .transform((list) => [...new Set(list)]),
});

/**
 * `severityOverrides`: a finding's effective severity by rule, tag and account, first match wins
 * (src/core/severity-overrides.ts). Rule ids are checked against the catalog at start-up, not here.
 */
const severityOverrideSchema = z.strictObject({
  severity: severitySchema,
  rules: z.array(z.string().min(1).max(200)).min(1, "list at least one rule id or glob, or leave `rules` out to match every rule").optional(),
  tags: z.record(z.string().min(1).max(128), z.union([z.string().max(256), z.array(z.string().max(256)).min(1, "list at least one value")])).optional(),
  accounts: z.array(accountIdSchema).min(1, "list at least one account id, or leave `accounts` out to match every account").optional(),
  reason: z.string({ error: (issue) => (issue.input === undefined ? "required: say why (shown next to the severity in Slack and the CLI)" : "a sentence saying why") }).trim().min(3, "say why (shown next to the severity in Slack and the CLI), e.g. \"public website bucket, reviewed by security\"").max(300),
}).check((ctx) => {
  const { rules, tags, accounts } = ctx.value;
  if (rules === undefined && accounts === undefined && Object.keys(tags ?? {}).length === 0) {
    ctx.issues.push({ code: "custom", input: ctx.value, message: "give at least one of rules, tags or accounts (an override matching every finding is a new default severity for all rules)" });
  }
});

export const fileConfigSchema = z.strictObject({
  accounts: z.array(accountSchema).default([]),
  organizations: organizationsSchema.prefault({}),
  /** Regions whose buckets are scanned (default: every region). The first is the home region for global APIs. */
  regions: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "an AWS region such as eu-west-1")).min(1).optional(),
  scan: z.strictObject({
    /** Concurrent AWS calls per account. */
    concurrency: z.number().int().min(1).max(64).default(8),
    /** Concurrent accounts. */
    accountConcurrency: z.number().int().min(1).max(32).default(4),
    /** Attempts per AWS call with the SDK's adaptive retry (throttling backs off). */
    maxAttempts: z.number().int().min(1).max(20).default(6),
    /** How long to wait for the credential report to be generated. */
    credentialReportTimeoutSeconds: z.number().int().min(5).max(900).default(120),
  }).prefault({}),
  rules: z.strictObject({
    /** Rule ids that are not evaluated (their AWS calls are not made either). */
    disabled: z.array(z.string()).default([]),
  }).prefault({}),
  /** Teams that own resources, in priority order (the first matching team wins within one matcher kind). */
  teams: z.array(teamSchema).default([]),
  /** Where unowned findings go (and the org digest): a channel id (C0123ABCD) or a #name. */
  securityChannel: slackChannelSchema.optional(),
  securityTeam: securityTeamSchema.prefault({}),
  fixes: fixesSchema.prefault({}),
  mutes: mutesSchema.prefault({}),
  ownership: ownershipSchema.prefault({}),
  retention: retentionSchema.prefault({}),
  schedules: schedulesSchema.prefault({}),
  sla: slaSchema.prefault({}),
  notifications: notificationsSchema.prefault({}),
  severityOverrides: z.array(severityOverrideSchema).default([]),
});

export type FileConfig = z.infer<typeof fileConfigSchema>;
export type AccountConfig = z.infer<typeof accountSchema>;
export type OrganizationsConfig = z.infer<typeof organizationsSchema>;
export type TeamConfig = z.infer<typeof teamSchema>;
export type MutesConfig = z.infer<typeof mutesSchema>;

const envSchema = z.object({
  AWS_ENDPOINT_URL: z.url().optional(),
  AWS_REGION: z.string().optional(),
  AWS_DEFAULT_REGION: z.string().optional(),
  POSTURE_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  POSTURE_DB_PATH: z.string().default("./data/posture.db"),
  /** Overrides schedules.scan.cron ("off" disables scheduled scans). */
  POSTURE_SCAN_CRON: z.union([z.literal("off"), cronSchema("0 * * * *")]).optional(),
  POSTURE_SCAN_TZ: z.string().refine(isTimeZone, "an IANA time zone such as Europe/Paris or UTC").optional(),
  // The Slack variables are checked by slackSettingsOf, not here: the CLI works without them.
  SLACK_BOT_TOKEN: z.string().optional(),
  SLACK_APP_TOKEN: z.string().optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_API_URL: z.string().optional(),
  PORT: z.string().optional(),
  POSTURE_SLACK_TRANSPORT: z.string().optional(),
});

/** How `npm start` talks to Slack (DESIGN section 7): Socket Mode by default, HTTP mode when PORT is set. */
export type SlackSettings =
  | { mode: "socket"; botToken: string; appToken: string; apiUrl?: string }
  | { mode: "http"; botToken: string; signingSecret: string; port: number; apiUrl?: string }
  | { mode: "console" };

/**
 * Slack variables that do not make a usable setup. Not a ConfigError: the CLI commands need no Slack,
 * so the problem is kept here and `npm start` (SlackSetupError) and `posture doctor` report it.
 */
export interface SlackSettingsProblem {
  mode: "unusable";
  /** One actionable line naming the variable; never the value. */
  problem: string;
}

const SLACK_SETUP = "create the app from manifest.yml (api.slack.com/apps -> Create New App -> From a manifest), install it, and put its tokens in .env (see README, \"Slack app\")";

class SlackEnvProblem extends Error {}

/** One actionable line per problem: what is missing or wrong, what it should look like, where to get it. */
function slackSettingsOf(e: z.infer<typeof envSchema>): SlackSettings | SlackSettingsProblem {
  try {
    return parseSlackEnv(e);
  } catch (error) {
    if (error instanceof SlackEnvProblem) return { mode: "unusable", problem: error.message };
    throw error;
  }
}

function parseSlackEnv(e: z.infer<typeof envSchema>): SlackSettings {
  if (e.POSTURE_SLACK_TRANSPORT === "console") return { mode: "console" };
  if (e.POSTURE_SLACK_TRANSPORT !== undefined && e.POSTURE_SLACK_TRANSPORT !== "slack") {
    throw new SlackEnvProblem(`POSTURE_SLACK_TRANSPORT is "${e.POSTURE_SLACK_TRANSPORT}": expected "slack" (the default) or "console" (print what would be posted)`);
  }
  const botToken = requiredSlackValue(e.SLACK_BOT_TOKEN, "SLACK_BOT_TOKEN", /^xoxb-/, "a bot token (xoxb-...) from OAuth & Permissions");
  const apiUrl = e.SLACK_API_URL ? slackApiUrlOf(e.SLACK_API_URL) : undefined;
  if (e.PORT !== undefined && e.PORT !== "") {
    const port = Number(e.PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SlackEnvProblem(`PORT is "${e.PORT}": expected a TCP port such as 3000 (HTTP mode), or unset it for Socket Mode`);
    const signingSecret = requiredSlackValue(e.SLACK_SIGNING_SECRET, "SLACK_SIGNING_SECRET", /^[0-9a-f]{16,}$/i, "the app's signing secret (Basic Information -> App Credentials), needed in HTTP mode (PORT is set)");
    return { mode: "http", botToken, signingSecret, port, apiUrl };
  }
  const appToken = requiredSlackValue(e.SLACK_APP_TOKEN, "SLACK_APP_TOKEN", /^xapp-/, "an app-level token (xapp-...) with connections:write, for Socket Mode (Basic Information -> App-Level Tokens); or set PORT for HTTP mode");
  return { mode: "socket", botToken, appToken, apiUrl };
}

function requiredSlackValue(value: string | undefined, name: string, shape: RegExp, what: string): string {
  if (value === undefined || value.trim() === "") throw new SlackEnvProblem(`${name} is not set: expected ${what}; ${SLACK_SETUP}`);
  // Never echo the value: a token pasted into the wrong variable is still a secret.
  if (!shape.test(value.trim())) throw new SlackEnvProblem(`${name} does not look like ${what} (it should match ${shape.source}); ${SLACK_SETUP}`);
  return value.trim();
}

/** The WebClient joins method names onto this URL, so it must end with a slash. */
function slackApiUrlOf(url: string): string {
  if (!/^https?:\/\/[^\s]+$/.test(url)) throw new SlackEnvProblem(`SLACK_API_URL is "${url}": expected a URL such as https://slack.com/api/ (or a test server's)`);
  return url.endsWith("/") ? url : `${url}/`;
}

export interface Config extends FileConfig {
  /** AWS_ENDPOINT_URL: every AWS client goes there (LocalStack and other emulators), S3 path-style. */
  awsEndpointUrl?: string;
  homeRegion: string;
  logLevel: z.infer<typeof envSchema>["POSTURE_LOG_LEVEL"];
  dbPath: string;
  /** The Slack variables, or the first problem with them (only `npm start` and `posture doctor` need Slack). */
  slack: SlackSettings | SlackSettingsProblem;
}

export class ConfigError extends Error {
  readonly code = "POSTURE_INVALID_CONFIG";
  constructor(readonly problems: string[]) {
    super(`Configuration is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

export interface ConfigFile {
  path: string;
  text: string;
}

/** Parses the config file (if any) and the environment; every problem is reported as `NAME: message`. */
export function loadConfig(env: Record<string, string | undefined>, file?: ConfigFile): Config {
  const problems: string[] = [];
  const fileConfig = parseConfigFile(file, problems);
  const parsedEnv = envSchema.safeParse(env);
  if (!parsedEnv.success) {
    for (const issue of parsedEnv.error.issues) problems.push(`${issue.path.join(".")}: ${issue.message}`);
  }
  if (problems.length > 0 || !fileConfig || !parsedEnv.success) throw new ConfigError(problems);
  const e = parsedEnv.data;
  const scan = { ...fileConfig.schedules.scan, ...(e.POSTURE_SCAN_CRON !== undefined ? { cron: e.POSTURE_SCAN_CRON } : {}), ...(e.POSTURE_SCAN_TZ !== undefined ? { timeZone: e.POSTURE_SCAN_TZ } : {}) };
  return {
    ...fileConfig,
    schedules: { ...fileConfig.schedules, scan },
    awsEndpointUrl: e.AWS_ENDPOINT_URL,
    homeRegion: fileConfig.regions?.[0] ?? e.AWS_REGION ?? e.AWS_DEFAULT_REGION ?? "us-east-1",
    logLevel: e.POSTURE_LOG_LEVEL,
    dbPath: e.POSTURE_DB_PATH,
    slack: slackSettingsOf(e),
  };
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Cross-team checks zod cannot express per field: a handle, tag value or account claimed twice is ambiguous. */
function checkTeams(teams: readonly TeamConfig[]): string[] {
  const problems: string[] = [];
  const claims = new Map<string, string>();
  const claim = (kind: string, value: string, where: string) => {
    const key = `${kind}:${value.toLowerCase()}`;
    const previous = claims.get(key);
    if (previous) problems.push(`${where}: ${kind} "${value}" is already claimed by ${previous}`);
    else claims.set(key, where);
  };
  teams.forEach((team, i) => {
    claim("handle", team.handle, `teams[${i}].handle`);
    team.match.tags.forEach((tag, j) => {
      if (tag.toLowerCase() !== team.handle) claim("handle", tag, `teams[${i}].match.tags[${j}]`);
    });
    team.match.accounts.forEach((account, j) => claim("account", account, `teams[${i}].match.accounts[${j}]`));
    if (team.members.length > 0 && team.userGroup !== undefined) {
      problems.push(`teams[${i}]: give either members or userGroup, not both (received both for "${team.handle}")`);
    }
  });
  return problems;
}

function parseConfigFile(file: ConfigFile | undefined, problems: string[]): FileConfig | undefined {
  if (!file) return fileConfigSchema.parse({});
  let data: unknown;
  try {
    data = parseYaml(file.text) ?? {};
  } catch (error) {
    problems.push(`${file.path}: not valid YAML: ${(error as Error).message.split("\n")[0]}`);
    return undefined;
  }
  const parsed = fileConfigSchema.safeParse(data);
  if (parsed.success) {
    const teamProblems = checkTeams(parsed.data.teams);
    problems.push(...teamProblems.map((problem) => `${file.path}: ${problem}`));
    return teamProblems.length === 0 ? parsed.data : undefined;
  }
  for (const issue of parsed.error.issues) {
    const field = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
    problems.push(`${file.path}: ${field || "(top level)"}: ${issue.message}`);
  }
  return undefined;
}
