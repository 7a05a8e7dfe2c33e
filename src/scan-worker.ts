import { getHeapStatistics } from "node:v8";
import { Worker } from "node:worker_threads";
import { runPersistedScan, ScanLockedError, type PersistedScanRequest } from "./app/persisted-scan.js";
import { scanTriggerOf, type SnapshotSource } from "./app/scan.js";
import type { LockHolder, PersistSummary } from "./app/state-ports.js";
import type { Config } from "./config.js";
import type { Rule } from "./core/rule.js";
import type { Db } from "./db/open.js";
import { loadScannedAccounts } from "./db/coverage-queries.js";
import { createScanLock } from "./db/scan-lock-repo.js";
import { createSqliteStateStore } from "./db/state-store.js";

/**
 * Scans off the main thread. A large scan's persisting transaction is synchronous SQLite work of
 * seconds (about 10 s for 400,000 resources); on the main thread it would stall every Slack ack past
 * the 3-second limit (reference B2). So the scan (collect, evaluate, reconcile and persist: the
 * `runPersistedScan` use case) runs in a worker thread with its own database connection; WAL lets the
 * main thread keep reading meanwhile. The main thread then delivers the outbox and republishes Home.
 *
 * A source object (a collector, a snapshot in memory) cannot cross to a worker, so a source goes to the
 * worker only when it says how to re-create it there: `awsCollectorSource` (the worker builds the AWS
 * collector from config) or `snapshotFileSource` (the worker reads the file). Any other source, and an
 * in-memory database, scans in-process as before: that is the path tests take when they inject a
 * snapshot object through `sourceFor`.
 */
export type WorkerRecipe = { kind: "aws-collector"; accounts?: string[] } | { kind: "snapshot-file"; path: string };

const recipes = new WeakMap<SnapshotSource, WorkerRecipe>();

export function workerRecipeOf(source: SnapshotSource): WorkerRecipe | undefined {
  return recipes.get(source);
}

/** A snapshot file (as `posture collect` writes it), read in the worker; in-process it is read the same way. */
export function snapshotFileSource(path: string): SnapshotSource {
  const source: SnapshotSource = {
    kind: "collector",
    collector: { collect: async () => (await import("./cli/snapshot-file.js")).loadSnapshotFile(path) },
  };
  recipes.set(source, { kind: "snapshot-file", path });
  return source;
}

/** The live AWS collector for `accounts` (all configured when undefined); the worker builds its own from config. */
export async function awsCollectorSource(config: Config, accounts?: readonly string[]): Promise<SnapshotSource> {
  const { createAwsCollector } = await import("./aws/collector.js");
  const source: SnapshotSource = { kind: "collector", collector: createAwsCollector(config), accounts };
  recipes.set(source, { kind: "aws-collector", accounts: accounts ? [...accounts] : undefined });
  return source;
}

export async function sourceOfRecipe(recipe: WorkerRecipe, config: Config): Promise<SnapshotSource> {
  return recipe.kind === "aws-collector" ? awsCollectorSource(config, recipe.accounts) : snapshotFileSource(recipe.path);
}

/** What one scan needs besides its source and its database: all plain data, so it can cross to a worker. */
export interface ScanSpec {
  config: Config;
  rules: readonly Rule[];
  trigger: string;
  scanId: string;
  holder: LockHolder;
  /** Evaluation time (the runtime's clock when the scan starts). */
  now: Date;
}

export interface ScanJobResult {
  persisted: PersistSummary;
  pruned: number;
  /** Where the scan ran. */
  ran: "worker" | "in-process";
}

/** The state half of `runPersistedScan`'s request, the same in both places a scan runs. */
export function scanStateOf(db: Db, spec: ScanSpec, clock: () => Date): PersistedScanRequest["state"] {
  const { config } = spec;
  return {
    store: createSqliteStateStore(db), lock: createScanLock(db), holder: spec.holder, clock, newScanId: () => spec.scanId, trigger: spec.trigger,
    ownership: { teams: config.teams, tagKeys: config.ownership.tagKeys },
    teams: config.teams.map((t) => ({ handle: t.handle, name: t.name, channel: t.channel, members: t.members, userGroup: t.userGroup })),
    securityChannel: config.securityChannel ?? null, retentionDays: config.retention.evaluationDays,
  };
}

/**
 * The organisation's accounts beyond the scanned ones: the configured accounts and every account of the
 * latest scans. A scan of one account, or one whose discovery failed, then does not report access granted
 * to a sibling account as cross-account exposure.
 */
export function trustedAccountsOf(db: Db, config: Config): string[] {
  return [...new Set([...config.accounts.map((a) => a.id), ...loadScannedAccounts(db).map((a) => a.id)])];
}

/** Runs one persisted scan: in a worker when the source and the database allow it, else in-process. */
export async function runScan(db: Db, source: SnapshotSource, plainSpec: ScanSpec, clock: () => Date): Promise<ScanJobResult> {
  // A scan of chosen accounts says so in its trigger: coverage then keeps the other accounts' lines (coverage-queries.ts).
  const spec = { ...plainSpec, trigger: scanTriggerOf(plainSpec.trigger, source.kind === "collector" ? source.accounts : undefined) };
  const recipe = workerRecipeOf(source);
  if (recipe && !db.memory) return runScanInWorker({ dbPath: db.name, recipe, spec, clockOffsetMs: clock().getTime() - Date.now() });
  const outcome = await runPersistedScan({
    rules: spec.rules, source, now: spec.now, filters: { disabled: spec.config.rules.disabled }, trustedAccounts: trustedAccountsOf(db, spec.config),
    severityOverrides: spec.config.severityOverrides, notifySeverities: spec.config.notifications.severities, state: scanStateOf(db, spec, clock),
  });
  return { persisted: outcome.persisted, pruned: outcome.pruned, ran: "in-process" };
}

export interface ScanJob {
  dbPath: string;
  recipe: WorkerRecipe;
  spec: ScanSpec;
  /** The runtime's clock minus the system clock: the worker's clock keeps the same offset. */
  clockOffsetMs: number;
}

export type WorkerReply =
  | { ok: true; persisted: PersistSummary; pruned: number }
  | { ok: false; name: string; message: string; code?: string };

/**
 * One worker per scan. A failure in the scan comes back as its error (a held lease as ScanLockedError);
 * a crashed worker (uncaught error, out of memory, exit) rejects with what happened: never a hang.
 */
export function runScanInWorker(job: ScanJob, options: { maxOldGenerationSizeMb?: number } = {}): Promise<ScanJobResult> {
  // The worker gets the parent's heap limit (e.g. --max-old-space-size): a 400,000-resource scan needs it.
  const maxOldGenerationSizeMb = options.maxOldGenerationSizeMb ?? Math.ceil(getHeapStatistics().heap_size_limit / 1_048_576);
  return new Promise((resolve, reject) => {
    // execArgv [] : the entry registers tsx itself, whether the parent runs under tsx, vitest or plain node.
    const worker = new Worker(new URL("./scan-worker-entry.mjs", import.meta.url), { workerData: job, execArgv: [], resourceLimits: { maxOldGenerationSizeMb } });
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      action();
    };
    worker.once("message", (reply: WorkerReply) => settle(() => {
      if (reply.ok) resolve({ persisted: reply.persisted, pruned: reply.pruned, ran: "worker" });
      else reject(reply.code === "POSTURE_SCAN_LOCKED" ? new ScanLockedError(reply.message) : Object.assign(new Error(reply.message), { name: reply.name, code: reply.code }));
    }));
    worker.once("error", (error) => settle(() => reject(new Error(`the scan worker crashed: ${error.message}`, { cause: error }))));
    worker.once("exit", (code) => settle(() => reject(new Error(`the scan worker exited (code ${code}) before reporting a result`))));
  });
}
