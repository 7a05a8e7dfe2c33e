import type { Db } from "./open.js";

export interface Retirement {
  /** Accounts that had live resources or current counts and are outside the scope. */
  accounts: string[];
  /** Live resources of those accounts, now deleted from the inventory. */
  resources: number;
}

/**
 * Retires every account of the stored state outside `scope` (the complete list of a full live scan):
 * its live resources leave the inventory and its counts stop being current, so it leaves the score.
 * Its findings are resolved by the scan's changes (`account left the organisation's scope`). Runs inside
 * the reconcile transaction, before the score snapshots are recomputed.
 */
export function retireAccountsOutside(db: Db, scope: readonly string[], at: string): Retirement {
  const inScope = JSON.stringify(scope);
  const accounts = db.prepare(`SELECT account_id FROM (
      SELECT DISTINCT account_id FROM resources WHERE deleted_at IS NULL
      UNION SELECT account_id FROM account_latest
    ) WHERE account_id NOT IN (SELECT value FROM json_each(?)) ORDER BY account_id`).pluck().all(inScope) as string[];
  if (accounts.length === 0) return { accounts, resources: 0 };
  const retired = JSON.stringify(accounts);
  const resources = db.prepare(`UPDATE resources SET deleted_at = ? WHERE deleted_at IS NULL AND account_id IN (SELECT value FROM json_each(?))`).run(at, retired).changes;
  db.prepare("DELETE FROM account_latest WHERE account_id IN (SELECT value FROM json_each(?))").run(retired);
  return { accounts, resources };
}
