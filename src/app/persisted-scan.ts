import type { AnyNamedCheck } from "../core/checks/check.js";
import type { OwnershipPolicy } from "../core/ownership.js";
import type { Rule, Severity } from "../core/rule.js";
import type { SeverityOverride } from "../core/severity-overrides.js";
import type { Snapshot } from "../core/snapshot.js";
import { organisationAccounts, readsOf, selectRules, type RuleFilters, type ScanOutcome, type SnapshotSource } from "./scan.js";
import { accountScopeOf, reconcileScan } from "./reconcile-scan.js";
import type { LockHolder, PersistSummary, ScanLock, StateStore, TeamRecord } from "./state-ports.js";

/** A lease outlives a hung collector by this much; heartbeats renew it every third of it. */
export const SCAN_LOCK_TTL_MS = 10 * 60_000;
const DAY_MS = 86_400_000;

export interface PersistedScanRequest {
  rules: readonly Rule[];
  source: SnapshotSource;
  /** Evaluation time (`--now`, else the clock). */
  now: Date;
  filters?: RuleFilters;
  checks?: ReadonlyMap<string, AnyNamedCheck>;
  /** The organisation's accounts beyond the scanned ones (every configured account), as for `runScan`. */
  trustedAccounts?: readonly string[];
  /** `severityOverrides` of the configuration, as for `runScan`. */
  severityOverrides?: readonly SeverityOverride[];
  /** `notifications.severities`: new findings of these severities are queued for Slack too (critical and high always are). */
  notifySeverities?: readonly Severity[];
  state: {
    store: StateStore;
    lock: ScanLock;
    holder: LockHolder;
    clock: () => Date;
    newScanId: () => string;
    trigger: string;
    ownership: OwnershipPolicy;
    teams: TeamRecord[];
    securityChannel: string | null;
    retentionDays: number;
  };
}

export interface PersistedScanOutcome extends ScanOutcome {
  persisted: PersistSummary;
  /** Evaluation-detail rows removed by retention after the commit. */
  pruned: number;
}

export class ScanLockedError extends Error {
  readonly code = "POSTURE_SCAN_LOCKED";
}

/**
 * `posture scan` with state: take the scan lease, collect (or read the snapshot), evaluate and
 * reconcile into the store in one transaction, prune old evaluation details, release the lease.
 */
export async function runPersistedScan(request: PersistedScanRequest): Promise<PersistedScanOutcome> {
  const { state } = request;
  const startedAt = state.clock();
  const lease = await state.lock.acquire(state.holder, startedAt, SCAN_LOCK_TTL_MS);
  if (!lease.acquired) {
    const h = lease.heldBy;
    throw new ScanLockedError(`another scan is running (${h.holder}, pid ${h.pid} on ${h.host}, since ${h.acquiredAt}; its lease expires at ${h.expiresAt}): wait for it, or retry after the expiry if that process died`);
  }
  // A failed heartbeat is not fatal here: the check before persisting decides whether the lease is still ours.
  const heartbeat = setInterval(() => void state.lock.heartbeat(state.holder, state.clock(), SCAN_LOCK_TTL_MS).catch(() => false), SCAN_LOCK_TTL_MS / 3);
  heartbeat.unref();
  try {
    const filters = request.filters ?? {};
    const rules = selectRules(request.rules, filters);
    const snapshot = await snapshotOf(request.source, rules);
    if (!(await state.lock.heartbeat(state.holder, state.clock(), SCAN_LOCK_TTL_MS))) {
      throw new ScanLockedError("this scan's lease expired and another scan took it over: its results were not saved; run the scan again");
    }
    const ruleScope = (filters.ruleIds?.length ?? 0) > 0 || (filters.severities?.length ?? 0) > 0 ? "subset" : "all";
    const { report, persisted } = await reconcileScan(state.store, {
      scanId: state.newScanId(), trigger: state.trigger, rules, ruleScope, snapshot, startedAt, now: request.now,
      ownership: state.ownership, teams: state.teams, securityChannel: state.securityChannel, checks: request.checks,
      trustedAccounts: organisationAccounts(snapshot, request.trustedAccounts),
      accountScope: accountScopeOf(request.source, snapshot), severityOverrides: request.severityOverrides,
      notifySeverities: request.notifySeverities,
    });
    const cutoff = new Date(state.clock().getTime() - state.retentionDays * DAY_MS).toISOString();
    const pruned = await state.store.pruneEvaluationDetails(cutoff);
    return { report, rules, persisted, pruned };
  } finally {
    clearInterval(heartbeat);
    await state.lock.release(state.holder);
  }
}

async function snapshotOf(source: SnapshotSource, rules: readonly Rule[]): Promise<Snapshot> {
  if (source.kind === "snapshot") return source.snapshot;
  return source.collector.collect({ reads: readsOf(rules), accounts: source.accounts, onProgress: source.onProgress });
}
