import type { PersistSummary, ReconcilePlan, StateStore } from "../app/state-ports.js";
import { SCANNER_ACTOR, auditEntryOf, outboxMessageOf } from "../core/finding-events.js";
import { RESOLVED_ACCOUNT_LEFT, RESOLVED_DELETED, type StoredFinding } from "../core/findings.js";
import { isMutedFailure, rebaseChange, type FindingChange } from "../core/lifecycle.js";
import { correctScanCounts, type FailCorrection } from "../core/mute-score.js";
import { activeMuteFor, MUTE_STEP_ACTIONS } from "../core/mutes.js";
import type { ScopeCount } from "../core/scope-counts.js";
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
export function persistReconcile(db: Db, planned: ReconcilePlan): PersistSummary {
  return db.transaction((): PersistSummary => {
    const summary: PersistSummary = { scanId: planned.scan.id, written: false, transitions: { new: 0, reopened: 0, resolved: 0, deleted: 0 }, outboxQueued: 0, auditEntries: 0 };
    // The same scan id twice: the first run committed (the caller crashed after COMMIT); write nothing.
    if (scanExists(db, planned.scan.id)) return summary;
    const at = planned.evaluatedAt;
    persistScan(db, planned.scan, planned.accounts, at);
    persistTeams(db, planned.teams, at);
    const deletedResources = persistResources(db, planned.resources, { scanId: planned.scan.id, at, accounts: planned.accounts, completeInventories: planned.completeInventories });
    // After the resources: a mute step's rule + tag scope is matched against the tags this scan collected.
    const plan = rebaseOnMuteSteps(db, planned);
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

/** The mark `persistReconcile` compares with: the last audit entry (every mute step audits each finding it changes). */
export function loadMuteWatermark(db: Db): number {
  return (db.prepare("SELECT COALESCE(MAX(id), 0) FROM audit_log").pluck().get() as number);
}

const STEP_ACTIONS = Object.values(MUTE_STEP_ACTIONS);

interface StepRow { action: string; findingId: number | null; subjectId: string }

/**
 * A mute step (approve, revoke, expiry) that committed after the plan's watermark changed statuses and
 * counts the plan did not see; inside the write transaction the database is authoritative (SQLite
 * serialises writers). Only the findings those steps touched, and the new, reopened or muted findings of
 * the rules of the mutes they decided, are decided again against what is stored now (`rebaseChange`),
 * and the counts follow (counted iff not muted now). No step since the watermark: the plan as computed.
 */
function rebaseOnMuteSteps(db: Db, plan: ReconcilePlan): ReconcilePlan {
  if (plan.muteWatermark === undefined) return plan;
  const steps = db.prepare(`SELECT action, finding_id AS findingId, subject_id AS subjectId FROM audit_log
    WHERE id > ? AND action IN (${STEP_ACTIONS.map(() => "?").join(", ")})`).all(plan.muteWatermark, ...STEP_ACTIONS) as StepRow[];
  if (steps.length === 0) return plan;
  const touchedFindings = new Set(steps.flatMap((s) => (s.action.startsWith("finding.") && s.findingId !== null ? [s.findingId] : [])));
  const decidedMutes = steps.flatMap((s) => (s.action.startsWith("mute.") ? [s.subjectId] : []));
  const ruleOfMute = db.prepare("SELECT rule_id FROM mutes WHERE id = ?").pluck();
  const rulesOfDecidedMutes = new Set(decidedMutes.map((id) => ruleOfMute.get(id) as string | undefined).filter((rule) => rule !== undefined));
  const activeMutes = loadMutesByState(db, ["approved"]);
  const now = new Date(plan.evaluatedAt);
  const statusOf = db.prepare("SELECT status FROM findings WHERE id = ?");
  const tagsOf = db.prepare("SELECT tags FROM resources WHERE arn = ?").pluck();
  const corrections: FailCorrection[] = [];
  const changes: FindingChange[] = [];
  for (const change of plan.changes) {
    const findingId = change.kind === "new" ? undefined : change.finding.id;
    const ruleId = change.kind === "new" ? change.facts.ruleId : change.finding.ruleId;
    const mayBeMuted = (change.kind === "new" || change.kind === "reopened" || change.kind === "muted") && rulesOfDecidedMutes.has(ruleId);
    if (!mayBeMuted && (findingId === undefined || !touchedFindings.has(findingId))) {
      changes.push(change);
      continue;
    }
    const current = findingId === undefined ? undefined : (statusOf.get(findingId) as { status: StoredFinding["status"] } | undefined);
    const facts = "facts" in change ? change.facts : undefined;
    const muteOf = () => {
      if (!facts) return undefined;
      const tags = tagsOf.get(facts.resource.arn) as string | null | undefined;
      const target = { ...(findingId === undefined ? {} : { findingId }), ruleId, resourceArn: facts.resource.arn, team: facts.team, tags: tags ? (JSON.parse(tags) as Record<string, string>) : null };
      return activeMuteFor(activeMutes, target, now)?.id;
    };
    const rebased = rebaseChange(change, current, muteOf, plan.evaluatedAt);
    if (rebased) changes.push(rebased);
    if (facts && rebased && isMutedFailure(change) !== isMutedFailure(rebased)) {
      corrections.push({
        accountId: facts.resource.accountId, ruleId, severity: facts.severity, team: facts.team, frameworks: plan.frameworksOf?.(ruleId) ?? [],
        fail: isMutedFailure(rebased) ? -1 : 1,
      });
    }
  }
  const counts: ScopeCount[] | null = plan.counts === null ? null : correctScanCounts(plan.counts, corrections);
  return { ...plan, changes, counts };
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
    loadMuteWatermark: async () => loadMuteWatermark(db),
  };
}
