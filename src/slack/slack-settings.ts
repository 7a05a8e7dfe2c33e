import { z } from "zod";

/**
 * The Slack part of the environment (DESIGN section 7). Kept beside the adapter until src/config.ts
 * (not owned here) reads these keys itself; like loadConfig it is handed the env, never reads it.
 */
export type SlackSettings =
  | { mode: "socket"; botToken: string; appToken: string; apiUrl?: string }
  | { mode: "http"; botToken: string; signingSecret: string; port: number; apiUrl?: string }
  | { mode: "console" };

export class SlackSetupError extends Error {
  readonly code = "POSTURE_SLACK_SETUP";
}

const SETUP = "create the app from manifest.yml (api.slack.com/apps -> Create New App -> From a manifest), install it, and put its tokens in .env (see README, \"Slack app\")";

const envSchema = z.object({
  SLACK_BOT_TOKEN: z.string().optional(),
  SLACK_APP_TOKEN: z.string().optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_API_URL: z.string().optional(),
  PORT: z.string().optional(),
  POSTURE_SLACK_TRANSPORT: z.string().optional(),
});

/** One actionable line per problem: what is missing or wrong, what it should look like, where to get it. */
export function loadSlackSettings(env: Record<string, string | undefined>): SlackSettings {
  const e = envSchema.parse(env);
  if (e.POSTURE_SLACK_TRANSPORT === "console") return { mode: "console" };
  if (e.POSTURE_SLACK_TRANSPORT !== undefined && e.POSTURE_SLACK_TRANSPORT !== "slack") {
    throw new SlackSetupError(`POSTURE_SLACK_TRANSPORT is "${e.POSTURE_SLACK_TRANSPORT}": expected "slack" (the default) or "console" (print what would be posted)`);
  }
  const botToken = required(e.SLACK_BOT_TOKEN, "SLACK_BOT_TOKEN", /^xoxb-/, "a bot token (xoxb-...) from OAuth & Permissions");
  const apiUrl = e.SLACK_API_URL ? apiUrlOf(e.SLACK_API_URL) : undefined;
  if (e.PORT !== undefined && e.PORT !== "") {
    const port = Number(e.PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SlackSetupError(`PORT is "${e.PORT}": expected a TCP port such as 3000 (HTTP mode), or unset it for Socket Mode`);
    const signingSecret = required(e.SLACK_SIGNING_SECRET, "SLACK_SIGNING_SECRET", /^[0-9a-f]{16,}$/i, "the app's signing secret (Basic Information -> App Credentials), needed in HTTP mode (PORT is set)");
    return { mode: "http", botToken, signingSecret, port, apiUrl };
  }
  const appToken = required(e.SLACK_APP_TOKEN, "SLACK_APP_TOKEN", /^xapp-/, "an app-level token (xapp-...) with connections:write, for Socket Mode (Basic Information -> App-Level Tokens); or set PORT for HTTP mode");
  return { mode: "socket", botToken, appToken, apiUrl };
}

function required(value: string | undefined, name: string, shape: RegExp, what: string): string {
  if (value === undefined || value.trim() === "") throw new SlackSetupError(`${name} is not set: expected ${what}; ${SETUP}`);
  // Never echo the value: a token pasted into the wrong variable is still a secret.
  if (!shape.test(value.trim())) throw new SlackSetupError(`${name} does not look like ${what} (it should match ${shape.source}); ${SETUP}`);
  return value.trim();
}

/** The WebClient joins method names onto this URL, so it must end with a slash. */
function apiUrlOf(url: string): string {
  if (!/^https?:\/\/[^\s]+$/.test(url)) throw new SlackSetupError(`SLACK_API_URL is "${url}": expected a URL such as https://slack.com/api/ (or a test server's)`);
  return url.endsWith("/") ? url : `${url}/`;
}
