import { Option, type Command } from "commander";
import { loadAuditEntries, type AuditRecord } from "../../db/audit-queries.js";
import { csvField } from "../render-csv.js";
import { EXIT, UserError } from "../errors.js";
import { action, withStateDb, type StateCommandDeps } from "./state-db.js";

interface ExportFlags { since: string; format: "csv" | "json"; team?: string; action?: string }

const HEADER = ["id", "at", "actor", "action", "subject_type", "subject_id", "finding_id", "scan_id", "team", "details"];

/** `posture audit export --since DATE --format csv|json`: the append-only audit log, streamed to stdout. */
export function registerAuditCommand(program: Command, deps: StateCommandDeps): void {
  const audit = program.command("audit").description("the audit log (append-only)");
  audit.command("export")
    .description("export audit entries at or after a date, for auditors")
    .requiredOption("--since <date>", "ISO date or time, e.g. 2026-10-01")
    .addOption(new Option("-f, --format <format>", "output format").choices(["csv", "json"]).default("csv"))
    .option("--team <handle>", "only entries about this team's findings")
    .option("--action <action>", "only this action, e.g. finding.reopened")
    .action(action(deps, (flags: ExportFlags) => withStateDb(deps, (db) => {
      const since = parseSince(flags.since);
      const entries = loadAuditEntries(db, { since, team: flags.team, action: flags.action });
      for (const chunk of renderAuditExport(entries, flags.format)) deps.io.out(chunk);
      return EXIT.ok;
    })));
}

export function parseSince(value: string): string {
  const time = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(time)) throw new UserError(`--since: expected an ISO date such as 2026-10-01, received "${value}"`);
  return new Date(time).toISOString();
}

/** CSV (RFC 4180 quoting, CRLF) or a JSON array, produced entry by entry. */
export function* renderAuditExport(entries: Iterable<AuditRecord>, format: ExportFlags["format"]): Generator<string> {
  if (format === "csv") yield `${HEADER.join(",")}\r\n`;
  else yield "[";
  let first = true;
  for (const e of entries) {
    if (format === "json") {
      yield `${first ? "\n" : ",\n"}  ${JSON.stringify(e)}`;
    } else {
      const row = [e.id, e.at, e.actor, e.action, e.subjectType, e.subjectId, e.findingId ?? "", e.scanId ?? "", e.team ?? "", JSON.stringify(e.details)];
      yield `${row.map((v) => csvField(String(v))).join(",")}\r\n`;
    }
    first = false;
  }
  if (format === "json") yield first ? "]\n" : "\n]\n";
}
