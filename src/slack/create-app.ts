import { App, webApi, type CustomRoute } from "@slack/bolt";
import type { Logger } from "pino";
import { boltLoggerOf } from "./logger.js";
import { SlackSetupError, type SlackSettings } from "./slack-settings.js";

type LiveSettings = Exclude<SlackSettings, { mode: "console" }>;

export interface BotIdentity {
  botId: string;
  botUserId: string;
  team: string;
}

/**
 * Web API client options, chosen deliberately (reference B1, E5): `rejectRateLimitedCalls` hands a
 * 429 straight back with its Retry-After, so delivery waits for that channel only; the default would
 * pause every call of the client (App Home, modals included) and retry for up to half an hour.
 * Network and 5xx failures are retried a few times, quickly: the outbox retries later anyway.
 */
export function clientOptionsOf(settings: Pick<LiveSettings, "apiUrl">): webApi.WebClientOptions {
  return {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 5_000 },
  };
}

/**
 * Checks the bot token with auth.test before Bolt starts. Given botId and botUserId, Bolt skips its own
 * auth.test in the constructor, whose invalid_auth would otherwise be an unhandled rejection (reference E1).
 */
export async function verifyBotToken(settings: LiveSettings): Promise<BotIdentity> {
  const client = new webApi.WebClient(settings.botToken, { ...clientOptionsOf(settings), retryConfig: { retries: 0 }, logLevel: webApi.LogLevel.ERROR });
  try {
    const result = await client.auth.test();
    return { botId: String(result.bot_id ?? ""), botUserId: String(result.user_id ?? ""), team: String(result.team ?? result.team_id ?? "") };
  } catch (error) {
    const slackError = (error as { data?: { error?: string } }).data?.error;
    if (slackError) throw new SlackSetupError(`SLACK_BOT_TOKEN was refused by Slack (${slackError}): reinstall the app to the workspace and copy the Bot User OAuth Token (xoxb-...) into .env (see README, "Slack app")`, { cause: error });
    const where = settings.apiUrl ?? "https://slack.com/api/";
    throw new SlackSetupError(`cannot reach Slack at ${where} (${(error as Error).message}): check the network, a proxy, or SLACK_API_URL`, { cause: error });
  }
}

/** `routes` (HTTP mode only: the health endpoint) are served by Bolt's receiver, beside /slack/events. */
export function createSlackApp(settings: LiveSettings, identity: BotIdentity, logger: Logger, routes: CustomRoute[] = []): App {
  const common = { token: settings.botToken, botId: identity.botId, botUserId: identity.botUserId, clientOptions: clientOptionsOf(settings), logger: boltLoggerOf(logger) };
  // Socket Mode has no HTTP server: Bolt would open one on port 3000 for custom routes, so none are given.
  if (settings.mode === "socket") return new App({ ...common, socketMode: true, appToken: settings.appToken });
  // HTTP mode: Bolt's HTTPReceiver verifies X-Slack-Signature and rejects stale (> 5 min) requests with 401.
  return new App({ ...common, signingSecret: settings.signingSecret, customRoutes: routes });
}
