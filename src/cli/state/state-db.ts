import { hostname } from "node:os";
import { resolve } from "node:path";
import { randomUUID } from "node:crypto";
import type { Command } from "commander";
import type { LockHolder } from "../../app/state-ports.js";
import type { Config } from "../../config.js";
import { MigrationError } from "../../db/migrate.js";
import { openDatabase, type Db } from "../../db/open.js";
import type { MigrateResult } from "../../db/migrate.js";
import { loadCliConfig, type CliIo, type GlobalOptions } from "../context.js";
import { UserError } from "../errors.js";

/** What the state commands get from the program (the same three things every command module gets). */
export interface StateCommandDeps {
  io: CliIo;
  globals(): GlobalOptions;
  setExitCode(code: number): void;
}

/** Opens config.dbPath (relative to the working directory), applying pending migrations. */
export function openStateDb(config: Pick<Config, "dbPath">, io: Pick<CliIo, "cwd">): { db: Db; path: string; migration?: MigrateResult } {
  const path = config.dbPath === ":memory:" ? config.dbPath : resolve(io.cwd, config.dbPath);
  try {
    return { ...openDatabase(path), path: config.dbPath };
  } catch (error) {
    if (error instanceof MigrationError) throw new UserError(error.message, { cause: error });
    const code = (error as { code?: string }).code;
    throw new UserError(`cannot open the database ${config.dbPath} (POSTURE_DB_PATH): ${code ?? (error as Error).message}`, { cause: error });
  }
}

/** Runs `work` with the configured database open, closing it whatever happens. */
export async function withStateDb<T>(deps: StateCommandDeps, work: (db: Db, config: Config) => T | Promise<T>): Promise<T> {
  const config = loadCliConfig(deps.globals(), deps.io);
  const { db } = openStateDb(config, deps.io);
  try {
    return await work(db, config);
  } finally {
    db.close();
  }
}

export function lockHolderOf(pid: number): LockHolder {
  return { holder: `scan-${randomUUID()}`, pid, host: hostname() };
}

/** Scan ids sort by time and never collide: 20261102T080000Z-1a2b3c4d. */
export function newScanId(now: Date): string {
  return `${now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}-${randomUUID().slice(0, 8)}`;
}

/** Wraps a handler so its exit code reaches the program. */
export function action<A extends unknown[]>(deps: StateCommandDeps, handler: (...args: A) => Promise<number> | number): (...args: A) => Promise<void> {
  return async (...args: A) => deps.setExitCode(await handler(...args));
}

export type { Command };
