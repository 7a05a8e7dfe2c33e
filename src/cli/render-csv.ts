import type { Finding } from "../core/report.js";
import { renderEvidence } from "./render-evidence.js";

const HEADER = ["severity", "rule_id", "title", "account_id", "region", "resource_type", "resource_name", "resource_arn", "evidence", "qualifiers", "rule_severity", "severity_reason"];

/** One row per failing finding, RFC 4180 quoting, CRLF line ends (what spreadsheets expect). */
export function renderCsv(findings: readonly Finding[]): string {
  return [...renderCsvLines(findings)].join("");
}

/** The same, line by line (each with its CRLF), so a million findings never become one string. */
export function* renderCsvLines(findings: readonly Finding[]): Generator<string> {
  yield `${HEADER.join(",")}\r\n`;
  for (const f of findings) {
    const row = [
      f.severity, f.ruleId, f.title, f.resource.accountId, f.resource.region, f.resource.type, f.resource.name, f.resource.arn,
      renderEvidence(f.evidence), (f.qualifiers ?? []).join("; "), f.severityOverride?.ruleSeverity ?? f.severity, f.severityOverride?.reason ?? "",
    ];
    yield `${row.map(csvField).join(",")}\r\n`;
  }
}

export function csvField(value: string): string {
  // Cells starting with = + - @ are formulas to spreadsheet apps; a leading quote keeps them text.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
