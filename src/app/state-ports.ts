import type { AuditEntry } from "../core/finding-events.js";
import type { StoredFinding } from "../core/findings.js";
import type { CompleteInventory, FindingChange } from "../core/lifecycle.js";
import type { Mute } from "../core/mutes.js";
import type { OwnershipOverride } from "../core/ownership.js";
import type { Severity } from "../core/rule.js";
import type { ScopeCount } from "../core/scope-counts.js";
import type { AccountCoverage, ResourceType } from "../core/snapshot.js";

/**
 * Ports of the state store (DESIGN section 6): the use cases speak these, src/db implements them on
 * SQLite. Promises so that a networked store (PostgreSQL, section 10) is an adapter, not a rewrite;
 * the SQLite adapter still writes each reconcile in one synchronous transaction.
 */
export interface ScanRecord {
  id: string;
  startedAt: string;
  finishedAt: string;
  status: "completed" | "partial" | "failed";
  trigger: string;
  ruleScope: "all" | "subset";
  ruleCount: number;
  resourceCount: number;
  evaluations: number;
  pass: number;
  fail: number;
  notEvaluated: number;
}

export interface ScanAccountRecord {
  accountId: string;
  name?: string;
  status: AccountCoverage["status"];
  resourceCount: number;
  notEvaluated: number;
  errors: AccountCoverage["errors"];
}

export interface ResourceRecord {
  /** The resource's identity (`resourceId`): the ARN, or ARN@account for AWS-owned shared ARNs. */
  arn: string;
  type: ResourceType;
  accountId: string;
  region: string;
  name: string;
  /** Collected tags; null when they were not collected or the call failed. */
  tags: Record<string, string> | null;
  team: string | null;
  ownerReason: string;
}

export interface TeamRecord {
  handle: string;
  name?: string;
  channel: string;
  members: string[];
  userGroup?: string;
}

/** Everything one scan changes, written by `persistReconcile` in one transaction or not at all. */
export interface ReconcilePlan {
  scan: ScanRecord;
  accounts: ScanAccountRecord[];
  /** Iterated once, inside the transaction (a lazy view of the snapshot: no second copy of 400k resources). */
  resources: Iterable<ResourceRecord>;
  /** Account x type inventories collected completely: their resources missing from `resources` are marked deleted. */
  completeInventories: CompleteInventory[];
  changes: FindingChange[];
  /**
   * Every account in the organisation's scope, when this scan knows it (a full live scan whose discovery
   * succeeded): the store retires the others (their resources leave the inventory and stop counting).
   * Absent: nothing is retired.
   */
  accountScope?: readonly string[];
  /** Counts for the score; null for a scan of a rule subset (it must not replace the full counts). */
  counts: ScopeCount[] | null;
  teams: TeamRecord[];
  /** Evaluation time (ISO): finding times, audit entries and the score snapshot's day. */
  evaluatedAt: string;
  channelOf(team: string | null): string | null;
  /** Severities posted beyond critical and high (`notifications.severities`): their new findings are queued too. */
  notifySeverities?: ReadonlySet<Severity>;
  /**
   * The store's mute watermark (`loadMuteWatermark`) taken before the state this plan was computed from:
   * the store re-decides, inside its write transaction, the changes of findings and mutes a mute step
   * touched after it. Absent: the plan is written as computed.
   */
  muteWatermark?: number;
  /** The frameworks each evaluated rule maps to, as the plan's counts hold them (to correct them for those steps). */
  frameworksOf?(ruleId: string): readonly string[];
}

export interface PersistSummary {
  scanId: string;
  /** False when this scan id was already persisted (a re-run after a crash after commit): nothing was written. */
  written: boolean;
  transitions: { new: number; reopened: number; resolved: number; deleted: number };
  outboxQueued: number;
  auditEntries: number;
}

export interface StateStore {
  loadFindingStates(): Promise<Map<string, StoredFinding>>;
  loadOwnershipOverrides(): Promise<Map<string, OwnershipOverride>>;
  persistReconcile(plan: ReconcilePlan): Promise<PersistSummary>;
  /** Deletes per-scan evaluation details of scans finished before `before` (ISO); returns rows removed. */
  pruneEvaluationDetails(before: string): Promise<number>;
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Approved mutes (active or past expiry, not yet expired by the job); optional so older stores still fit. */
  loadApprovedMutes?(): Promise<Mute[]>;
  /**
   * A mark of the mute steps committed so far, read before the scan loads its state: `persistReconcile`
   * re-reads only what the steps after it changed. Optional so older stores still fit.
   */
  loadMuteWatermark?(): Promise<number>;
}

export interface LockHolder {
  holder: string;
  pid: number;
  host: string;
}

export type LockResult =
  | { acquired: true; tookOverFrom?: LockHolder & { expiresAt: string } }
  | { acquired: false; heldBy: LockHolder & { acquiredAt: string; expiresAt: string } };

/** One scan at a time: a lease that expires, so a crashed holder cannot keep it forever. */
export interface ScanLock {
  acquire(holder: LockHolder, now: Date, ttlMs: number): Promise<LockResult>;
  /** Extends the lease; false when it was lost (expired and taken over). */
  heartbeat(holder: LockHolder, now: Date, ttlMs: number): Promise<boolean>;
  release(holder: LockHolder): Promise<void>;
}
