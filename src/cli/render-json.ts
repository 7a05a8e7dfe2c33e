import type { ScanReport } from "../core/report.js";

/**
 * The report as JSON, in pieces: a 400,000-resource scan has a million findings, and one
 * JSON.stringify of all of them would exceed V8's maximum string length. Top-level fields are
 * indented; findings are one compact object per line (easy to grep, stream and diff).
 */
export function* renderJsonChunks(report: ScanReport): Generator<string> {
  const { findings, ...rest } = report;
  const head = JSON.stringify(rest, null, 2);
  // `rest` always has fields, so the text ends with "\n}": reopen it to add "findings" last.
  yield `${head.slice(0, -2)},\n  "findings": [`;
  for (let i = 0; i < findings.length; i++) yield `${i === 0 ? "" : ","}\n    ${JSON.stringify(findings[i])}`;
  yield findings.length === 0 ? "]\n}\n" : "\n  ]\n}\n";
}
