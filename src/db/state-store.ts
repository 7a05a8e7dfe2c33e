import type { PersistSummary, ReconcilePlan, StateStore } from "../app/state-ports.js";
import { SCANNER_ACTOR, auditEntryOf, outboxMessageOf } from "../core/finding-events.js";
import { RESOLVED_ACCOUNT_LEFT, RESOLVED_DELETED } from "../core/findings.js";
import { createAuditWriter, persistAuditEntry } from "./audit-repo.js";
import { createFindingWriter, loadFindingStates } from "./findings-repo.js";
import { loadMutesByState } from "./mutes-repo.js";
import type { Db } from "./open.js";
import { createOutboxWriter } from "./outbox-repo.js";
import { loadOwnershipOverrides, persistResources, persistTeams } from "./resources-repo.js";
import { retireAccountsOutside } from "./retire-accounts.js";
import { loadCurrentTallies, persistScan, persistScopeCounts, persistScoreSnapshots, pruneEvaluationDetails, scanExists } from "./scans-repo.js";

/**
 * Writes a whole reconciled scan in ONE synchronous better-sqlite3 transaction (no await inside):
 * a crash or kill before COMMIT leaves the previous state exactly as it was (SQLite rolls the WAL
 * frames of an uncommitted transaction back on the next open).
 */
export function persistReconcile(db: Db, plan: ReconcilePlan): PersistSummary {
  return db.transaction((): PersistSummary => {
    const summary: PersistSummary = { scanId: plan.scan.id, written: false, transitions: { new: 0, reopened: 0, resolved: 0, deleted: 0 }, outboxQueued: 0, auditEntries: 0 };
    // The same scan id twice: the first run committed (the caller crashed after COMMIT); write nothing.
    if (scanExists(db, plan.scan.id)) return summary;
    const at = plan.evaluatedAt;
    persistScan(db, plan.scan, plan.accounts, at);
    persistTeams(db, plan.teams, at);
    const deletedResources = persistResources(db, plan.resources, { scanId: plan.scan.id, at, accounts: plan.accounts, completeInventories: plan.completeInventories });
    applyChanges(db, plan, summary);
    if (plan.accountScope) summary.auditEntries += retireAccounts(db, plan, plan.accountScope);
    if (plan.counts) {
      persistScopeCounts(db, plan.scan.id, plan.counts, plan.accounts);
      persistScoreSnapshots(db, loadCurrentTallies(db), plan.scan.id, at);
    }
    createAuditWriter(db)({
      at, actor: SCANNER_ACTOR, action: "scan.persisted", subjectType: "scan", subjectId: plan.scan.id, findingId: null, scanId: plan.scan.id, team: null,
      details: { status: plan.scan.status, ruleScope: plan.scan.ruleScope, resources: plan.scan.resourceCount, evaluations: plan.scan.evaluations, deletedResources, ...summary.transitions, outboxQueued: summary.outboxQueued },
    });
    summary.auditEntries += 1;
    summary.written = true;
    return summary;
  }).immediate();
}

function applyChanges(db: Db, plan: ReconcilePlan, summary: PersistSummary): void {
  const writeFinding = createFindingWriter(db, plan.scan.id, plan.evaluatedAt);
  const writeAudit = createAuditWriter(db);
  const queue = createOutboxWriter(db, plan.evaluatedAt);
  const context = { scanId: plan.scan.id, at: plan.evaluatedAt };
  for (const change of plan.changes) {
    const findingId = writeFinding(change);
    const entry = auditEntryOf(change, findingId, context);
    if (entry) {
      writeAudit(entry);
      summary.auditEntries += 1;
    }
    const message = outboxMessageOf(change, findingId, context, plan.channelOf, plan.notifySeverities);
    if (message && queue(message)) summary.outboxQueued += 1;
    if (change.kind === "new") summary.transitions.new += 1;
    else if (change.kind === "reopened") summary.transitions.reopened += 1;
    else if (change.kind === "resolved") summary.transitions[change.reason === RESOLVED_DELETED ? "deleted" : "resolved"] += 1;
  }
}

/** Accounts outside the scan's complete account list leave the inventory and the score; one audit entry names them. */
function retireAccounts(db: Db, plan: ReconcilePlan, scope: readonly string[]): number {
  const retirement = retireAccountsOutside(db, scope, plan.evaluatedAt);
  const resolvedByAccount = new Map<string, number>();
  for (const change of plan.changes) {
    if (change.kind === "resolved" && change.reason === RESOLVED_ACCOUNT_LEFT) resolvedByAccount.set(change.finding.accountId, (resolvedByAccount.get(change.finding.accountId) ?? 0) + 1);
  }
  const accounts = [...new Set([...retirement.accounts, ...resolvedByAccount.keys()])].sort();
  if (accounts.length === 0) return 0;
  createAuditWriter(db)({
    at: plan.evaluatedAt, actor: SCANNER_ACTOR, action: "scan.accounts_retired", subjectType: "scan", subjectId: plan.scan.id, findingId: null, scanId: plan.scan.id, team: null,
    details: { reason: RESOLVED_ACCOUNT_LEFT, accounts, resourcesRemoved: retirement.resources, findingsResolved: Object.fromEntries(accounts.map((a) => [a, resolvedByAccount.get(a) ?? 0])) },
  });
  return 1;
}

/** The StateStore port on a SQLite connection. */
export function createSqliteStateStore(db: Db): StateStore {
  return {
    loadFindingStates: async () => loadFindingStates(db),
    loadOwnershipOverrides: async () => loadOwnershipOverrides(db),
    persistReconcile: async (plan) => persistReconcile(db, plan),
    pruneEvaluationDetails: async (before) => pruneEvaluationDetails(db, before),
    appendAudit: async (entry) => persistAuditEntry(db, entry),
    loadApprovedMutes: async () => loadMutesByState(db, ["approved"]),
  };
}
