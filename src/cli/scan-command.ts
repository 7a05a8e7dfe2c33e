import { runScan, scanTriggerOf, type ScanRequest, type SnapshotSource } from "../app/scan.js";
import type { Config } from "../config.js";
import type { Catalog } from "../core/catalog.js";
import { countFailingAtOrAbove, type ScanReport } from "../core/report.js";
import type { Severity } from "../core/rule.js";
import { checkConfigAgainstCatalog } from "../rules-files.js";
import { checkAccountIds, checkRuleIds, loadCliCatalog, loadCliConfig, type CliIo, type GlobalOptions } from "./context.js";
import { EXIT, nothingCollected, UserError } from "./errors.js";
import { loadLiveCollector } from "./live-collector.js";
import { parseAccountIds, parseFormat, parseNow, parseSeverity, parseSeverityFilter, type Format } from "./options.js";
import { renderCsvLines } from "./render-csv.js";
import { renderJsonChunks } from "./render-json.js";
import { formatCount } from "./render-evidence.js";
import { renderTable } from "./render-table.js";
import { loadSnapshotFile } from "./snapshot-file.js";
import { describePersisted, runScanWithState } from "./state/persist-scan.js";

export interface ScanFlags {
  snapshot?: string;
  format: string;
  severity?: string;
  rule?: string[];
  failOn?: string;
  now?: string;
  all?: boolean;
  account?: string[];
  /**
   * Record the scan in the database (config.dbPath): the default; `--no-persist` sets false. A snapshot
   * file is persisted too (each run is a new scan, even at the same `--now`).
   */
  persist?: boolean;
}

/** The table lists this many resources per rule unless --all or --rule is given; JSON and CSV list every one. */
const TABLE_RESOURCES_PER_RULE = 8;

interface ScanPlan {
  format: Format;
  severities?: Severity[];
  ruleIds: string[];
  failOn?: Severity;
  now: Date;
  /** Table: resources listed per rule (undefined = all). */
  perRule?: number;
}

/** `posture scan`: evaluate a snapshot file, or collect live first; returns the exit code. */
export async function scanCommand(flags: ScanFlags, global: GlobalOptions, io: CliIo): Promise<number> {
  const plan = parseScanFlags(flags, io);
  const config = loadCliConfig(global, io);
  const catalog = loadCliCatalog(global, io);
  checkRuleIds(plan.ruleIds, catalog, "--rule");
  warnUnknownDisabled(config, catalog, io);
  checkConfigAgainstCatalog(config, catalog);
  const source = await sourceFor(flags, config, io);
  const request: ScanRequest = {
    rules: catalog.rules,
    source,
    now: plan.now,
    filters: { severities: plan.severities, ruleIds: plan.ruleIds, disabled: config.rules.disabled },
    trustedAccounts: config.accounts.map((account) => account.id),
    severityOverrides: config.severityOverrides,
  };
  // Recorded in config.dbPath (findings lifecycle, score history, audit, outbox) unless --no-persist.
  const persisted = flags.persist !== false ? await runScanWithState(request, config, io, scanTriggerOf("cli", source.kind === "collector" ? source.accounts : undefined)) : undefined;
  const { report, rules } = persisted ?? await runScan(request);
  io.err(`posture: ${formatCount(rules.length)} rules, ${formatCount(report.evaluations)} evaluations, ${formatCount(report.findings.length)} failing\n`);
  if (persisted) io.err(describePersisted(persisted, config.dbPath));
  writeChunks(io, renderReport(report, plan, config, io.color));
  if (nothingCollected(report.coverage.accounts)) {
    io.err("posture: no account could be collected (see Coverage): nothing was evaluated\n");
    return EXIT.nothingCollected;
  }
  if (plan.failOn && countFailingAtOrAbove(report, plan.failOn) > 0) return EXIT.findings;
  return EXIT.ok;
}

function parseScanFlags(flags: ScanFlags, io: CliIo): ScanPlan {
  return {
    format: parseFormat(flags.format),
    severities: flags.severity === undefined ? undefined : parseSeverityFilter(flags.severity),
    ruleIds: (flags.rule ?? []).flatMap((id) => id.split(",")).map((id) => id.trim()).filter(Boolean),
    failOn: flags.failOn === undefined ? undefined : parseSeverity(flags.failOn, "--fail-on"),
    now: parseNow(flags.now, io.clock),
    perRule: flags.all || flags.rule?.length ? undefined : TABLE_RESOURCES_PER_RULE,
  };
}

async function sourceFor(flags: ScanFlags, config: Config, io: CliIo): Promise<SnapshotSource> {
  const accounts = parseAccountIds(flags.account);
  if (flags.snapshot !== undefined) {
    if (accounts) throw new UserError("--account applies to live collection; a snapshot is evaluated whole");
    return { kind: "snapshot", snapshot: await loadSnapshotFile(flags.snapshot) };
  }
  checkAccountIds(accounts, config);
  io.err("posture: collecting from AWS (progress below; the report goes to stdout)\n");
  const collector = await loadLiveCollector(config);
  return { kind: "collector", collector, accounts, onProgress: (message) => io.err(`  ${message}\n`) };
}

function warnUnknownDisabled(config: Config, catalog: Catalog, io: CliIo): void {
  const known = new Set(catalog.rules.map((rule) => rule.id));
  const unknown = config.rules.disabled.filter((id) => !known.has(id));
  if (unknown.length > 0) io.err(`posture: warning: rules.disabled names unknown rule id(s): ${unknown.join(", ")}\n`);
}

export function renderReport(report: ScanReport, plan: Pick<ScanPlan, "format" | "perRule">, config: Pick<Config, "accounts">, color: boolean): Iterable<string> {
  const { format } = plan;
  if (format === "json") return renderJsonChunks(report);
  if (format === "csv") return renderCsvLines(report.findings);
  const accountNames = new Map(config.accounts.flatMap((a) => (a.name ? [[a.id, a.name] as const] : [])));
  return [renderTable(report, { color, accountNames, perRule: plan.perRule })];
}

/** Writes rendered pieces in batches: one write per piece would be a million syscalls. */
function writeChunks(io: CliIo, chunks: Iterable<string>): void {
  let batch: string[] = [];
  for (const chunk of chunks) {
    batch.push(chunk);
    if (batch.length === 2_000) {
      io.out(batch.join(""));
      batch = [];
    }
  }
  if (batch.length > 0) io.out(batch.join(""));
}
