import type { AuditEntry } from "../core/finding-events.js";
import {
  activeMuteFor, MUTE_STEP_ACTIONS, authorizeMuteDecision, authorizeMuteRequest, authorizeMuteRevocation, isActive, isExpiringSoon, resolveExpiry, scopeMatches, validateJustification,
  type Mute, type MutePolicy, type MuteReason, type MuteScope, type Refusal, type RevokeReason,
} from "../core/mutes.js";
import { membershipOf, NO_LOOKUPS, teamMembershipsOf, type MembershipConfig, type UserGroupLookups } from "./memberships.js";
import type { FindingStatusChange, MuteFinding, MuteNotice, MuteStore } from "./mute-ports.js";

/**
 * The mute use cases (DESIGN 2.5, issue 5). Each checks authorization against the configured policy on
 * every call (never what a button value claims), writes one transaction, and returns the audit entries
 * and the findings whose status changed, so the Slack side can update messages and threads.
 */
export interface MuteDeps {
  store: MuteStore;
  policy: MutePolicy;
  newId(): string;
  /** Where requests are posted (`approvalsChannelOf`); null or absent: nowhere, the thread alone is told. */
  approvalsChannel?: string | null;
}

/** Who acted: the Slack user id (checked) and display name (recorded); the permalink of the message acted on. */
export interface MuteActor {
  id: string;
  name?: string;
  permalink?: string;
}

export type MuteOutcome =
  | { ok: true; mute: Mute; findings: FindingStatusChange[]; audit: AuditEntry[] }
  | (Refusal & { audit: AuditEntry[] });

/**
 * The policy from the configuration (posture.config.yml `teams`, `securityTeam`, `mutes`) and the user
 * groups resolved so far (none given: a configured group grants nobody). main-runtime.ts rebuilds it
 * whenever a group's membership changes.
 */
export function mutePolicyOf(config: MembershipConfig & { mutes: { maxDays: number; allowPermanent: boolean } }, lookups: UserGroupLookups = NO_LOOKUPS): MutePolicy {
  const { approvers, maxDays, allowPermanent } = config.mutes;
  return {
    teams: teamMembershipsOf(config, lookups), securityTeam: membershipOf(config.securityTeam, lookups), approvers: membershipOf(approvers, lookups),
    maxDays, allowPermanent,
  };
}

/** Where requests are posted: `mutes.approvalsChannel`, else the security channel (null: neither is configured). */
export function approvalsChannelOf(config: { mutes: { approvalsChannel?: string }; securityChannel?: string }): string | null {
  return config.mutes.approvalsChannel ?? config.securityChannel ?? null;
}

/** The system actor of scheduled expiry. */
export const MUTE_EXPIRY_ACTOR = "posture-scheduler";
const EXPIRY_ACTOR_NAME = "Posture (scheduled mute expiry)";

export interface MuteRequestInput {
  actor: MuteActor;
  findingId: number;
  reason: MuteReason;
  justification: string;
  /** YYYY-MM-DD (the end of that day in `timeZone`) or an instant; undefined: the default 30 days; null: permanent (only if allowed). */
  expiresAt?: string | null;
  /** The requester's IANA time zone (Slack's users.info), for a date-only expiry; default UTC. */
  timeZone?: string;
  /** This finding, or its rule on every resource of the same team whose tag `key` equals `value`. */
  scope: { kind: "finding" } | { kind: "rule_tag"; tag: { key: string; value: string } };
}

export async function requestMute(deps: MuteDeps, input: MuteRequestInput, now: Date): Promise<MuteOutcome> {
  const at = now.toISOString();
  const finding = await deps.store.loadFinding(input.findingId);
  if (!finding) return refuse(deps, input.actor, at, { code: "unknown_finding", reason: `Finding ${input.findingId} does not exist.` }, "finding", String(input.findingId), null, null, { action: "mute.request" });
  const refusal = (r: Refusal) => refuse(deps, input.actor, at, r, "finding", String(finding.id), finding.id, finding.team, { action: "mute.request" });
  const auth = authorizeMuteRequest(deps.policy, input.actor.id, finding.team);
  if (!auth.ok) return refusal(auth);
  const text = validateJustification(input.justification);
  if (!text.ok) return refusal(text);
  const expiry = resolveExpiry(deps.policy, input.expiresAt, now, input.timeZone);
  if (!expiry.ok) return refusal(expiry);
  if (input.scope.kind === "finding") {
    const pending = await deps.store.loadPendingMuteForFinding(finding.id);
    if (pending) return refusal({ ok: false, code: "already_pending", reason: `A mute request for this finding is already pending (requested by <@${pending.requestedBy}>).` });
  }
  const scope: MuteScope = input.scope.kind === "finding"
    ? { kind: "finding", findingId: finding.id, ruleId: finding.ruleId, resourceArn: finding.resourceArn }
    : { kind: "rule_tag", ruleId: finding.ruleId, tag: input.scope.tag, team: finding.team };
  const mute: Mute = {
    id: deps.newId(), scope, team: finding.team, findingId: finding.id, reason: input.reason, justification: text.justification, expiresAt: expiry.expiresAt,
    state: "pending", requestedBy: input.actor.id, requestedAt: at, decidedBy: null, decidedAt: null, decisionComment: null,
    revokedBy: null, revokedAt: null, revokeReason: null, permalink: null,
  };
  const audit = [muteEntry(mute, input.actor, at, "mute.requested", { as: auth.as, reason: mute.reason, justification: mute.justification, expiresAt: mute.expiresAt, scope })];
  const channel = deps.approvalsChannel;
  const notices: MuteNotice[] = [
    ...(channel ? [{ muteId: mute.id, step: "requested" as const, target: "request" as const, channel }] : []),
    { muteId: mute.id, step: "requested", target: "thread", findingId: finding.id, status: finding.status },
  ];
  if (!(await deps.store.persistMuteWrite({ insert: mute, findings: [], audit, notices, at }))) {
    return refusal({ ok: false, code: "already_pending", reason: "A mute request for this finding is already pending." });
  }
  return { ok: true, mute, findings: [], audit };
}

export interface MuteDecisionInput {
  actor: MuteActor;
  muteId: string;
  decision: "approve" | "deny";
  comment?: string;
}

export async function decideMute(deps: MuteDeps, input: MuteDecisionInput, now: Date): Promise<MuteOutcome> {
  const at = now.toISOString();
  const mute = await deps.store.loadMute(input.muteId);
  if (!mute) return refuse(deps, input.actor, at, { code: "unknown_mute", reason: `Mute request ${input.muteId} does not exist.` }, "mute", input.muteId, null, null, { action: `mute.${input.decision}` });
  const refusal = (r: Refusal) => refuse(deps, input.actor, at, r, "mute", mute.id, mute.findingId, mute.team, { action: `mute.${input.decision}` });
  const auth = authorizeMuteDecision(deps.policy, input.actor.id, mute);
  if (!auth.ok) return refusal(auth);
  const comment = input.comment?.trim() || null;
  const state = input.decision === "approve" ? "approved" : "denied";
  const decided: Mute = { ...mute, state, decidedBy: input.actor.id, decidedAt: at, decisionComment: comment };
  const findings = state === "approved" && isActive(decided, now) ? muteChanges(decided, await findingsInScope(deps.store, decided)) : [];
  const audit = [muteEntry(decided, input.actor, at, state === "approved" ? MUTE_STEP_ACTIONS.approved : "mute.denied", { comment, requestedBy: mute.requestedBy, findings: findings.length }), ...findingEntries(decided, findings, input.actor, at)];
  // A denial changes no finding: the requester reads it in the thread of the finding it was requested from.
  const denied = state === "denied" ? await deps.store.loadFinding(mute.findingId) : undefined;
  const told = denied ? [{ findingId: denied.id, from: denied.status, to: denied.status, muteId: denied.muteId }] : findings;
  const notices = noticesOf(decided.id, state, told);
  const written = await deps.store.persistMuteWrite({ update: { id: mute.id, from: "pending", set: { state, decidedBy: input.actor.id, decidedAt: at, decisionComment: comment } }, findings, audit, notices, at });
  // Another click (or a Slack retry) decided it between our read and our write: one decision only.
  if (!written) return refusal({ ok: false, code: "already_decided", reason: "This request was already decided: nothing changed." });
  return { ok: true, mute: decided, findings, audit };
}

export interface MuteRevocationInput {
  actor: MuteActor;
  muteId: string;
  reason: RevokeReason;
  comment?: string;
}

export async function revokeMute(deps: MuteDeps, input: MuteRevocationInput, now: Date): Promise<MuteOutcome> {
  const at = now.toISOString();
  const mute = await deps.store.loadMute(input.muteId);
  if (!mute) return refuse(deps, input.actor, at, { code: "unknown_mute", reason: `Mute ${input.muteId} does not exist.` }, "mute", input.muteId, null, null, { action: "mute.revoke" });
  const refusal = (r: Refusal) => refuse(deps, input.actor, at, r, "mute", mute.id, mute.findingId, mute.team, { action: "mute.revoke" });
  const auth = authorizeMuteRevocation(deps.policy, input.actor.id, mute);
  if (!auth.ok) return refusal(auth);
  const comment = input.comment?.trim() || null;
  const revoked: Mute = { ...mute, state: "revoked", revokedBy: input.actor.id, revokedAt: at, revokeReason: input.reason, revokeComment: comment };
  const findings = await releaseChanges(deps.store, mute, now);
  const audit = [muteEntry(revoked, input.actor, at, MUTE_STEP_ACTIONS.revoked, { reason: input.reason, comment, findings: findings.length }), ...findingEntries(revoked, findings, input.actor, at)];
  const set = { state: "revoked" as const, revokedBy: input.actor.id, revokedAt: at, revokeReason: input.reason, revokeComment: comment };
  const written = await deps.store.persistMuteWrite({ update: { id: mute.id, from: "approved", set }, findings, audit, notices: noticesOf(mute.id, "revoked", findings), at });
  if (!written) return refusal({ ok: false, code: "not_active", reason: "This mute already ended: nothing changed." });
  return { ok: true, mute: revoked, findings, audit };
}

/** The scheduled job: every approved mute past its expiry ends, and its findings count again. */
export async function expireMutes(deps: MuteDeps, now: Date): Promise<{ expired: { mute: Mute; findings: FindingStatusChange[] }[]; audit: AuditEntry[] }> {
  const at = now.toISOString();
  const actor = { id: MUTE_EXPIRY_ACTOR, name: EXPIRY_ACTOR_NAME };
  const due = (await deps.store.loadMutes(["approved"])).filter((mute) => !isActive(mute, now));
  const expired: { mute: Mute; findings: FindingStatusChange[] }[] = [];
  const audit: AuditEntry[] = [];
  for (const mute of due) {
    const ended: Mute = { ...mute, state: "expired" };
    const findings = await releaseChanges(deps.store, mute, now);
    const entries = [muteEntry(ended, actor, at, MUTE_STEP_ACTIONS.expired, { expiresAt: mute.expiresAt, findings: findings.length }), ...findingEntries(ended, findings, actor, at)];
    const notices = noticesOf(mute.id, "expired", findings);
    if (!(await deps.store.persistMuteWrite({ update: { id: mute.id, from: "approved", set: { state: "expired" } }, findings, audit: entries, notices, at }))) continue;
    expired.push({ mute: ended, findings });
    audit.push(...entries);
  }
  return { expired, audit };
}

/** `/posture mutes [team]` and the digest: active, pending, and active ones expiring within 7 days. */
export async function listMutes(deps: Pick<MuteDeps, "store">, options: { team?: string; now: Date }): Promise<{ active: Mute[]; pending: Mute[]; expiring: Mute[] }> {
  const mutes = (await deps.store.loadMutes(["pending", "approved"])).filter((m) => options.team === undefined || m.team === options.team);
  const active = mutes.filter((m) => isActive(m, options.now));
  const byExpiry = (a: Mute, b: Mute) => (a.expiresAt ?? "9999") < (b.expiresAt ?? "9999") ? -1 : 1;
  return { active, pending: mutes.filter((m) => m.state === "pending"), expiring: active.filter((m) => isExpiringSoon(m, options.now)).sort(byExpiry) };
}

async function findingsInScope(store: MuteStore, mute: Mute): Promise<MuteFinding[]> {
  if (mute.scope.kind === "finding") {
    const finding = await store.loadFinding(mute.scope.findingId);
    return finding ? [finding] : [];
  }
  const scope = mute.scope;
  return (await store.loadFindingsOfRule(scope.ruleId)).filter((f) => scopeMatches(scope, f));
}

/** Open findings in scope become muted; resolved ones stay resolved (a later failure is muted by the scan). */
function muteChanges(mute: Mute, findings: readonly MuteFinding[]): FindingStatusChange[] {
  return findings.filter((f) => f.status === "open").map((f) => ({ findingId: f.id, from: f.status, to: "muted", muteId: mute.id }));
}

/** The findings a mute held return to open or resolved by their latest result, unless another active mute covers them. */
async function releaseChanges(store: MuteStore, mute: Mute, now: Date): Promise<FindingStatusChange[]> {
  const held = await store.loadFindingsHeldBy(mute.id);
  if (held.length === 0) return [];
  const others = (await store.loadMutes(["approved"])).filter((m) => m.id !== mute.id);
  return held.map((f) => {
    const other = activeMuteFor(others, f, now);
    if (other) return { findingId: f.id, from: f.status, to: "muted" as const, muteId: other.id };
    return { findingId: f.id, from: f.status, to: f.lastResult === "fail" ? ("open" as const) : ("resolved" as const), muteId: null };
  });
}

/**
 * What Slack is owed after a step: the request message re-drawn, and a thread reply on each finding whose
 * status the step changed (a finding still held by another mute has nothing new to tell).
 */
function noticesOf(muteId: string, step: MuteNotice["step"], changes: readonly FindingStatusChange[]): MuteNotice[] {
  const told = changes.filter((c) => step === "denied" || c.from !== c.to);
  return [{ muteId, step, target: "request" }, ...told.map((c) => ({ muteId, step, target: "thread" as const, findingId: c.findingId, status: c.to }))];
}

function muteEntry(mute: Mute, actor: MuteActor, at: string, action: string, details: Record<string, unknown>): AuditEntry {
  return {
    at, actor: actor.id, action, subjectType: "mute", subjectId: mute.id, findingId: mute.findingId, scanId: null, team: mute.team,
    details: { ...details, muteReason: mute.reason, actorName: actor.name ?? null, permalink: actor.permalink ?? mute.permalink },
  };
}

function findingEntries(mute: Mute, changes: readonly FindingStatusChange[], actor: MuteActor, at: string): AuditEntry[] {
  return changes.map((c) => ({
    at, actor: actor.id, action: c.to === "muted" ? MUTE_STEP_ACTIONS.findingMuted : MUTE_STEP_ACTIONS.findingUnmuted, subjectType: "finding", subjectId: String(c.findingId), findingId: c.findingId,
    scanId: null, team: mute.team,
    details: { muteId: mute.id, muteReason: mute.reason, cause: mute.state, from: c.from, to: c.to, heldBy: c.muteId, actorName: actor.name ?? null, permalink: actor.permalink ?? mute.permalink },
  }));
}

/** Every refusal is audited (issue 5 security tests): who tried what, and why it was refused. */
async function refuse(
  deps: MuteDeps, actor: MuteActor, at: string, refusal: Pick<Refusal, "code" | "reason">, subjectType: AuditEntry["subjectType"], subjectId: string,
  findingId: number | null, team: string | null, extra: Record<string, unknown> = {},
): Promise<Refusal & { audit: AuditEntry[] }> {
  const entry: AuditEntry = {
    at, actor: actor.id, action: "mute.refused", subjectType, subjectId, findingId, scanId: null, team,
    details: { ...extra, code: refusal.code, reason: refusal.reason, actorName: actor.name ?? null, permalink: actor.permalink ?? null },
  };
  await deps.store.appendAudit(entry);
  return { ok: false, code: refusal.code, reason: refusal.reason, audit: [entry] };
}
