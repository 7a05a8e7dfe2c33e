import type { AccountCoverageLine, CoverageSummary } from "../../core/digest.js";
import { context, type Block } from "./kit.js";
import { md, raw, truncate } from "./text.js";

/** Incomplete accounts listed by name before "…and N more" (the rest: `posture scan` or the org digest). */
export const COVERAGE_LINES = 3;

/** "111122223333 (sandbox): failed: AccessDenied: ..." */
export function coverageLine(line: AccountCoverageLine): string {
  return md`${line.accountId}${line.name ? ` (${truncate(line.name, 60)})` : ""}: ${line.status}${line.error ? `: ${truncate(line.error, 160)}` : ""}`;
}

/**
 * One context block: "Coverage: 19 of 20 accounts complete; 111122223333 (sandbox): failed: ...", bounded
 * to `COVERAGE_LINES` accounts plus "…and N more", and the discovery failure first when there is one.
 */
export function coverageBlocks(coverage: CoverageSummary | null | undefined, team?: string | null): Block[] {
  if (!coverage || (coverage.total === 0 && coverage.discovery === null)) return [];
  // A team's score covers only the accounts where it owns resources (undefined: every account).
  const whose = team === undefined ? "" : team === null ? " (accounts with unowned resources)" : md` (accounts where ${truncate(team, 80)} owns resources)`;
  const head = coverage.incomplete.length === 0 && coverage.discovery === null
    ? md`:white_check_mark: *Coverage*${raw(whose)}: ${coverage.total === 1 ? "the account was" : `all ${coverage.total} accounts were`} collected completely by the latest scan`
    : md`:warning: *Coverage*${raw(whose)}: ${coverage.complete} of ${coverage.total} account${coverage.total === 1 ? "" : "s"} complete`;
  const discovery = coverage.discovery === null ? [] : [md`AWS Organizations discovery failed (accounts not listed were not scanned): ${truncate(coverage.discovery, 200)}`];
  const shown = coverage.incomplete.slice(0, COVERAGE_LINES).map(coverageLine);
  const more = coverage.incomplete.length - shown.length;
  const lines = [head, ...discovery, ...shown, ...(more > 0 ? [md`…and ${more} more`] : [])];
  return [context(lines.join("\n"))];
}
