import { readsOf, selectRules } from "../app/scan.js";
import { checkAccountIds, loadCliCatalog, loadCliConfig, type CliIo, type GlobalOptions } from "./context.js";
import { EXIT, nothingCollected } from "./errors.js";
import { loadLiveCollector } from "./live-collector.js";
import { parseAccountIds } from "./options.js";
import { formatCount } from "./render-evidence.js";
import { writeSnapshotFile } from "./snapshot-file.js";

/** `posture collect --out FILE`: live collection of what the enabled rules read, written as JSON. */
export async function collectCommand(flags: { out: string; account?: string[] }, global: GlobalOptions, io: CliIo): Promise<number> {
  const accounts = parseAccountIds(flags.account);
  const config = loadCliConfig(global, io);
  const catalog = loadCliCatalog(global, io);
  checkAccountIds(accounts, config);
  const rules = selectRules(catalog.rules, { disabled: config.rules.disabled });
  const collector = await loadLiveCollector(config);
  const started = io.clock().getTime();
  const snapshot = await collector.collect({ reads: readsOf(rules), accounts, onProgress: (message) => io.err(`  ${message}\n`) });
  await writeSnapshotFile(flags.out, snapshot);
  const seconds = ((io.clock().getTime() - started) / 1000).toFixed(1);
  const failed = snapshot.accounts.filter((a) => a.status !== "ok").map((a) => `${a.accountId} ${a.status}`);
  io.err(`posture: wrote ${flags.out}: ${formatCount(snapshot.resources.length)} resources from ${snapshot.accounts.length} account(s) in ${seconds} s`
    + `${failed.length > 0 ? ` (${failed.join(", ")})` : ""}\n`);
  if (nothingCollected(snapshot.accounts)) {
    const reasons = snapshot.accounts.map((a) => `${a.accountId}: ${a.errors[0] ? `${a.errors[0].operation}: ${a.errors[0].code}: ${a.errors[0].message}` : "failed"}`);
    io.err(`posture: no account could be collected: ${reasons.join("; ")}\n`);
    return EXIT.nothingCollected;
  }
  return EXIT.ok;
}
