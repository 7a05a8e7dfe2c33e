import type { EvaluationStatus } from "./engine.js";
import { RESOLVED_ACCOUNT_LEFT, RESOLVED_DELETED, RESOLVED_PASSED, secondsBetween, type FailFacts, type LastResult, type StoredFinding } from "./findings.js";
import type { AccountCoverage, ResourceType } from "./snapshot.js";

/**
 * The finding lifecycle of DESIGN section 3 as pure decisions: given what is stored for a rule x
 * resource and what the scan observed, what changes. The database applies the changes; nothing here
 * reads a clock (`now` is the scan's evaluation time).
 */
export type FindingChange =
  /** fail, and no finding yet: a new open finding, or a muted one when an active mute covers it (`muteId`). */
  | { kind: "new"; facts: FailFacts; muteId?: string }
  /** fail on a resolved finding: open again, one more reopen; `closedSeconds` = how long it stayed resolved. */
  | { kind: "reopened"; finding: StoredFinding; facts: FailFacts; reopenCount: number; closedSeconds: number }
  /** fail on an open finding: status unchanged; last seen, evidence and rule version are refreshed. */
  | { kind: "still_failing"; finding: StoredFinding; facts: FailFacts }
  /** pass on an open finding, its resource disappeared, or its account left the scope: resolved; `exposureSeconds` = total time open. */
  | { kind: "resolved"; finding: StoredFinding; reason: ResolvedReason; exposureSeconds: number }
  /** A muted finding keeps failing: it stays muted, its evidence is refreshed for when the mute ends. */
  | { kind: "muted_evaluated"; finding: StoredFinding; result: LastResult; facts?: FailFacts }
  /** fail on an open or resolved finding that an active mute covers (a rule + tag scope, or a finding muted before it resolved). */
  | { kind: "muted"; finding: StoredFinding; facts: FailFacts; muteId: string };

export type ResolvedReason = typeof RESOLVED_PASSED | typeof RESOLVED_DELETED | typeof RESOLVED_ACCOUNT_LEFT;

export type Observation =
  | { status: "fail"; facts: FailFacts }
  | { status: Exclude<EvaluationStatus, "fail"> };

/**
 * One evaluation against the stored finding (if any). `undefined`: nothing changes. `muteId`: the active
 * mute covering this rule x resource, if any (asked for failures only).
 */
export function diffEvaluation(stored: StoredFinding | undefined, observed: Observation, now: string, muteId?: string): FindingChange | undefined {
  // not_evaluated (AccessDenied, throttling, missing data) never changes a status: it is coverage.
  if (observed.status === "not_evaluated") return undefined;
  if (observed.status === "fail") return diffFailure(stored, observed.facts, now, muteId);
  if (!stored) return undefined;
  // A muted finding that passes is fixed: resolved like an open one (issue 5); its mute no longer holds it.
  if (stored.status === "open" || stored.status === "muted") return resolve(stored, RESOLVED_PASSED, now);
  return undefined;
}

function diffFailure(stored: StoredFinding | undefined, facts: FailFacts, now: string, muteId: string | undefined): FindingChange {
  if (!stored) return muteId === undefined ? { kind: "new", facts } : { kind: "new", facts, muteId };
  if (stored.status === "muted") return { kind: "muted_evaluated", finding: stored, result: "fail", facts };
  if (muteId !== undefined) return { kind: "muted", finding: stored, facts, muteId };
  if (stored.status === "open") return { kind: "still_failing", finding: stored, facts };
  const closedSeconds = stored.resolvedAt === null ? 0 : secondsBetween(stored.resolvedAt, now);
  return { kind: "reopened", finding: stored, facts, reopenCount: stored.reopenCount + 1, closedSeconds };
}

/** One account's complete inventory of one resource type: the only place a missing resource means "deleted". */
export interface CompleteInventory {
  accountId: string;
  type: ResourceType;
}

/** The key of an account x resource type in the sets below. */
export function inventoryKey(accountId: string, type: string): string {
  return `${accountId}\u0000${type}`;
}

/**
 * The inventories a snapshot holds completely: per account, the `resourceTypes` its coverage declares
 * (a failed account declares nothing). A coverage without `resourceTypes` (a snapshot written before
 * they existed) is complete for nothing: what is unknown never resolves a finding.
 */
export function completeInventoriesOf(accounts: readonly Pick<AccountCoverage, "accountId" | "status" | "resourceTypes">[]): CompleteInventory[] {
  return accounts.flatMap((account) => (account.status === "failed" ? [] : (account.resourceTypes ?? []).map((type) => ({ accountId: account.accountId, type }))));
}

/** The finding's resource is missing from a complete inventory of its account and type. */
export function diffMissingResource(stored: StoredFinding, now: string): FindingChange | undefined {
  if (stored.status === "open" || stored.status === "muted") return resolve(stored, RESOLVED_DELETED, now);
  return undefined;
}

/**
 * The accounts a scan retires: those of the stored state (`known`) outside `scope`, the complete list of
 * accounts in scope that only a full live scan with a successful discovery knows (null otherwise: nothing
 * is retired). An empty scope is no evidence either: a scan that listed no account retires nothing.
 */
export function accountsLeftScope(known: Iterable<string>, scope: ReadonlySet<string> | null): Set<string> {
  const left = new Set<string>();
  if (scope === null || scope.size === 0) return left;
  for (const accountId of known) if (!scope.has(accountId)) left.add(accountId);
  return left;
}

/** The finding's account left the organisation's scope: resolved like a deleted resource, with its own reason. */
export function diffRetiredAccount(stored: StoredFinding, now: string): FindingChange | undefined {
  if (stored.status === "open" || stored.status === "muted") return resolve(stored, RESOLVED_ACCOUNT_LEFT, now);
  return undefined;
}

function resolve(stored: StoredFinding, reason: ResolvedReason, now: string): FindingChange {
  const current = stored.openedAt === null ? 0 : secondsBetween(stored.openedAt, now);
  return { kind: "resolved", finding: stored, reason, exposureSeconds: stored.exposureSeconds + current };
}

export interface LifecycleFold {
  /**
   * Folds one evaluation in; `facts` and `muteOf` (the active mute covering a failure, if any) are only
   * called for failures of findings not muted yet. Returns the stored finding, if any.
   */
  add(ruleId: string, resourceArn: string, status: EvaluationStatus, facts: () => FailFacts, muteOf?: () => string | undefined): StoredFinding | undefined;
  /**
   * The changes of the whole scan. `presentIds`: the identity (`resourceId`) of every resource of the
   * snapshot; `complete`: `inventoryKey`s of the account x type inventories the snapshot holds
   * completely, the only ones where a missing resource means "deleted"; `retired`: accounts that left the
   * organisation's scope (`accountsLeftScope`), whose open and muted findings are all resolved.
   */
  finish(presentIds: ReadonlySet<string>, complete: ReadonlySet<string>, retired?: ReadonlySet<string>): FindingChange[];
}

/** Streams a scan's results against the stored findings without keeping the passing ones. */
export function createLifecycleFold(stored: ReadonlyMap<string, StoredFinding>, now: string): LifecycleFold {
  const changes: FindingChange[] = [];
  // Indexed by rule, then resource: a lookup per evaluation without building a key string.
  const byRule = new Map<string, Map<string, StoredFinding>>();
  for (const finding of stored.values()) {
    let byArn = byRule.get(finding.ruleId);
    if (!byArn) byRule.set(finding.ruleId, (byArn = new Map()));
    byArn.set(finding.resourceArn, finding);
  }
  return {
    add(ruleId, resourceArn, status, facts, muteOf) {
      const finding = byRule.get(ruleId)?.get(resourceArn);
      if (!finding && status !== "fail") return undefined;
      const observed: Observation = status === "fail" ? { status, facts: facts() } : { status };
      const muteId = status === "fail" && finding?.status !== "muted" ? muteOf?.() : undefined;
      const change = diffEvaluation(finding, observed, now, muteId);
      if (change) changes.push(change);
      return finding;
    },
    finish(presentIds, complete, retired) {
      for (const finding of stored.values()) {
        if (retired?.has(finding.accountId)) {
          const change = diffRetiredAccount(finding, now);
          if (change) changes.push(change);
          continue;
        }
        if (presentIds.has(finding.resourceArn) || !complete.has(inventoryKey(finding.accountId, finding.resourceType))) continue;
        const change = diffMissingResource(finding, now);
        if (change) changes.push(change);
      }
      return changes;
    },
  };
}

/** The transition name recorded in the audit log and the outbox (`undefined`: no status change). */
export function transitionOf(change: FindingChange): "new" | "reopened" | "resolved" | "muted" | undefined {
  if (change.kind === "new" || change.kind === "reopened" || change.kind === "muted") return change.kind;
  if (change.kind === "resolved") return "resolved";
  return undefined;
}

/** A finding as it stands inside the scan's write transaction (after any mute step committed during the scan). */
export interface CurrentFinding {
  status: StoredFinding["status"];
}

/**
 * A planned change decided again against the finding's current status, when a mute step (approve, revoke,
 * expiry) committed between the scan's load and its write: the same lifecycle rules, applied to what is
 * stored now, so the scan never undoes the step. `muteOf`: the mute active now covering the failure.
 * `undefined`: nothing left to change (e.g. an expiry already resolved the finding the scan resolves).
 */
export function rebaseChange(change: FindingChange, current: CurrentFinding | undefined, muteOf: () => string | undefined, now: string): FindingChange | undefined {
  if (change.kind === "new") return diffFailure(undefined, change.facts, now, muteOf());
  if (current === undefined) return change;
  const stored: StoredFinding = { ...change.finding, status: current.status };
  if (change.kind === "resolved") {
    if (change.reason === RESOLVED_PASSED) return diffEvaluation(stored, { status: "pass" }, now);
    return change.reason === RESOLVED_DELETED ? diffMissingResource(stored, now) : diffRetiredAccount(stored, now);
  }
  if (change.kind === "muted_evaluated" && change.facts === undefined) return current.status === "muted" ? change : undefined;
  return diffFailure(stored, change.facts!, now, current.status === "muted" ? undefined : muteOf());
}

/** The change leaves its failing finding muted: the scan's counts leave it out. */
export function isMutedFailure(change: FindingChange): boolean {
  return change.kind === "muted" || change.kind === "muted_evaluated" || (change.kind === "new" && change.muteId !== undefined);
}
