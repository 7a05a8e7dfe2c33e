import { parse } from "csv-parse/sync";
import type { CredentialReportRow } from "../core/snapshot.js";
import { AwsResponseFormatError } from "./errors.js";
import type { CredentialReport } from "./map-iam-principals.js";

type CsvRow = Record<string, string>;

/**
 * Parses the credential report CSV (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html).
 * Every user has one row and the root user has the `<root_account>` row. Cells that do not hold a value:
 * "N/A" (no such credential), "no_information" (never used, or used before tracking began) and
 * "not_supported" (the field does not apply, e.g. the root user's password_enabled).
 */
export function parseCredentialReport(csv: string, generatedAt: string): CredentialReport {
  let records: CsvRow[];
  try {
    records = parse(csv, { columns: true, skip_empty_lines: true, trim: true }) as CsvRow[];
  } catch (error) {
    throw new AwsResponseFormatError(`credential report is not valid CSV: ${(error as Error).message}`, { cause: error });
  }
  const rows = new Map<string, CredentialReportRow>();
  for (const record of records) rows.set(cell(record, "arn"), parseCredentialRow(record, generatedAt));
  return { generatedAt, rows };
}

export function parseCredentialRow(record: CsvRow, generatedAt: string): CredentialReportRow {
  const slots = [1, 2] as const;
  return {
    userCreationTime: parseDateCell(record, "user_creation_time"),
    passwordEnabled: parseBooleanCell(record, "password_enabled"),
    passwordLastUsed: parseDateCell(record, "password_last_used"),
    passwordLastChanged: parseDateCell(record, "password_last_changed"),
    mfaActive: parseBooleanCell(record, "mfa_active"),
    // A slot holds a key when it was ever rotated (created); "N/A" there means the slot is empty.
    accessKeys: slots.filter((n) => isValue(cell(record, `access_key_${n}_last_rotated`))).map((slot) => ({
      slot,
      active: parseBooleanCell(record, `access_key_${slot}_active`),
      lastRotated: parseDateCell(record, `access_key_${slot}_last_rotated`),
      lastUsedDate: parseDateCell(record, `access_key_${slot}_last_used_date`),
      lastUsedRegion: parseTextCell(record, `access_key_${slot}_last_used_region`),
      lastUsedService: parseTextCell(record, `access_key_${slot}_last_used_service`),
    })),
    certificates: slots.filter((n) => isValue(cell(record, `cert_${n}_last_rotated`))).map((slot) => ({
      slot,
      active: parseBooleanCell(record, `cert_${slot}_active`),
      lastRotated: parseDateCell(record, `cert_${slot}_last_rotated`),
    })),
    reportGeneratedAt: generatedAt,
  };
}

const NO_VALUE = new Set(["N/A", "no_information", "not_supported", ""]);

function isValue(text: string): boolean {
  return !NO_VALUE.has(text);
}

function cell(record: CsvRow, column: string): string {
  const value = record[column];
  if (value === undefined) throw new AwsResponseFormatError(`credential report has no column "${column}"`);
  return value;
}

function parseDateCell(record: CsvRow, column: string): string | null {
  const text = cell(record, column);
  if (!isValue(text)) return null;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new AwsResponseFormatError(`credential report ${record.user}: ${column} is not a date: "${text}"`);
  return date.toISOString();
}

function parseTextCell(record: CsvRow, column: string): string | null {
  const text = cell(record, column);
  return isValue(text) ? text : null;
}

function parseBooleanCell(record: CsvRow, column: string): boolean {
  const text = cell(record, column);
  if (text === "true") return true;
  if (text === "false") return false;
  // The root row says "not_supported" for password_enabled: the column does not apply to root. The
  // schema needs a boolean; root's console use is read from password_last_used instead.
  if (text === "not_supported") return false;
  throw new AwsResponseFormatError(`credential report ${record.user}: ${column} is not true/false: "${text}"`);
}
