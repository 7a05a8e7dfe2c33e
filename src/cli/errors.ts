import { ConfigError } from "../config.js";
import { CatalogError } from "../core/catalog.js";

/**
 * Exit codes: 0 ok, 1 anything unexpected, 2 usage or input error, 3 findings at or above
 * `--fail-on`, 4 no account could be collected (a CI job must not read "nothing failed" as "all good").
 */
export const EXIT = { ok: 0, unexpected: 1, usage: 2, findings: 3, nothingCollected: 4 } as const;

/** True when a snapshot names accounts and every one of them failed to collect. */
export function nothingCollected(accounts: readonly { status: string }[]): boolean {
  return accounts.length > 0 && accounts.every((account) => account.status === "failed");
}

/** A mistake of the person running the command (bad flag, bad file): one line, no stack trace. */
export class UserError extends Error {
  readonly code = "POSTURE_USAGE";
}

/**
 * One line for stderr. Configuration and catalog errors carry every problem: they are joined with
 * "; " so a CI log shows all of them on the line that says what went wrong.
 */
export function describeError(error: unknown): { line: string; exitCode: number } {
  if (error instanceof ConfigError) return { line: `invalid configuration: ${error.problems.join("; ")}`, exitCode: EXIT.usage };
  if (error instanceof CatalogError) {
    return { line: `invalid rule catalog (${error.problems.length} problem(s)): ${error.problems.join("; ")}`, exitCode: EXIT.usage };
  }
  if (error instanceof UserError) return { line: error.message, exitCode: EXIT.usage };
  const message = error instanceof Error ? error.stack ?? error.message : String(error);
  return { line: `unexpected error: ${message}`, exitCode: EXIT.unexpected };
}
