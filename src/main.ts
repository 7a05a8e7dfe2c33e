import { existsSync, readFileSync } from "node:fs";
import type { Server } from "node:http";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { App } from "@slack/bolt";
import type { Logger } from "pino";
import type { DeliveryOptions } from "./app/delivery-policy.js";
import type { SnapshotSource } from "./app/scan.js";
import type { Notifier } from "./app/slack-ports.js";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import type { FixerRegistry } from "./app/fix-ports.js";
import { fixerRoleOf, scannerRoleOf } from "./aws/account-roles.js";
import { createFixerClients } from "./aws/fixers/credentials.js";
import { createFixerRegistry, FIXER_IDS } from "./aws/fixers/registry.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { CatalogError } from "./core/catalog.js";
import { MigrationError } from "./db/migrate.js";
import { recoverInterruptedFixRuns } from "./db/fix-runs-repo.js";
import { openDatabase, type Db } from "./db/open.js";
import { createRuntime, type Runtime } from "./main-runtime.js";
import { startSchedules } from "./main-schedule.js";
import { checkConfigAgainstCatalog, DEFAULT_RULES_DIR, loadCatalog } from "./rules-files.js";
import { nodeCronSeam, type CronSeam, type Scheduler } from "./scheduler.js";
import { createConsoleNotifier } from "./slack/console-notifier.js";
import { createSlackApp, verifyBotToken } from "./slack/create-app.js";
import { createUserGroupDirectory } from "./slack/user-groups.js";
import { configuredUserGroups } from "./app/memberships.js";
import { createLogger } from "./slack/logger.js";
import { createSlackNotifier } from "./slack/notifier.js";
import { healthRoutes } from "./slack/health-route.js";
import { requireSlackSettings, SlackSetupError, type SlackSettings } from "./slack/slack-settings.js";
import { evaluateHealth, type HealthReport } from "./app/health.js";
import { loadHealthFacts } from "./db/health-queries.js";

/**
 * Composition root (DESIGN section 6): config -> logger -> db + migrations -> rules -> adapters ->
 * Bolt + scheduler. `startPosture` is what `npm start` runs and what the end-to-end tests drive.
 */
export interface StartOptions {
  env: Record<string, string | undefined>;
  cwd: string;
  /** Console transport output (default stdout). */
  out?: (text: string) => void;
  clock?: () => Date;
  /** Where scans get their snapshot (default: the live AWS collector). */
  sourceFor?: (account?: string) => Promise<SnapshotSource>;
  /** Host to listen on in HTTP mode (tests: 127.0.0.1). */
  host?: string;
  delivery?: Partial<DeliveryOptions>;
  /** Pino destination (tests capture logs to check redaction). */
  logDestination?: Parameters<typeof createLogger>[1];
  /** The base AWS identity the fixer roles are assumed from (default: the SDK's provider chain). */
  awsCredentials?: AwsCredentialIdentityProvider;
  /** The cron seam of the scheduler (tests fire ticks by hand) and its timer. */
  cron?: CronSeam;
  wait?: (ms: number) => Promise<void>;
  /** How long stop() waits for a running job before abandoning it (default 30 s). */
  stopGraceMs?: number;
}

export interface RunningPosture {
  settings: SlackSettings;
  config: Config;
  db: Db;
  runtime: Runtime;
  app?: App;
  /** HTTP mode: the listening server (its port when PORT=0). */
  server?: Server;
  logger: Logger;
  scheduler: Scheduler;
  /** What GET /healthz answers (HTTP mode); also here for Socket Mode callers and tests. */
  health(): HealthReport;
  stop(): Promise<void>;
}

/** The version /healthz reports (package.json, read once). */
export const POSTURE_VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

export async function startPosture(options: StartOptions): Promise<RunningPosture> {
  const { env, cwd } = options;
  const clock = options.clock ?? (() => new Date());
  const config = loadMainConfig(env, cwd);
  const logger = createLogger(config.logLevel, options.logDestination);
  const settings = requireSlackSettings(config.slack);
  const catalog = loadCatalog(env.POSTURE_RULES_DIR ? `${resolve(cwd, env.POSTURE_RULES_DIR)}/` : DEFAULT_RULES_DIR, FIXER_IDS);
  checkConfigAgainstCatalog(config, catalog);
  const identity = settings.mode === "console" ? undefined : await verifyBotToken(settings);
  const { db } = openDatabase(config.dbPath === ":memory:" ? config.dbPath : resolve(cwd, config.dbPath));
  let jobsOf = (): ReturnType<Scheduler["jobs"]> => [];
  const health = () => evaluateHealth({ now: clock(), version: POSTURE_VERSION, facts: healthFactsOf(db, clock()), scan: config.schedules.scan, jobs: jobsOf() });
  const app = settings.mode === "console" || !identity ? undefined : createSlackApp(settings, identity, logger, healthRoutes(health));
  const notifier: Notifier = app ? createSlackNotifier(app.client, clock) : createConsoleNotifier(options.out ?? ((t) => process.stdout.write(`${t}\n`)), clock);
  // The live collector as a recipe the scan worker can rebuild: scans run off the main thread, so
  // slash commands and buttons keep answering while a big scan is saved.
  const sourceFor = options.sourceFor ?? (async (account?: string): Promise<SnapshotSource> =>
    (await import("./scan-worker.js")).awsCollectorSource(config, account ? [account] : undefined));
  const fixers = createFixers(config, options.awsCredentials);
  // Configured Slack user groups resolved to member ids at start-up, then kept fresh in the background.
  const userGroups = app ? createUserGroupDirectory({ client: app.client, groupIds: configuredUserGroups(config), logger }) : undefined;
  await userGroups?.start();
  const runtime = createRuntime({ config, catalog, db, logger, notifier, app, sourceFor, clock, delivery: options.delivery, fixers, userGroups });
  let server: Server | undefined;
  if (app && settings.mode === "http") server = (await app.start({ port: settings.port, host: options.host })) as Server;
  else if (app) await app.start();
  const wait = options.wait ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms).unref()));
  const scheduler = startSchedules({ config, catalog, db, runtime, notifier, logger, clock, cron: options.cron ?? nodeCronSeam, wait });
  jobsOf = () => scheduler.jobs();
  // Rows left by a crash or an outage go out now, not after the next scan.
  const interrupted = recoverInterruptedFixRuns(db, clock().toISOString());
  if (interrupted.length > 0) logger.warn({ fixRuns: interrupted.map((run) => run.id) }, "fixes interrupted by the last stop were marked failed");
  void runtime.deliver().catch((error: unknown) => logger.error({ err: error }, "outbox delivery at start-up failed"));
  logger.info({ mode: settings.mode, team: identity?.team, db: config.dbPath, rules: catalog.rules.length }, "Posture is running");
  return {
    settings, config, db, runtime, app, server, logger, scheduler, health,
    async stop() {
      // Jobs first: no new tick starts, and a running one gets its grace period before the database closes.
      await scheduler.stop(options.stopGraceMs ?? 30_000);
      userGroups?.stop();
      if (app) await app.stop();
      db.close();
    },
  };
}

/**
 * The fixers write with each account's `fixerRoleArn`, assumed from the base identity, never with the
 * scanner's role (credentials.ts refuses both being the same). Clients are created on first use.
 */
function createFixers(config: Config, base: AwsCredentialIdentityProvider | undefined): FixerRegistry {
  const clientsFor = createFixerClients({
    base, homeRegion: config.homeRegion, maxAttempts: config.scan.maxAttempts,
    ...(config.awsEndpointUrl !== undefined ? { endpointUrl: config.awsEndpointUrl } : {}),
    // Explicit accounts: their fixerRoleArn; discovered accounts: organizations.fixerRoleName (account-roles.ts).
    fixerRoleFor: (id) => fixerRoleOf(config, id),
    scannerRoleFor: (id) => scannerRoleOf(config, id),
  });
  return createFixerRegistry({ clientsFor, ...(config.fixes.kmsKeyId !== undefined ? { kmsKeyId: config.fixes.kmsKeyId } : {}) });
}

/** A database that cannot answer is a verdict, not a crash of the health route. */
function healthFactsOf(db: Db, now: Date): ReturnType<typeof loadHealthFacts> | { error: string } {
  try {
    return loadHealthFacts(db, now.toISOString());
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** `POSTURE_CONFIG` (default ./posture.config.yml when it exists, else defaults). */
function loadMainConfig(env: Record<string, string | undefined>, cwd: string): Config {
  const path = env.POSTURE_CONFIG ?? "posture.config.yml";
  const absolute = resolve(cwd, path);
  if (env.POSTURE_CONFIG === undefined && !existsSync(absolute)) return loadConfig(env);
  if (!existsSync(absolute)) throw new SlackSetupError(`POSTURE_CONFIG is "${path}" but ${absolute} does not exist: copy posture.config.example.yml there, or unset it`);
  return loadConfig(env, { path, text: readFileSync(absolute, "utf8") });
}

/** What a person starting Posture reads when it cannot start: the problem and what to do, no stack trace. */
export function startupProblem(error: unknown): string | undefined {
  if (error instanceof SlackSetupError || error instanceof MigrationError) return `posture: ${error.message}`;
  if (error instanceof ConfigError || error instanceof CatalogError) return `posture: ${error.message}`;
  return undefined;
}

/** SIGINT / SIGTERM stop Posture once (a second signal while stopping is ignored), then exit. */
export function onShutdownSignals(signals: Pick<NodeJS.Process, "once">, running: Pick<RunningPosture, "stop" | "logger">, exit: (code: number) => void): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.logger.info({ signal }, "stopping");
    void running.stop().then(() => exit(0), (error: unknown) => {
      running.logger.error({ err: error }, "stop failed");
      exit(1);
    });
  };
  signals.once("SIGINT", () => shutdown("SIGINT"));
  signals.once("SIGTERM", () => shutdown("SIGTERM"));
}

async function main(): Promise<void> {
  try {
    // .env (template .env.example) holds the tokens; real environment variables win over it.
    if (existsSync(".env")) process.loadEnvFile(".env");
    const running = await startPosture({ env: process.env, cwd: process.cwd() });
    onShutdownSignals(process, running, (code) => process.exit(code));
  } catch (error) {
    const problem = startupProblem(error);
    process.stderr.write(`${problem ?? `posture: could not start: ${(error as Error).message ?? String(error)}`}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
