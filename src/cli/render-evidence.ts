import type { Evidence } from "../core/condition.js";

const MAX_VALUE = 160;
const MAX_LINE = 300;

/** Evidence as one readable line: `acl.grants[1].grantee.uri = "…/AllUsers" (expected not …)`. */
export function renderEvidence(evidence: readonly Evidence[], qualifiers: readonly string[] = []): string {
  const parts = evidence.map((e) => `${e.path} = ${renderValue(e.observed)} (expected ${e.expected})`);
  const unique = [...new Set(parts)];
  let line = unique.join("; ");
  if (qualifiers.length > 0) line += ` [${qualifiers.join("; ")}]`;
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}…` : line || "(no evidence recorded)";
}

/**
 * Observed values as people read them. Named checks report objects such as `{ reason }` (already a
 * sentence) or `{ policy, statement }` / `{ foreignAccounts, statement }`: the context comes first in
 * words, then the statement as compact JSON, so the line says which policy and what in it.
 */
export function renderValue(value: unknown): string {
  const text = describeObserved(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

function describeObserved(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    if (typeof record.reason === "string") return record.reason;
    if (record.statement !== undefined) {
      const context = Object.entries(record)
        .filter(([key, v]) => key !== "statement" && v !== undefined)
        .map(([key, v]) => (typeof v === "string" ? v : `${key} ${Array.isArray(v) ? v.join(", ") : JSON.stringify(v)}`));
      return [...context, JSON.stringify(record.statement)].join(": ");
    }
  }
  return JSON.stringify(value) ?? String(value);
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}
