import { Option, type Command } from "commander";
import { FINDING_STATUSES, type FindingStatus } from "../../core/findings.js";
import { loadFindings, type FindingPage } from "../../db/finding-queries.js";
import { parseSeverityFilter } from "../options.js";
import { csvField } from "../render-csv.js";
import { EXIT, UserError } from "../errors.js";
import { createPaint } from "../style.js";
import { action, withStateDb, type StateCommandDeps } from "./state-db.js";

interface FindingsFlags { team?: string; severity?: string; rule?: string; status: string; limit: string; after?: string; format: "table" | "json" | "csv" }

/** `posture findings`: stored findings, most severe first, one page at a time (`--after` the printed cursor). */
export function registerFindingsCommand(program: Command, deps: StateCommandDeps): void {
  program.command("findings")
    .description("list stored findings by team, severity, rule and status (from the database)")
    .option("--team <handle>", "a team handle, or \"unowned\"")
    .option("--severity <list|min>", "a minimum (\"high\" = critical and high) or a comma list")
    .option("--rule <id>", "one rule id")
    .addOption(new Option("--status <status>", "finding status").choices([...FINDING_STATUSES]).default("open"))
    .option("--limit <n>", "findings per page (1-500)", "20")
    .option("--after <cursor>", "the cursor printed after the previous page")
    .addOption(new Option("-f, --format <format>", "output format").choices(["table", "json", "csv"]).default("table"))
    .action(action(deps, (flags: FindingsFlags) => withStateDb(deps, (db) => {
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UserError(`--limit: expected a whole number from 1 to 500, received "${flags.limit}"`);
      let page: FindingPage;
      try {
        page = loadFindings(db, {
          team: flags.team, ruleId: flags.rule, status: flags.status as FindingStatus, limit, after: flags.after,
          severities: flags.severity === undefined ? undefined : parseSeverityFilter(flags.severity),
        });
      } catch (error) {
        if (error instanceof RangeError) throw new UserError(`--after: ${error.message}`, { cause: error });
        throw error;
      }
      deps.io.out(renderFindingsPage(page, flags.format, deps.io.color));
      if (page.next !== null && flags.format === "table") deps.io.err(`posture: more findings: add --after ${page.next}\n`);
      return EXIT.ok;
    })));
}

export function renderFindingsPage(page: FindingPage, format: FindingsFlags["format"], color: boolean): string {
  if (format === "json") return `${JSON.stringify(page, null, 2)}\n`;
  if (format === "csv") {
    const header = "id,severity,status,rule_id,team,account_id,region,resource_name,resource_arn,first_seen,last_seen,reopen_count\r\n";
    return header + page.findings.map((f) => [f.id, f.severity, f.status, f.ruleId, f.team ?? "unowned", f.resource.accountId, f.resource.region, f.resource.name, f.resource.arn, f.firstSeen, f.lastSeen, f.reopenCount]
      .map((v) => csvField(String(v))).join(",")).map((line) => `${line}\r\n`).join("");
  }
  const paint = createPaint(color);
  if (page.findings.length === 0) return "no findings match\n";
  return `${page.findings.map((f) => `${String(f.id).padStart(7)}  ${paint.severity(f.severity, f.severity.padEnd(8))}  ${f.ruleId}  ${f.resource.name} (${f.resource.accountId})  ${paint.dim(`${f.team ?? "unowned"}, since ${f.firstSeen.slice(0, 10)}${f.reopenCount > 0 ? `, reopened ${f.reopenCount}x` : ""}`)}`).join("\n")}\n`;
}
