// `npm run demo`: the whole pipeline on the bundled demo account, with no AWS and no Slack account.
// 1. `posture scan` evaluates demo/demo-snapshot.json and records it in a fresh demo database;
// 2. the outbox is delivered through the console transport: each message a team channel would get;
// 3. the daily digest job runs: each team's digest and the org digest, with the score chart's size.
import { readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { runCli } from "../src/cli/run.js";
import { loadConfig } from "../src/config.js";
import { openDatabase } from "../src/db/open.js";
import { createRuntime } from "../src/main-runtime.js";
import { runDailyDigest } from "../src/main-schedule.js";
import { loadCatalog } from "../src/rules-files.js";
import { createConsoleNotifier } from "../src/slack/console-notifier.js";
import { createLogger } from "../src/slack/logger.js";

const root = resolve(import.meta.dirname, "..");
const configPath = resolve(root, "demo/posture.config.yml");
const snapshotPath = resolve(root, "demo/demo-snapshot.json");
// The demo's dates are anchored: evaluating at a fixed time keeps ages (key rotation, last use) stable.
const now = new Date("2026-11-02T08:00:00Z");
// A fresh demo database each run, so every run shows the whole pipeline (POSTURE_DEMO_DB for tests).
const dbPath = resolve(root, process.env.POSTURE_DEMO_DB ?? "data/demo.db");

rmSync(dbPath, { force: true });
rmSync(`${dbPath}-wal`, { force: true });
rmSync(`${dbPath}-shm`, { force: true });
const env = { ...process.env, POSTURE_DB_PATH: dbPath };
const io = {
  out: (text: string) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  err: (text: string) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
  color: process.stdout.isTTY === true && !process.env.NO_COLOR,
  env, cwd: root, clock: () => now,
};
const code = await runCli(["scan", "--snapshot", snapshotPath, "--config", configPath, "--now", now.toISOString()], io);
if (code !== 0) process.exit(code);

const config = loadConfig(env, { path: configPath, text: readFileSync(configPath, "utf8") });
const { db } = openDatabase(dbPath);
const catalog = loadCatalog();
const logger = createLogger("silent");
const notifier = createConsoleNotifier(io.out, () => now);
const runtime = createRuntime({
  config, catalog, db, logger, notifier,
  sourceFor: async () => { throw new Error("the demo delivers the scan above; it does not scan again"); },
  clock: () => now,
});
io.out("\nSlack (console transport): what Posture would post for this scan\n");
const delivered = await runtime.deliver();
io.out(`\n${delivered.messages} message(s) for ${delivered.posted} finding(s), ${delivered.grouped} grouped; ${delivered.deferred} left for a retry.`);
io.out("\nThe daily digest (schedules.digest, here run at once): each team's channel and the org digest in the security channel\n");
await runDailyDigest({ config, catalog, db, notifier, logger, clock: () => now, wait: async () => {} });
io.out("\nWith Slack tokens in .env, `npm start` posts them for real (see README, \"From zero to the first digest\").");
db.close();
