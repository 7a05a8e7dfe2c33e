import type { Command } from "commander";
import { EXIT } from "../errors.js";
import { loadCliConfig } from "../context.js";
import { action, openStateDb, type StateCommandDeps } from "./state-db.js";

/** `posture migrate`: creates the database if needed and applies pending migrations (start-up does too). */
export function registerMigrateCommand(program: Command, deps: StateCommandDeps): void {
  program.command("migrate")
    .description("create the state database (POSTURE_DB_PATH, default ./data/posture.db) and apply pending migrations")
    .action(action(deps, () => {
      const config = loadCliConfig(deps.globals(), deps.io);
      const { db, migration } = openStateDb(config, deps.io);
      db.close();
      const applied = migration?.applied ?? [];
      const names = applied.map((m) => `${String(m.version).padStart(4, "0")}-${m.name}`).join(", ");
      deps.io.out(applied.length === 0
        ? `database ${config.dbPath} is up to date (schema version ${migration?.version ?? 0})\n`
        : `database ${config.dbPath}: applied ${names}; now at schema version ${migration?.version}\n`);
      return EXIT.ok;
    }));
}
