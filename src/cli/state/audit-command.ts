import { Option, type Command } from "commander";
import { RESOLVED_ACCOUNT_LEFT, RESOLVED_DELETED, RESOLVED_PASSED } from "../../core/findings.js";
import { MUTE_REASONS, REVOKE_REASONS } from "../../core/mutes.js";
import { loadAuditEntries, type AuditRecord } from "../../db/audit-queries.js";
import { csvField } from "../render-csv.js";
import { EXIT, UserError } from "../errors.js";
import { action, withStateDb, type StateCommandDeps } from "./state-db.js";

interface ExportFlags { since: string; until?: string; format: "csv" | "json"; team?: string; action?: string; reason?: string }

const HEADER = ["id", "at", "actor", "actor_name", "action", "subject_type", "subject_id", "finding_id", "scan_id", "team", "reason", "permalink", "details"];

/** Reasons an entry can carry: a mute's, a revocation's, or a resolution's. */
const REASONS: readonly string[] = [...MUTE_REASONS, ...REVOKE_REASONS, RESOLVED_PASSED, RESOLVED_DELETED, RESOLVED_ACCOUNT_LEFT];

/**
 * `posture audit export --since DATE [--until DATE] [--team T] [--action A|family.*] [--reason R] --format csv|json`:
 * the append-only audit log for a period, streamed to stdout, with who (id and name) and the Slack permalink.
 */
export function registerAuditCommand(program: Command, deps: StateCommandDeps): void {
  const audit = program.command("audit").description("the audit log (append-only)");
  audit.command("export")
    .description("export audit entries at or after a date, for auditors")
    .requiredOption("--since <date>", "ISO date or time, e.g. 2026-10-01")
    .option("--until <date>", "ISO date or time: only entries before it, e.g. 2026-11-01")
    .addOption(new Option("-f, --format <format>", "output format").choices(["csv", "json"]).default("csv"))
    .option("--team <handle>", "only entries about this team's findings")
    .option("--action <action>", "only this action, e.g. finding.reopened, or a family such as mute.*")
    .option("--reason <reason>", `only entries with this reason (a mute's, a revocation's or a resolution's): ${REASONS.join(", ")}`)
    .action(action(deps, (flags: ExportFlags) => withStateDb(deps, (db) => {
      const since = parseSince(flags.since);
      const until = flags.until === undefined ? undefined : parseSince(flags.until, "--until");
      if (until !== undefined && until <= since) throw new UserError(`--until: expected a time after --since (${flags.since}), received "${flags.until}"`);
      if (flags.reason !== undefined && !REASONS.includes(flags.reason)) throw new UserError(`--reason: expected one of ${REASONS.join(", ")}; received "${flags.reason}"`);
      const entries = loadAuditEntries(db, { since, until, team: flags.team, action: flags.action, reason: flags.reason });
      for (const chunk of renderAuditExport(entries, flags.format)) deps.io.out(chunk);
      return EXIT.ok;
    })));
}

export function parseSince(value: string, option = "--since"): string {
  const time = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(time)) throw new UserError(`${option}: expected an ISO date such as 2026-10-01, received "${value}"`);
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
      const reason = typeof e.details.reason === "string" ? e.details.reason : "";
      const row = [e.id, e.at, e.actor, e.actorName ?? "", e.action, e.subjectType, e.subjectId, e.findingId ?? "", e.scanId ?? "", e.team ?? "", reason, e.permalink ?? "", JSON.stringify(e.details)];
      yield `${row.map((v) => csvField(String(v))).join(",")}\r\n`;
    }
    first = false;
  }
  if (format === "json") yield first ? "]\n" : "\n]\n";
}
