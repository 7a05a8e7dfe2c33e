import type { FailFacts } from "./findings.js";
import { transitionOf, type FindingChange } from "./lifecycle.js";
import type { Severity } from "./rule.js";

/** An audit log row: who did what to which subject, when and with which details (DESIGN section 3). */
export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  subjectType: "finding" | "scan" | "ownership" | "mute";
  subjectId: string;
  findingId: number | null;
  scanId: string | null;
  team: string | null;
  details: Record<string, unknown>;
}

/** A Slack post waiting for delivery; the idempotency key makes a second insert of the same event a no-op. */
export interface OutboxMessage {
  idempotencyKey: string;
  kind: "finding.transition";
  channel: string | null;
  payload: FindingEventPayload;
}

export interface FindingEventPayload {
  findingId: number;
  /** `escalated`: still failing, raised by a severity override into the notified severities (it was never posted). */
  transition: "new" | "reopened" | "escalated";
  scanId: string;
  ruleId: string;
  ruleVersion: string;
  severity: Severity;
  team: string | null;
  ownerReason: string;
  resource: FailFacts["resource"];
  evidence: FailFacts["evidence"];
  qualifiers: string[];
  reopenCount: number;
}

export const SCANNER_ACTOR = "posture-scanner";
/** Severities whose new and reopened findings are posted (DESIGN section 2). */
export const NOTIFY_SEVERITIES: ReadonlySet<Severity> = new Set(["critical", "high"]);

export interface EventContext {
  scanId: string;
  at: string;
}

export function auditEntryOf(change: FindingChange, findingId: number, context: EventContext): AuditEntry | undefined {
  const transition = transitionOf(change);
  if (!transition) return undefined;
  const base = { at: context.at, actor: SCANNER_ACTOR, action: `finding.${transition}`, subjectType: "finding" as const, subjectId: String(findingId), findingId, scanId: context.scanId };
  if (change.kind === "new") {
    const muted = change.muteId === undefined ? {} : { mutedBy: change.muteId };
    return { ...base, team: change.facts.team, details: { ruleId: change.facts.ruleId, resourceArn: change.facts.resource.arn, severity: change.facts.severity, ruleVersion: change.facts.ruleVersion, owner: change.facts.ownerReason, ...muted } };
  }
  if (change.kind === "muted") {
    return { ...base, team: change.facts.team, details: { ruleId: change.facts.ruleId, resourceArn: change.facts.resource.arn, severity: change.facts.severity, mutedBy: change.muteId, previousStatus: change.finding.status } };
  }
  if (change.kind === "reopened") {
    return { ...base, team: change.facts.team, details: { ruleId: change.facts.ruleId, resourceArn: change.facts.resource.arn, severity: change.facts.severity, reopenCount: change.reopenCount, exposureSeconds: change.finding.exposureSeconds, resolvedForSeconds: change.closedSeconds } };
  }
  if (change.kind !== "resolved") return undefined;
  return { ...base, team: change.finding.team, details: { ruleId: change.finding.ruleId, resourceArn: change.finding.resourceArn, severity: change.finding.severity, reason: change.reason, exposureSeconds: change.exposureSeconds } };
}

/**
 * New and reopened high / critical findings (plus any other severity in `notify`: `notifications.severities`)
 * are posted to the owning team's channel, else the security channel. So is an open finding a severity
 * override raised from a severity nobody is told about into a notified one: it was never posted.
 */
export function outboxMessageOf(
  change: FindingChange, findingId: number, context: EventContext, channelOf: (team: string | null) => string | null, notify: ReadonlySet<Severity> = NOTIFY_SEVERITIES,
): OutboxMessage | undefined {
  const notified = (severity: Severity) => NOTIFY_SEVERITIES.has(severity) || notify.has(severity);
  if (change.kind !== "new" && change.kind !== "reopened" && change.kind !== "still_failing") return undefined;
  // A new finding an active mute already covers is not announced: the mute's thread tells its story.
  if (change.kind === "new" && change.muteId !== undefined) return undefined;
  if (change.kind === "still_failing" && notified(change.finding.severity)) return undefined;
  const { facts } = change;
  if (!notified(facts.severity)) return undefined;
  const transition = change.kind === "still_failing" ? "escalated" : change.kind;
  const payload: FindingEventPayload = {
    findingId, transition, scanId: context.scanId, ruleId: facts.ruleId, ruleVersion: facts.ruleVersion,
    severity: facts.severity, team: facts.team, ownerReason: facts.ownerReason, resource: facts.resource,
    evidence: facts.evidence, qualifiers: facts.qualifiers, reopenCount: change.kind === "reopened" ? change.reopenCount : 0,
  };
  return { idempotencyKey: `finding:${findingId}:${transition}:${context.scanId}`, kind: "finding.transition", channel: channelOf(facts.team), payload };
}
