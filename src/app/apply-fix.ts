import type { AuditEntry } from "../core/finding-events.js";
import { FixNotApplicableError } from "../core/fixes/types.js";
import type { Rule } from "../core/rule.js";
import {
  FixAwsError, type AwsErrorInfo, type FixDeps, type FixPreview, type FixRun, type FixTarget, type Fixer, type Verification,
} from "./fix-ports.js";

/**
 * One-click fixes (DESIGN section 2.4): preview -> confirm (fresh re-read, stale and busy checks, the
 * previous configuration stored before apply) -> apply with the fixer role -> verify -> undo within a
 * window. Authorization (owning team or security team) is the caller's: the Slack listener checks it
 * before calling these, and passes the Slack user as `actor`.
 */
export interface FixRequest {
  findingId: number;
  ruleId: string;
  target: FixTarget;
  team: string | null;
  actor: string;
}

export type PreviewResult =
  | { kind: "preview"; run: FixRun }
  | { kind: "no_fixer"; message: string }
  | { kind: "not_applicable"; message: string }
  | { kind: "aws_error"; error: AwsErrorInfo };

export type ConfirmResult =
  | { kind: "applied"; run: FixRun; verification: Verification }
  | { kind: "failed"; run: FixRun; error: AwsErrorInfo }
  /** The resource changed since the preview: the old run is stale, here is a fresh preview to confirm. */
  | { kind: "stale"; run: FixRun; fresh: PreviewResult }
  /** Another fix or undo is running on the same resource. */
  | { kind: "busy"; busy: FixRun }
  | { kind: "refused"; message: string };

export type UndoResult =
  | { kind: "undone"; run: FixRun }
  | { kind: "expired"; run: FixRun }
  | { kind: "changed"; run: FixRun; current: unknown }
  | { kind: "failed"; run: FixRun; error: AwsErrorInfo }
  | { kind: "busy"; busy: FixRun }
  | { kind: "refused"; message: string };

type Resolved = { rule: Rule; fixer: Fixer } | { message: string };

function resolve(deps: FixDeps, ruleId: string): Resolved {
  const rule = deps.rules(ruleId);
  if (!rule) return { message: `rule ${ruleId} is not in the catalog` };
  const fixer = rule.fix === undefined ? undefined : deps.fixers.get(rule.fix);
  if (!fixer || !fixer.rules.includes(rule.id)) return { message: `rule ${ruleId} has no one-click fix` };
  return { rule, fixer };
}

async function computePreview(fixer: Fixer, target: FixTarget, rule: Rule, now: Date): Promise<FixPreview | { kind: "not_applicable"; message: string } | { kind: "aws_error"; error: AwsErrorInfo }> {
  try {
    return await fixer.preview(target, rule, now);
  } catch (error) {
    if (error instanceof FixNotApplicableError) return { kind: "not_applicable", message: error.message };
    if (error instanceof FixAwsError) return { kind: "aws_error", error: error.aws };
    throw error;
  }
}

export async function previewFix(deps: FixDeps, request: FixRequest): Promise<PreviewResult> {
  const resolved = resolve(deps, request.ruleId);
  if ("message" in resolved) return { kind: "no_fixer", message: resolved.message };
  const now = deps.now();
  const preview = await computePreview(resolved.fixer, request.target, resolved.rule, now);
  if ("kind" in preview) return preview;
  const run: FixRun = {
    id: deps.newId(), fixerId: resolved.fixer.id, ruleId: request.ruleId, findingId: request.findingId, target: request.target,
    team: request.team, requestedBy: request.actor, state: "previewed", preview, previous: preview.before, next: preview.after,
    createdAt: now.toISOString(), appliedBy: null, appliedAt: null, verification: null, error: null,
    undoUntil: null, undoneBy: null, undoneAt: null,
  };
  await deps.store.insert(run);
  await deps.audit(auditOf(run, "fix.previewed", request.actor, now, { summary: preview.summary, before: preview.before, after: preview.after, calls: preview.calls }));
  return { kind: "preview", run };
}

export async function confirmFix(deps: FixDeps, request: { fixRunId: string; actor: string }): Promise<ConfirmResult> {
  const run = await deps.store.get(request.fixRunId);
  if (!run) return { kind: "refused", message: `no fix run ${request.fixRunId}` };
  if (run.state !== "previewed") return { kind: "refused", message: `this fix was already ${run.state}; open a new preview` };
  const resolved = resolve(deps, run.ruleId);
  if ("message" in resolved) return { kind: "refused", message: resolved.message };
  const now = deps.now();
  const fresh = await computePreview(resolved.fixer, run.target, resolved.rule, now);
  if ("kind" in fresh || fresh.beforeHash !== run.preview.beforeHash) return markStale(deps, run, request.actor, now, fresh);
  // The previous configuration is stored (and audited) before anything is written.
  const claimed = await deps.store.claim(run.id, ["previewed"], "applying", { previous: fresh.before, next: fresh.after, appliedBy: request.actor });
  if (claimed === false) return { kind: "refused", message: "this fix is already being applied" };
  if (claimed !== true) return { kind: "busy", busy: claimed };
  await deps.audit(auditOf(run, "fix.applying", request.actor, now, { before: fresh.before, after: fresh.after, calls: fresh.calls }));
  return applyAndVerify(deps, { ...run, previous: fresh.before, next: fresh.after }, resolved, fresh, request.actor);
}

async function markStale(deps: FixDeps, run: FixRun, actor: string, now: Date, fresh: Awaited<ReturnType<typeof computePreview>>): Promise<ConfirmResult> {
  await deps.store.update(run.id, { state: "stale" });
  await deps.audit(auditOf(run, "fix.stale", actor, now, { reason: "the resource changed since the preview", previewHash: run.preview.beforeHash }));
  const request = { findingId: run.findingId, ruleId: run.ruleId, target: run.target, team: run.team, actor };
  const next: PreviewResult = "kind" in fresh ? fresh : await previewFix(deps, request);
  return { kind: "stale", run: { ...run, state: "stale" }, fresh: next };
}

async function applyAndVerify(deps: FixDeps, run: FixRun, { fixer, rule }: { fixer: Fixer; rule: Rule }, preview: FixPreview, actor: string): Promise<ConfirmResult> {
  let outcome;
  try {
    outcome = await fixer.apply(run.target, preview);
  } catch (error) {
    outcome = { ok: false as const, error: { code: "Error", message: error instanceof Error ? error.message : String(error) }, rolledBack: [] };
  }
  const now = deps.now();
  if (!outcome.ok) {
    const patch = { state: "failed" as const, error: outcome.error };
    await deps.store.update(run.id, patch);
    await deps.audit(auditOf(run, "fix.failed", actor, now, { error: outcome.error, rolledBack: outcome.rolledBack, rollbackError: outcome.rollbackError ?? null }));
    return { kind: "failed", run: { ...run, ...patch }, error: outcome.error };
  }
  const verification = await fixer.verify(run.target, rule, now);
  const patch = { state: "applied" as const, appliedAt: now.toISOString(), verification, undoUntil: new Date(now.getTime() + deps.undoWindowMs).toISOString() };
  await deps.store.update(run.id, patch);
  await deps.audit(auditOf(run, "fix.applied", actor, now, { before: run.previous, after: run.next, calls: preview.calls, verification }));
  return { kind: "applied", run: { ...run, ...patch }, verification };
}

export async function undoFix(deps: FixDeps, request: { fixRunId: string; actor: string }): Promise<UndoResult> {
  const run = await deps.store.get(request.fixRunId);
  if (!run) return { kind: "refused", message: `no fix run ${request.fixRunId}` };
  if (run.state !== "applied") return { kind: "refused", message: `only an applied fix can be undone (this one is ${run.state})` };
  const resolved = resolve(deps, run.ruleId);
  if ("message" in resolved) return { kind: "refused", message: resolved.message };
  const now = deps.now();
  if (run.undoUntil === null || now.toISOString() > run.undoUntil) return { kind: "expired", run };
  const claimed = await deps.store.claim(run.id, ["applied"], "undoing", {});
  if (claimed === false) return { kind: "refused", message: "this fix is already being undone" };
  if (claimed !== true) return { kind: "busy", busy: claimed };
  try {
    return await runUndo(deps, run, resolved.fixer, request.actor);
  } catch (error) {
    await deps.store.update(run.id, { state: "applied" });
    if (error instanceof FixAwsError) return { kind: "failed", run, error: error.aws };
    throw error;
  }
}

async function runUndo(deps: FixDeps, run: FixRun, fixer: Fixer, actor: string): Promise<UndoResult> {
  const outcome = await fixer.undo(run.target, { before: run.previous, after: run.next, ruleId: run.ruleId }, deps.now());
  const now = deps.now();
  if (outcome.ok) {
    const patch = { state: "undone" as const, undoneBy: actor, undoneAt: now.toISOString() };
    await deps.store.update(run.id, patch);
    await deps.audit(auditOf(run, "fix.undone", actor, now, { before: run.next, after: run.previous, calls: outcome.calls }));
    return { kind: "undone", run: { ...run, ...patch } };
  }
  // Nothing was written: the run stays applied, so Undo can be tried again within the window.
  await deps.store.update(run.id, { state: "applied" });
  if (outcome.changed) {
    await deps.audit(auditOf(run, "fix.undo_refused", actor, now, { reason: "the resource changed after the fix", expected: run.next, current: outcome.current }));
    return { kind: "changed", run, current: outcome.current };
  }
  await deps.audit(auditOf(run, "fix.undo_failed", actor, now, { error: outcome.error, calls: outcome.calls }));
  return { kind: "failed", run, error: outcome.error };
}

/** Every step of a fix is in the audit log with who, what, and the configurations before and after. */
export function auditOf(run: FixRun, action: string, actor: string, at: Date, details: Record<string, unknown>): AuditEntry {
  return {
    at: at.toISOString(), actor, action, subjectType: "finding", subjectId: String(run.findingId), findingId: run.findingId,
    scanId: null, team: run.team,
    details: { fixRunId: run.id, fixerId: run.fixerId, ruleId: run.ruleId, resourceArn: run.target.arn, ...details },
  };
}
