import type { Finding } from "../core/report.js";
import { renderEvidence } from "./render-evidence.js";

const HEADER = ["severity", "rule_id", "title", "account_id", "region", "resource_type", "resource_name", "resource_arn", "evidence", "qualifiers"];

/** One row per failing finding, RFC 4180 quoting, CRLF line ends (what spreadsheets expect). */
export function renderCsv(findings: readonly Finding[]): string {
  const rows = findings.map((f) => [
    f.severity, f.ruleId, f.title, f.resource.accountId, f.resource.region, f.resource.type, f.resource.name, f.resource.arn,
    renderEvidence(f.evidence), (f.qualifiers ?? []).join("; "),
  ]);
  return [HEADER, ...rows].map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}

export function csvField(value: string): string {
  // Cells starting with = + - @ are formulas to spreadsheet apps; a leading quote keeps them text.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
