import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { boltLoggerOf, createLogger } from "../../src/slack/logger.js";
import { loadConfig } from "../../src/config.js";
import { requireSlackSettings, SlackSetupError } from "../../src/slack/slack-settings.js";

/** What `npm start` does: loadConfig parses the Slack variables, start-up requires them usable. */
const loadSlackSettings = (env: Record<string, string | undefined>) => requireSlackSettings(loadConfig(env).slack);

const SECRET = "0123456789abcdef0123456789abcdef";

describe("config.slack (loadConfig) and requireSlackSettings", () => {
  it.each([
    ["Socket Mode by default", { SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" }, { mode: "socket" }],
    ["HTTP mode when PORT is set", { SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: SECRET, PORT: "3000" }, { mode: "http", port: 3000 }],
    ["SLACK_API_URL for every client, with its trailing slash", { SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1", SLACK_API_URL: "http://127.0.0.1:9/api" }, { apiUrl: "http://127.0.0.1:9/api/" }],
    ["the console transport on request", { POSTURE_SLACK_TRANSPORT: "console" }, { mode: "console" }],
  ])("%s", (_name, env, expected) => {
    expect(loadSlackSettings(env)).toMatchObject(expected);
  });

  it.each([
    ["no bot token", {}, /^SLACK_BOT_TOKEN is not set: .*manifest\.yml.*README/],
    ["a user token as bot token", { SLACK_BOT_TOKEN: "xoxp-1-secretvalue", SLACK_APP_TOKEN: "xapp-1" }, /^SLACK_BOT_TOKEN does not look like a bot token/],
    ["no app token in Socket Mode", { SLACK_BOT_TOKEN: "xoxb-1" }, /^SLACK_APP_TOKEN is not set: .*or set PORT for HTTP mode/],
    ["no signing secret in HTTP mode", { SLACK_BOT_TOKEN: "xoxb-1", PORT: "3000" }, /^SLACK_SIGNING_SECRET is not set/],
    ["a bad port", { SLACK_BOT_TOKEN: "xoxb-1", PORT: "http" }, /^PORT is "http": expected a TCP port/],
  ])("one actionable line for %s, never the value", (_name, env, message) => {
    const error = (() => { try { loadSlackSettings(env); } catch (e) { return e as Error; } return undefined; })();
    expect(error).toBeInstanceOf(SlackSetupError);
    expect(error!.message).toMatch(message);
    expect(error!.message).not.toContain("\n");
    expect(error!.message).not.toContain("secretvalue");
  });

  it("a Slack problem is kept in config.slack, not thrown: the CLI commands need no Slack", () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: "xoxp-1-secretvalue" });
    expect(config.slack).toEqual({ mode: "unusable", problem: expect.stringMatching(/^SLACK_BOT_TOKEN does not look like a bot token/) });
    expect(JSON.stringify(config.slack)).not.toContain("secretvalue");
  });
});

describe("createLogger", () => {
  function capture() {
    const lines: string[] = [];
    const destination = new Writable({ write(chunk, _e, done) { lines.push(String(chunk)); done(); } });
    return { logger: createLogger("debug", destination), text: () => lines.join("") };
  }

  it("redacts secret fields and Slack tokens in messages, objects and errors", () => {
    const { logger, text } = capture();
    logger.info({ token: "xoxb-111-SECRET1", settings: { botToken: "xoxb-222-SECRET2", signingSecret: "SECRET3" }, headers: { authorization: "Bearer xoxb-333-SECRET4" } }, "starting");
    logger.warn("the call with xoxb-444-SECRET5 failed");
    logger.error({ err: new Error("refused xapp-1-A0-SECRET6") }, "boom");
    boltLoggerOf(logger).error("bolt says xoxb-555-SECRET7", { token: "xoxb-666-SECRET8" });
    const out = text();
    for (let i = 1; i <= 8; i += 1) expect(out).not.toContain(`SECRET${i}`);
    expect(out).toContain("[redacted]");
    expect(out).toContain("starting");
  });

  it("redacts the app-level token, the signing secret and AWS secret keys, by field and in the environment's names", () => {
    const { logger, text } = capture();
    logger.info({ settings: { mode: "socket", appToken: "xapp-1-A0-SECRET1" }, signingSecret: "SECRET2" }, "slack");
    logger.info({ credentials: { accessKeyId: "ASIAEXAMPLE", secretAccessKey: "SECRET3", sessionToken: "SECRET4" } }, "aws");
    logger.info({ answer: { Credentials: { AccessKeyId: "ASIAEXAMPLE", SecretAccessKey: "SECRET5", SessionToken: "SECRET6" } } }, "sts");
    logger.info({ env: { SLACK_APP_TOKEN: "SECRET7", SLACK_SIGNING_SECRET: "SECRET8", AWS_SECRET_ACCESS_KEY: "SECRET9", AWS_SESSION_TOKEN: "SECRET10", SLACK_BOT_TOKEN: "SECRET11" } }, "env");
    logger.warn("socket mode refused xapp-1-A0123-SECRET12");
    const out = text();
    for (let i = 1; i <= 12; i += 1) expect(out).not.toMatch(new RegExp(`SECRET${i}\\b`));
    expect(out.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(12);
    expect(out).toContain("ASIAEXAMPLE");
  });
});
