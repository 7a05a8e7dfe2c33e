import type { AuditEntry } from "../core/finding-events.js";
import type { ApiCall } from "../core/fixes/types.js";
import type { Evidence } from "../core/condition.js";
import type { Rule } from "../core/rule.js";
import type { ResourceType } from "../core/snapshot.js";

/** The resource a fix is for: the finding's resource, as the findings table stores it. */
export interface FixTarget {
  arn: string;
  type: ResourceType;
  accountId: string;
  region: string;
  name: string;
}

/** A preview: from a fresh read, without writing. `beforeHash` detects a resource that changed since. */
export interface FixPreview {
  fixerId: string;
  ruleId: string;
  summary: string;
  before: unknown;
  after: unknown;
  calls: ApiCall[];
  notes: string[];
  beforeHash: string;
}

export interface AwsErrorInfo {
  code: string;
  message: string;
}

/** A read made for a preview or an undo failed (AccessDenied, NoSuchBucket, throttling...). */
export class FixAwsError extends Error {
  readonly code = "POSTURE_FIX_AWS_ERROR";
  constructor(readonly operation: string, readonly aws: AwsErrorInfo, options?: { cause?: unknown }) {
    super(`${operation} failed: ${aws.code}: ${aws.message}`, options);
    this.name = "FixAwsError";
  }
}

export type ApplyOutcome =
  | { ok: true }
  /** Nothing is left changed: the failing call wrote nothing, and earlier calls were rolled back. */
  | { ok: false; error: AwsErrorInfo; rolledBack: ApiCall[]; rollbackError?: AwsErrorInfo };

export type Verification =
  | { status: "pass"; evidence: Evidence[] }
  /** The rule no longer applies to the resource (e.g. the user has no active access key left). */
  | { status: "not_applicable" }
  | { status: "fail"; reason: string; evidence: Evidence[] }
  | { status: "not_evaluated"; reason: string };

export type UndoOutcome =
  | { ok: true; calls: ApiCall[] }
  /** The resource changed after the fix: restoring would overwrite someone else's change. */
  | { ok: false; changed: true; current: unknown }
  | { ok: false; changed: false; error: AwsErrorInfo; calls: ApiCall[] };

/**
 * A one-click fix (STYLE habit 11): declares the rules it fixes and the IAM actions it needs, and
 * implements preview -> apply -> verify -> undo with the separate fixer credentials. Implemented by
 * src/aws/fixers; preview throws FixNotApplicableError when there is nothing to do.
 */
export interface Fixer {
  id: string;
  title: string;
  resourceType: ResourceType;
  rules: readonly string[];
  /** Every IAM action the fixer role needs for this fixer: its reads, writes, verification and undo. */
  actions: readonly string[];
  preview(target: FixTarget, rule: Rule, now: Date): Promise<FixPreview>;
  apply(target: FixTarget, preview: FixPreview): Promise<ApplyOutcome>;
  /** Re-reads that one resource directly and re-evaluates the rule. */
  verify(target: FixTarget, rule: Rule, now: Date): Promise<Verification>;
  /** Restores `before`, unless the resource no longer is in the `after` state the fix left. */
  undo(target: FixTarget, stored: { before: unknown; after: unknown; ruleId: string }, now: Date): Promise<UndoOutcome>;
}

export interface FixerRegistry {
  get(fixerId: string): Fixer | undefined;
  all(): readonly Fixer[];
}

export const FIX_RUN_STATES = ["previewed", "stale", "applying", "failed", "applied", "undoing", "undone"] as const;
export type FixRunState = (typeof FIX_RUN_STATES)[number];
/** States in which a run is writing to its resource: a second run on the same resource is refused. */
export const BUSY_STATES: ReadonlySet<FixRunState> = new Set(["applying", "undoing"]);

/** One row of fix_runs (DESIGN section 3). */
export interface FixRun {
  id: string;
  fixerId: string;
  ruleId: string;
  findingId: number;
  target: FixTarget;
  team: string | null;
  requestedBy: string;
  state: FixRunState;
  preview: FixPreview;
  /** The configuration stored before apply (the fresh read at confirmation): what undo restores. */
  previous: unknown;
  /** The configuration apply wrote. */
  next: unknown;
  createdAt: string;
  appliedBy: string | null;
  appliedAt: string | null;
  verification: Verification | null;
  error: AwsErrorInfo | null;
  undoUntil: string | null;
  undoneBy: string | null;
  undoneAt: string | null;
}

export interface FixRunStore {
  insert(run: FixRun): Promise<void>;
  get(id: string): Promise<FixRun | undefined>;
  /**
   * Atomically moves a run from one of `from` into a busy state, refused (returns the busy run) when
   * another run on the same resource is busy, or `false` when the run is no longer in `from`.
   */
  claim(id: string, from: readonly FixRunState[], to: "applying" | "undoing", patch: Partial<FixRun>): Promise<true | false | FixRun>;
  update(id: string, patch: Partial<FixRun>): Promise<void>;
}

export interface FixDeps {
  fixers: FixerRegistry;
  store: FixRunStore;
  rules: (ruleId: string) => Rule | undefined;
  audit: (entry: AuditEntry) => Promise<void>;
  now: () => Date;
  newId: () => string;
  /** How long after apply *Undo* is offered. */
  undoWindowMs: number;
}

/** A FixRunStore in memory, for tests and dry runs; same claim semantics as the SQLite adapter. */
export function createMemoryFixRunStore(): FixRunStore & { runs: Map<string, FixRun> } {
  const runs = new Map<string, FixRun>();
  const copy = (run: FixRun): FixRun => structuredClone(run);
  return {
    runs,
    async insert(run) {
      if (runs.has(run.id)) throw new Error(`fix run ${run.id} exists`);
      runs.set(run.id, copy(run));
    },
    async get(id) {
      const run = runs.get(id);
      return run ? copy(run) : undefined;
    },
    async claim(id, from, to, patch) {
      const run = runs.get(id);
      if (!run || !from.includes(run.state)) return false;
      const busy = [...runs.values()].find((r) => r.id !== id && r.target.arn === run.target.arn && BUSY_STATES.has(r.state));
      if (busy) return copy(busy);
      runs.set(id, { ...run, ...structuredClone(patch), state: to });
      return true;
    },
    async update(id, patch) {
      const run = runs.get(id);
      if (!run) throw new Error(`no fix run ${id}`);
      runs.set(id, { ...run, ...structuredClone(patch) });
    },
  };
}
