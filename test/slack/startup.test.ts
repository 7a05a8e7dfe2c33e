import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";
import { startPosture, startupProblem } from "../../src/main.js";
import { SlackSetupError } from "../../src/slack/slack-settings.js";
import { startFakeSlack } from "../helpers/fake-slack/server.js";
import { workspace } from "./harness.js";

const ws = workspace();
afterAll(() => ws.cleanup());
const run = promisify(execFile);

it("npm start without a bot token prints one actionable line, no stack trace, and exits 1", async () => {
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
  const error = await run(process.execPath, [new URL("../../node_modules/tsx/dist/cli.mjs", import.meta.url).pathname, new URL("../../src/main.ts", import.meta.url).pathname], { cwd: ws.dir, env }).catch((e: { code: number; stderr: string }) => e);
  expect(error).toMatchObject({ code: 1 });
  const stderr = (error as { stderr: string }).stderr.trim();
  expect(stderr.split("\n")).toHaveLength(1);
  expect(stderr).toMatch(/^posture: SLACK_BOT_TOKEN is not set: .*manifest\.yml/);
}, 30_000);

it("a token Slack refuses (invalid_auth) is one actionable line, with the token nowhere in it", async () => {
  const slack = await startFakeSlack();
  slack.failWith("auth.test", "invalid_auth");
  try {
    const failure = await startPosture({ env: { SLACK_BOT_TOKEN: "xoxb-9-REFUSEDTOKEN", SLACK_APP_TOKEN: "xapp-1-x", SLACK_API_URL: slack.apiUrl }, cwd: ws.dir }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SlackSetupError);
    const line = startupProblem(failure)!;
    expect(line).toMatch(/^posture: SLACK_BOT_TOKEN was refused by Slack \(invalid_auth\): reinstall the app/);
    expect(line).not.toContain("REFUSEDTOKEN");
  } finally {
    await slack.close();
  }
});
