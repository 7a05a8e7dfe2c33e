import type { FixPreview, FixTarget, Fixer, UndoOutcome, Verification } from "../../app/fix-ports.js";
import { FixAwsError } from "../../app/fix-ports.js";
import { namedChecks } from "../../core/checks/index.js";
import type { Evidence } from "../../core/condition.js";
import { evaluateRule } from "../../core/engine.js";
import { hashConfiguration, type ApiCall, type FixPlan } from "../../core/fixes/types.js";
import type { Rule } from "../../core/rule.js";
import type { Resource, ResourceType } from "../../core/snapshot.js";
import type { AccountClients } from "../clients.js";
import { BucketGoneError } from "../errors.js";
import { executeCalls } from "./execute.js";

/** What the fixers get from the composition root: the fixer role's clients per account, and settings. */
export interface FixerEnvironment {
  /** Clients with the fixer role's credentials (never the scanner's) for the account. */
  clientsFor(accountId: string): AccountClients;
  /** Default encryption with this KMS key (id, alias or ARN) instead of SSE-S3. */
  kmsKeyId?: string;
}

export interface PlanInput {
  target: FixTarget;
  rule: Rule;
  now: Date;
  env: FixerEnvironment;
}

/** A fixer's own parts; `defineFixer` turns them into preview / apply / verify / undo. */
export interface FixerSpec<S> {
  id: string;
  title: string;
  resourceType: ResourceType;
  rules: readonly string[];
  actions: readonly string[];
  /** The configuration the fix changes, read fresh; a failed read throws FixAwsError. */
  read(clients: AccountClients, target: FixTarget): Promise<S>;
  /** Pure: what to write. Throws FixNotApplicableError when there is nothing to do. */
  plan(state: S, input: PlanInput): FixPlan<S>;
  /** The calls that restore `previous`, given the current configuration (equal to the fix's `after`). */
  planUndo(previous: S, current: S, target: FixTarget): ApiCall[];
  /** Reverts one call of the plan, when a later call of the same apply fails (multi-call fixers). */
  rollbackOf?(call: ApiCall): ApiCall | undefined;
  /** The part of the configuration that decides staleness (default: all of it). */
  fingerprint?(state: S): unknown;
  /** Re-collects the one resource for verification, with exactly what the rule reads. */
  collect(clients: AccountClients, target: FixTarget, rule: Rule, now: Date): Promise<Resource>;
}

export function defineFixer<S>(spec: FixerSpec<S>, env: FixerEnvironment): Fixer {
  const fingerprint = (state: S) => (spec.fingerprint ? spec.fingerprint(state) : state);
  return {
    id: spec.id, title: spec.title, resourceType: spec.resourceType, rules: spec.rules, actions: spec.actions,
    async preview(target, rule, now): Promise<FixPreview> {
      const state = await spec.read(env.clientsFor(target.accountId), target);
      const plan = spec.plan(state, { target, rule, now, env });
      const beforeHash = hashConfiguration({ before: fingerprint(state), calls: plan.calls });
      return { fixerId: spec.id, ruleId: rule.id, summary: plan.summary, before: plan.before, after: plan.after, calls: plan.calls, notes: plan.notes, beforeHash };
    },
    async apply(target, preview) {
      const rollback = preview.calls.map((call) => spec.rollbackOf?.(call));
      return executeCalls(env.clientsFor(target.accountId), target.region, preview.calls, rollback);
    },
    async verify(target, rule, now) {
      try {
        const resource = await spec.collect(env.clientsFor(target.accountId), target, rule, now);
        return verificationOf(evaluateRule(rule, resource, { now, checks: namedChecks }, () => undefined));
      } catch (error) {
        if (error instanceof FixAwsError) return { status: "not_evaluated", reason: error.message };
        if (error instanceof BucketGoneError) return { status: "not_evaluated", reason: `NoSuchBucket: ${error.message}` };
        throw error;
      }
    },
    async undo(target, stored): Promise<UndoOutcome> {
      const clients = env.clientsFor(target.accountId);
      const current = await spec.read(clients, target);
      if (hashConfiguration(fingerprint(current)) !== hashConfiguration(fingerprint(stored.after as S))) {
        return { ok: false, changed: true, current };
      }
      const calls = spec.planUndo(stored.before as S, current, target);
      const outcome = await executeCalls(clients, target.region, calls, calls.map((call) => spec.rollbackOf?.(call)));
      return outcome.ok ? { ok: true, calls } : { ok: false, changed: false, error: outcome.error, calls };
    },
  };
}

function verificationOf(result: ReturnType<typeof evaluateRule>): Verification {
  if (result === undefined) return { status: "not_applicable" };
  if (result.status === "pass") return { status: "pass", evidence: result.evidence };
  if (result.status === "not_evaluated") return { status: "not_evaluated", reason: result.reason ?? "not evaluated" };
  return { status: "fail", reason: describeEvidence(result.evidence), evidence: result.evidence };
}

export function describeEvidence(evidence: readonly Evidence[]): string {
  return evidence.map((e) => `${e.path}: expected ${e.expected}, observed ${JSON.stringify(e.observed)}`).join("; ");
}

/** Verification re-reads only what these fixers can re-read; anything else would be a guess. */
export function assertReads(rule: Rule, readable: readonly string[]): void {
  const other = rule.reads.filter((attribute) => attribute !== "tags" && !readable.includes(attribute));
  if (other.length > 0) throw new Error(`rule ${rule.id} reads ${other.join(", ")}, which the fixer's verification does not re-collect`);
}
