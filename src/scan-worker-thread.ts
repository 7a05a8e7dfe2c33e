import { parentPort, workerData } from "node:worker_threads";
import { runPersistedScan } from "./app/persisted-scan.js";
import { openDatabase } from "./db/open.js";
import { scanStateOf, sourceOfRecipe, trustedAccountsOf, type ScanJob, type WorkerReply } from "./scan-worker.js";

/** The body of a scan worker: its own connection (migrations were applied by the main thread), the scan, one reply. */
async function run(job: ScanJob): Promise<WorkerReply> {
  const clock = () => new Date(Date.now() + job.clockOffsetMs);
  const { db } = openDatabase(job.dbPath, { migrate: false });
  try {
    const source = await sourceOfRecipe(job.recipe, job.spec.config);
    const outcome = await runPersistedScan({
      rules: job.spec.rules, source, now: job.spec.now, filters: { disabled: job.spec.config.rules.disabled }, trustedAccounts: trustedAccountsOf(db, job.spec.config),
      severityOverrides: job.spec.config.severityOverrides, notifySeverities: job.spec.config.notifications.severities,
      state: scanStateOf(db, job.spec, clock),
    });
    return { ok: true, persisted: outcome.persisted, pruned: outcome.pruned };
  } finally {
    db.close();
  }
}

const reply = await run(workerData as ScanJob).catch((error: unknown): WorkerReply => {
  const e = error instanceof Error ? error : new Error(String(error));
  const code = (e as { code?: unknown }).code;
  return { ok: false, name: e.name, message: e.message, ...(typeof code === "string" ? { code } : {}) };
});
parentPort!.postMessage(reply);
