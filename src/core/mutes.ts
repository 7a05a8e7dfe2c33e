import { TZDate } from "@date-fns/tz";
import { addDays, endOfDay, format } from "date-fns";
import { describeGroupsChecked, groupsOf, isMember, type Membership, type MembershipSource } from "./group-membership.js";

/**
 * Mutes (DESIGN 2.5) as pure decisions: the model, who may request and decide, expiry bounds, the
 * state machine and which findings a mute covers. Nothing here reads a clock or the database.
 */
export const MUTE_REASONS = ["false_positive", "risk_accepted", "pending_fix", "no_fix_available", "duplicate", "other"] as const;
export type MuteReason = (typeof MUTE_REASONS)[number];

export const REVOKE_REASONS = ["no_pending_fix", "human_error", "no_longer_accepted", "other"] as const;
export type RevokeReason = (typeof REVOKE_REASONS)[number];

export const MUTE_STATES = ["pending", "approved", "denied", "expired", "revoked"] as const;
export type MuteState = (typeof MUTE_STATES)[number];

/** The steps after a request that Slack is told about (the request message and the findings' threads). */
export type MuteStep = "requested" | "approved" | "denied" | "revoked" | "expired";

/**
 * Audit actions of the mute steps that change finding statuses or decide which findings a mute holds. The
 * scan's write transaction reads them after its watermark to rebase a stale plan (src/db/state-store.ts).
 */
export const MUTE_STEP_ACTIONS = {
  findingMuted: "finding.muted",
  findingUnmuted: "finding.unmuted",
  approved: "mute.approved",
  revoked: "mute.revoked",
  expired: "mute.expired",
} as const;

export const JUSTIFICATION_MAX = 280;
export const DEFAULT_MUTE_DAYS = 30;
export const EXPIRING_WITHIN_DAYS = 7;
const DAY_MS = 86_400_000;

/**
 * What a mute covers: one finding, or one rule on every resource whose tags hold `tag.key = tag.value`.
 * A rule scope is limited to the team of the finding it was requested from (`team`, null: unowned), so
 * a team can never mute another team's resources through a tag.
 */
export type MuteScope =
  | { kind: "finding"; findingId: number; ruleId: string; resourceArn: string }
  | { kind: "rule_tag"; ruleId: string; tag: { key: string; value: string }; team: string | null };

export interface Mute {
  id: string;
  scope: MuteScope;
  /** The team of the finding the request was made from (the audit and `/posture mutes [team]` filter by it). */
  team: string | null;
  /** The finding the request was made from (its thread links to the request). */
  findingId: number;
  reason: MuteReason;
  justification: string;
  /** ISO instant; null: permanent. */
  expiresAt: string | null;
  state: MuteState;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionComment: string | null;
  revokedBy: string | null;
  revokedAt: string | null;
  revokeReason: RevokeReason | null;
  /** The revoker's comment (absent on mutes stored before it was recorded). */
  revokeComment?: string | null;
  /** Slack permalink of the request message, once posted. */
  permalink: string | null;
}

/**
 * Who may request and who may decide: effective memberships (configured ids ∪ the members of a resolved
 * Slack user group), checked on every click (never a button value).
 */
export interface MutePolicy {
  teams: readonly ({ handle: string } & Membership)[];
  securityTeam: Membership;
  approvers: Membership;
  maxDays: number;
  allowPermanent: boolean;
}

/** `userGroups`: the Slack user groups whose membership decided a refusal (re-reading them may change it). */
export type Refusal = { ok: false; code: string; reason: string; userGroups?: readonly string[] };
export type Decision<T> = ({ ok: true } & T) | Refusal;

const refuse = (code: string, reason: string): Refusal => ({ ok: false, code, reason });

const SECURITY_TEAM: MembershipSource = { label: "security team", field: "securityTeam" };
const APPROVERS: MembershipSource = { label: "approvers", field: "mutes.approvers" };

/** A membership refusal names the user groups it checked, so a caller may re-read them and ask again. */
function refuseMembership(code: string, reason: string, checked: readonly { membership: Membership | undefined; source: MembershipSource }[]): Refusal {
  const userGroups = groupsOf(...checked.map((c) => c.membership));
  return { ...refuse(code, `${reason}${describeGroupsChecked(checked)}`), ...(userGroups.length > 0 ? { userGroups } : {}) };
}

/** Members of the finding's owning team, or of the security team, may request a mute. */
export function authorizeMuteRequest(policy: MutePolicy, user: string, findingTeam: string | null): Decision<{ as: "owning_team" | "security_team" }> {
  const index = findingTeam === null ? -1 : policy.teams.findIndex((t) => t.handle === findingTeam);
  const team = policy.teams[index];
  if (team && isMember(team, user)) return { ok: true, as: "owning_team" };
  if (isMember(policy.securityTeam, user)) return { ok: true, as: "security_team" };
  const owner = findingTeam === null ? "no team owns this finding" : `it belongs to team ${findingTeam}`;
  return refuseMembership("not_allowed_to_request", `Only the owning team's members or the security team may request a mute (${owner}).`, [
    { membership: team, source: { label: `team ${findingTeam ?? ""}`, field: `teams[${index}]` } },
    { membership: policy.securityTeam, source: SECURITY_TEAM },
  ]);
}

/** A configured approver other than the requester decides a pending request, once. */
export function authorizeMuteDecision(policy: MutePolicy, user: string, mute: Pick<Mute, "state" | "requestedBy" | "decidedBy">): Decision<object> {
  if (mute.state !== "pending") return refuse("already_decided", `This request was already ${mute.state}${mute.decidedBy ? ` by <@${mute.decidedBy}>` : ""}: nothing changed.`);
  if (mute.requestedBy === user) return refuse("self_approval", "You requested this mute: another approver must decide it.");
  if (!isMember(policy.approvers, user)) {
    return refuseMembership("not_an_approver", "Only the configured mute approvers may approve or deny a mute.", [{ membership: policy.approvers, source: APPROVERS }]);
  }
  return { ok: true };
}

/** The security team revokes an approved mute. */
export function authorizeMuteRevocation(policy: MutePolicy, user: string, mute: Pick<Mute, "state">): Decision<object> {
  if (!isMember(policy.securityTeam, user)) {
    return refuseMembership("not_security_team", "Only the security team may revoke a mute.", [{ membership: policy.securityTeam, source: SECURITY_TEAM }]);
  }
  if (mute.state !== "approved") return refuse("not_active", `This mute is ${mute.state}, not active: nothing to revoke.`);
  return { ok: true };
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Validates a requested expiry: `undefined` = the default 30 days, `null` = permanent (if allowed), an
 * instant as given, and a date picker's `YYYY-MM-DD` as the END of that day in the requester's time zone
 * (`timeZone`, an IANA name): "until Friday" in Sydney mutes through Sydney's Friday, DST days included.
 * A date is within the maximum when it is at most `maxDays` calendar days after today in that zone.
 */
export function resolveExpiry(
  policy: Pick<MutePolicy, "maxDays" | "allowPermanent">, requested: string | null | undefined, now: Date, timeZone = "UTC",
): Decision<{ expiresAt: string | null }> {
  if (requested === null) {
    return policy.allowPermanent ? { ok: true, expiresAt: null } : refuse("permanent_not_allowed", `A permanent mute is not allowed here: choose a date at most ${policy.maxDays} days ahead.`);
  }
  const date = requested === undefined ? undefined : DATE_ONLY.exec(requested);
  if (date) return resolveExpiryDate(policy, date, now, timeZone);
  const expiresAt = requested === undefined ? new Date(now.getTime() + Math.min(DEFAULT_MUTE_DAYS, policy.maxDays) * DAY_MS) : new Date(requested);
  if (Number.isNaN(expiresAt.getTime())) return refuse("invalid_expiry", `Expected an expiry date such as 2026-12-31, received "${String(requested)}".`);
  if (expiresAt.getTime() <= now.getTime()) return refuse("expiry_in_past", "The expiry must be in the future.");
  if (expiresAt.getTime() > now.getTime() + policy.maxDays * DAY_MS) return refuse("expiry_too_far", `The expiry may be at most ${policy.maxDays} days ahead.`);
  return { ok: true, expiresAt: expiresAt.toISOString() };
}

function resolveExpiryDate(policy: Pick<MutePolicy, "maxDays">, [text, y, m, d]: RegExpExecArray, now: Date, timeZone: string): Decision<{ expiresAt: string }> {
  if (!isTimeZone(timeZone)) return refuse("invalid_time_zone", `Expected an IANA time zone such as Europe/Paris, received "${timeZone}".`);
  const noon = new TZDate(Number(y), Number(m) - 1, Number(d), 12, 0, 0, timeZone);
  // The constructor rolls 2026-02-30 over to March 2: a date that does not come back out as given is no date.
  if (format(noon, "yyyy-MM-dd") !== text) return refuse("invalid_expiry", `Expected an expiry date such as 2026-12-31, received "${text}".`);
  const end = endOfDay(noon);
  if (end.getTime() <= now.getTime()) return refuse("expiry_in_past", "The expiry must be in the future.");
  const last = endOfDay(addDays(new TZDate(now, timeZone), policy.maxDays));
  if (end.getTime() > last.getTime()) return refuse("expiry_too_far", `The expiry may be at most ${policy.maxDays} days ahead (${format(last, "yyyy-MM-dd")} in ${timeZone}).`);
  return { ok: true, expiresAt: new Date(end.getTime()).toISOString() };
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export function validateJustification(text: string): Decision<{ justification: string }> {
  const justification = text.trim();
  if (justification.length === 0) return refuse("justification_required", "A justification is required.");
  if (justification.length > JUSTIFICATION_MAX) return refuse("justification_too_long", `The justification may be at most ${JUSTIFICATION_MAX} characters (received ${justification.length}).`);
  return { ok: true, justification };
}

/** The state machine: pending -> approved | denied; approved -> expired | revoked. */
const TRANSITIONS: Readonly<Record<MuteState, readonly MuteState[]>> = {
  pending: ["approved", "denied"], approved: ["expired", "revoked"], denied: [], expired: [], revoked: [],
};

export function canTransition(from: MuteState, to: MuteState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Approved and not yet past its expiry. */
export function isActive(mute: Pick<Mute, "state" | "expiresAt">, now: Date): boolean {
  return mute.state === "approved" && (mute.expiresAt === null || Date.parse(mute.expiresAt) > now.getTime());
}

export function isExpiringSoon(mute: Pick<Mute, "state" | "expiresAt">, now: Date): boolean {
  return isActive(mute, now) && mute.expiresAt !== null && Date.parse(mute.expiresAt) <= now.getTime() + EXPIRING_WITHIN_DAYS * DAY_MS;
}

/** What a finding offers to scope matching; `tags` null when they were not collected (never matches a tag). */
export interface MuteTarget {
  findingId?: number;
  ruleId: string;
  resourceArn: string;
  team: string | null;
  tags: Readonly<Record<string, string>> | null;
}

/** Tag keys compare case-sensitively, as AWS does; values too (`public=intended` is not `public=Intended`). */
export function scopeMatches(scope: MuteScope, target: MuteTarget): boolean {
  if (scope.kind === "finding") return target.ruleId === scope.ruleId && target.resourceArn === scope.resourceArn;
  return target.ruleId === scope.ruleId && target.team === scope.team && target.tags !== null && target.tags[scope.tag.key] === scope.tag.value;
}

/** The first active mute covering the target (the oldest approval wins, so the attribution is stable). */
export function activeMuteFor(mutes: readonly Mute[], target: MuteTarget, now: Date): Mute | undefined {
  return mutes.find((mute) => isActive(mute, now) && scopeMatches(mute.scope, target));
}
