import { SEVERITIES, type Severity } from "../core/rule.js";
import { severitiesAtOrAbove } from "../app/scan.js";
import { UserError } from "./errors.js";

export const FORMATS = ["table", "json", "csv"] as const;
export type Format = (typeof FORMATS)[number];

export function parseSeverity(value: string, flag: string): Severity {
  const normalized = value.trim().toLowerCase();
  if ((SEVERITIES as readonly string[]).includes(normalized)) return normalized as Severity;
  throw new UserError(`${flag}: expected one of ${SEVERITIES.join(", ")}, received "${value}"`);
}

/**
 * `--severity high` means "high and above"; a comma list (`--severity critical,low`) selects exactly
 * those severities.
 */
export function parseSeverityFilter(value: string): Severity[] {
  const parts = value.split(",").map((part) => part.trim()).filter(Boolean);
  if (parts.length === 0) throw new UserError(`--severity: expected a severity or a comma list such as "critical,high", received "${value}"`);
  if (parts.length === 1) return severitiesAtOrAbove(parseSeverity(parts[0]!, "--severity"));
  const picked = new Set(parts.map((part) => parseSeverity(part, "--severity")));
  return SEVERITIES.filter((s) => picked.has(s));
}

export function parseFormat(value: string): Format {
  if ((FORMATS as readonly string[]).includes(value)) return value as Format;
  throw new UserError(`--format: expected one of ${FORMATS.join(", ")}, received "${value}"`);
}

export function parseNow(value: string | undefined, clock: () => Date): Date {
  if (value === undefined) return clock();
  const time = Date.parse(value);
  if (Number.isNaN(time) || !/^\d{4}-\d{2}-\d{2}/.test(value)) {
    throw new UserError(`--now: expected an ISO date such as 2026-11-02T08:00:00Z, received "${value}"`);
  }
  return new Date(time);
}

/** `--account 111122223333` (repeatable or comma separated): 12-digit ids. */
export function parseAccountIds(values: readonly string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const ids = values.flatMap((value) => value.split(",")).map((id) => id.trim()).filter(Boolean);
  const bad = ids.filter((id) => !/^\d{12}$/.test(id));
  if (bad.length > 0) throw new UserError(`--account: expected 12-digit AWS account ids, received ${bad.map((id) => `"${id}"`).join(", ")}`);
  return ids;
}
