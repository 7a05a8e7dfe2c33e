import type { Evidence } from "../core/condition.js";

const MAX_VALUE = 100;
const MAX_LINE = 300;

/** Evidence as one readable line: `acl.grants[1].grantee.uri = "…/AllUsers" (expected not …)`. */
export function renderEvidence(evidence: readonly Evidence[], qualifiers: readonly string[] = []): string {
  const parts = evidence.map((e) => `${e.path} = ${renderValue(e.observed)} (expected ${e.expected})`);
  const unique = [...new Set(parts)];
  let line = unique.join("; ");
  if (qualifiers.length > 0) line += ` [${qualifiers.join("; ")}]`;
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}…` : line || "(no evidence recorded)";
}

export function renderValue(value: unknown): string {
  const text = value === undefined ? "undefined" : JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}
