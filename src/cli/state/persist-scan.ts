import type { Command } from "commander";
import { runPersistedScan, ScanLockedError, type PersistedScanOutcome } from "../../app/persisted-scan.js";
import type { ScanRequest } from "../../app/scan.js";
import type { Config } from "../../config.js";
import { createScanLock } from "../../db/scan-lock-repo.js";
import { createSqliteStateStore } from "../../db/state-store.js";
import { trustedAccountsOf } from "../../scan-worker.js";
import type { CliIo } from "../context.js";
import { UserError } from "../errors.js";
import { lockHolderOf, newScanId, openStateDb } from "./state-db.js";

/** Adds `--no-persist` to `posture scan` (commander sets `persist: false` when given). */
export function addPersistOption(command: Command): Command {
  return command.option("--no-persist", "do not record the scan in the database (POSTURE_DB_PATH); by default findings, score and audit are persisted");
}

/**
 * `posture scan` with state: the same request the scan use case takes, run under the scan lock and
 * reconciled into config.dbPath in one transaction. Returns the report (for rendering) and what was persisted.
 */
export async function runScanWithState(request: ScanRequest, config: Config, io: Pick<CliIo, "cwd" | "clock">, trigger = "cli"): Promise<PersistedScanOutcome> {
  const { db } = openStateDb(config, io);
  try {
    return await runPersistedScan({
      ...request,
      // The same trust as the scan worker's: a sibling account of the latest scans is not cross-account.
      trustedAccounts: [...new Set([...(request.trustedAccounts ?? []), ...trustedAccountsOf(db, config)])],
      notifySeverities: config.notifications.severities,
      state: {
        store: createSqliteStateStore(db),
        lock: createScanLock(db),
        holder: lockHolderOf(process.pid),
        clock: io.clock,
        newScanId: () => newScanId(io.clock()),
        trigger,
        ownership: { teams: config.teams, tagKeys: config.ownership.tagKeys },
        teams: config.teams.map((t) => ({ handle: t.handle, name: t.name, channel: t.channel, members: t.members, userGroup: t.userGroup })),
        securityChannel: config.securityChannel ?? null,
        retentionDays: config.retention.evaluationDays,
      },
    });
  } catch (error) {
    if (error instanceof ScanLockedError) throw new UserError(error.message, { cause: error });
    throw error;
  } finally {
    db.close();
  }
}

/** One stderr line: "posture: saved scan 2026...Z-1a2b3c4d to ./data/posture.db: 3 new, 1 resolved, ...". */
export function describePersisted(outcome: PersistedScanOutcome, dbPath: string): string {
  const { persisted } = outcome;
  if (!persisted.written) return `posture: scan ${persisted.scanId} was already saved in ${dbPath}\n`;
  const t = persisted.transitions;
  return `posture: saved scan ${persisted.scanId} to ${dbPath}: ${t.new} new, ${t.reopened} reopened, ${t.resolved} resolved, ${t.deleted} resolved as deleted; ${persisted.outboxQueued} to post\n`;
}
