import { pino, type DestinationStream, type Logger } from "pino";
import { LogLevel, type Logger as BoltLogger } from "@slack/bolt";

/** Slack tokens (bot, user, app-level, refresh) wherever they appear in a string. */
const TOKEN = /\b(xox[abposr]|xapp|xoxe(?:\.xox[bp])?)-[A-Za-z0-9-]+/g;
export const redactTokens = (text: string): string => text.replace(TOKEN, "[redacted]");

/**
 * Fields that hold secrets in our objects, Bolt's, the WebClient's and the AWS SDK's (credentials as
 * the SDK shapes them, and as STS answers them), and the environment's names, at any of these depths.
 */
const SECRET_KEYS = [
  "token", "botToken", "appToken", "signingSecret", "clientSecret", "authorization", "Authorization",
  "secretAccessKey", "SecretAccessKey", "sessionToken", "SessionToken",
  "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
];
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `headers.${key}`, `*.headers.${key}`]);

/**
 * The process logger: pino with secret fields redacted by path and Slack tokens scrubbed from every
 * string argument (Bolt logs free text, and an error message can quote a request).
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({
    level,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    hooks: {
      logMethod(args, method) {
        const cleaned = args.map((arg) => (typeof arg === "string" ? redactTokens(arg) : arg)) as Parameters<typeof method>;
        return method.apply(this, cleaned);
      },
    },
    formatters: { log: (object) => JSON.parse(redactTokens(JSON.stringify(object))) as Record<string, unknown> },
  }, destination);
}

/** Bolt's Logger interface on a pino child logger. */
export function boltLoggerOf(logger: Logger): BoltLogger {
  const child = logger.child({ component: "bolt" });
  const text = (parts: unknown[]) => parts.map((p) => (typeof p === "string" ? p : p instanceof Error ? p.message : JSON.stringify(p))).join(" ");
  return {
    debug: (...parts) => child.debug(text(parts)),
    info: (...parts) => child.info(text(parts)),
    warn: (...parts) => child.warn(text(parts)),
    error: (...parts) => child.error(text(parts)),
    setLevel: () => undefined,
    getLevel: () => (child.level as LogLevel) ?? LogLevel.INFO,
    setName: () => undefined,
  };
}
