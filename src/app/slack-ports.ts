import type { Evidence } from "../core/condition.js";
import type { FindingStatus } from "../core/findings.js";
import type { Mute, MuteReason } from "../core/mutes.js";
import type { Severity } from "../core/rule.js";
import type { AppliedOverride } from "../core/severity-overrides.js";
import type { MuteNotice } from "./mute-ports.js";

/**
 * Ports of Slack delivery (DESIGN section 2.2): the delivery use case speaks these; src/slack implements
 * the Notifier on Bolt's WebClient (and on the console for demo runs), src/db the DeliveryStore on SQLite.
 */

/** Everything a finding message shows: the stored finding joined with its rule and resource. */
export interface FindingView {
  id: number;
  ruleId: string;
  title: string;
  severity: Severity;
  /** Set when a severity override gave the finding `severity` instead of its rule's own. */
  severityOverride?: AppliedOverride;
  status: FindingStatus;
  resource: { arn: string; type: string; name: string; accountId: string; region: string; tags: Record<string, string> | null };
  team: string | null;
  ownerReason: string;
  evidence: Evidence[];
  qualifiers: string[];
  /** Framework id -> control ids. */
  compliance: Record<string, string[]>;
  firstSeen: string;
  resolvedAt: string | null;
  resolvedReason: string | null;
  reopenCount: number;
  /** Whether the rule has a fixer (the *Fix it* button is shown only then). */
  hasFix: boolean;
  /** The mute holding it muted, or its pending request (the message shows either). */
  mute?: FindingMute;
}

export type FindingMute =
  | { kind: "active"; muteId: string; approvedBy: string; reason: MuteReason; until: string | null }
  | { kind: "pending"; muteId: string; requestedBy: string };

/** The request message of a mute re-drawn in its current state (approvals channel). */
export interface MuteRequestNotice {
  mute: Mute;
  finding: FindingView;
  /** The finding's own message, linked from the request so an approver reads the evidence first. */
  findingMessage?: MessageRef;
}

/** A mute step told in one finding's thread: who decided, revoked or let it expire, and why. */
export interface MuteStepNotice {
  step: MuteNotice["step"];
  mute: Mute;
  finding: FindingView;
  /** The finding's status right after the step. */
  status: FindingStatus;
}

/** Why a message landed in the security channel instead of the team's: the bot cannot post there. */
export interface FallbackHint {
  intendedChannel: string;
  reason: string;
}

export type Notice =
  | { kind: "finding"; finding: FindingView; hint?: FallbackHint }
  | { kind: "group"; ruleId: string; title: string; severity: Severity; findings: FindingView[]; hint?: FallbackHint };

/** A thread reply telling one finding's transition (the history lives in the thread). */
export type TransitionNotice =
  | { transition: "resolved" | "reopened" | "muted" | "unmuted"; finding: FindingView; at: string }
  /** The effective severity moved (an override added, changed or removed): told once per message, for
   * `count` of its findings that moved alike; `finding` is the first of them (its override says why). */
  | { transition: "severity"; finding: FindingView; from: Severity; count: number; at: string };

export interface MessageRef {
  channel: string;
  ts: string;
}

export type DeliveryErrorKind = "channel_unavailable" | "rate_limited" | "auth" | "transient" | "rejected";

/** A failed Slack call, classified so that the use case decides: fall back, wait, retry later, or stop. */
export class DeliveryError extends Error {
  readonly code = "POSTURE_SLACK_DELIVERY";
  constructor(
    readonly kind: DeliveryErrorKind,
    /** Slack's error string (not_in_channel, invalid_auth, ...) or the transport's. */
    readonly slackError: string,
    options: { cause?: unknown; retryAfterMs?: number } = {},
  ) {
    super(`Slack delivery failed: ${slackError}`, { cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
  }
  readonly retryAfterMs: number | undefined;
}

/** A rendered digest (src/slack/blocks/digest.ts renders Block Kit; the port only needs its text and blocks). */
export interface DigestMessage {
  text: string;
  blocks: readonly unknown[];
}

/** The trend chart uploaded in the digest message's thread. */
export interface DigestChart {
  png: Uint8Array;
  filename: string;
  title: string;
}

/** The message is posted; a failed chart upload does not undo it (the digest reads fine without its chart). */
export interface DigestPosted {
  ref: MessageRef;
  chart: "uploaded" | "none" | { error: string };
}

export interface Notifier {
  post(channel: string, notice: Notice): Promise<MessageRef>;
  update(ref: MessageRef, notice: Notice): Promise<void>;
  reply(ref: MessageRef, notice: TransitionNotice): Promise<void>;
  /** Posts a new mute request; returns where it is and its permalink (stored: later steps re-draw it, the audit links it). */
  postMuteRequest(channel: string, notice: MuteRequestNotice): Promise<{ ref: MessageRef; permalink: string }>;
  updateMuteRequest(ref: MessageRef, notice: MuteRequestNotice): Promise<void>;
  replyMuteStep(ref: MessageRef, notice: MuteStepNotice): Promise<void>;
  /** Posts a daily digest, then uploads its chart (if any) with it. Throws DeliveryError when the message is not posted. */
  postDigest(channel: string, message: DigestMessage, chart?: DigestChart): Promise<DigestPosted>;
}

/** A due outbox row (kind finding.transition). */
export interface OutboxItem {
  id: number;
  idempotencyKey: string;
  channel: string | null;
  findingId: number;
  transition: "new" | "reopened" | "escalated";
  attempts: number;
}

/** The stored finding without its rule's catalog data (title, compliance, fixer). */
export type StoredFindingView = Omit<FindingView, "title" | "compliance" | "hasFix">;

export interface PostedRecord {
  outboxIds: number[];
  ref: MessageRef;
  findings: { id: number; ruleId: string; status: FindingStatus; severity: Severity }[];
  grouped: boolean;
  intendedChannel: string | null;
}

export interface StatusChange {
  findingId: number;
  ref: MessageRef;
  shownStatus: FindingStatus;
  status: FindingStatus;
  /** What the message shows and what the finding's effective severity is now (a severity override moved it). */
  shownSeverity: Severity;
  severity: Severity;
  attempts: number;
}

/** A due outbox row of kind mute.step. */
export interface MuteStepItem {
  id: number;
  attempts: number;
  notice: MuteNotice;
}

export interface DeliveryStore {
  loadDueOutbox(now: string, limit: number): Promise<OutboxItem[]>;
  loadDueMuteSteps(now: string, limit: number): Promise<MuteStepItem[]>;
  loadMute(id: string): Promise<Mute | undefined>;
  /** Where a mute's request message is in the approvals channel (undefined: never posted). */
  muteRequestRef(muteId: string): Promise<MessageRef | undefined>;
  recordMuteRequestPosted(muteId: string, ref: MessageRef, permalink: string): Promise<void>;
  /** Whether the mute's request message is still queued (not yet posted). */
  hasPendingMuteRequest(muteId: string): Promise<boolean>;
  loadFindingViews(ids: readonly number[]): Promise<Map<number, StoredFindingView>>;
  messageOf(findingId: number): Promise<MessageRef | undefined>;
  findingsOfMessage(ref: MessageRef): Promise<number[]>;
  /** In one transaction: the findings' message rows and the outbox rows marked sent. */
  recordPosted(record: PostedRecord, at: string): Promise<void>;
  /** Marks outbox rows sent without a new message (an update of an existing one, or skipped with a note). */
  recordOutboxDone(outboxIds: readonly number[], at: string, note?: string): Promise<void>;
  recordOutboxFailure(outboxIds: readonly number[], error: string, nextAttemptAt: string): Promise<void>;
  /** Findings whose message shows another status or severity than theirs (resolved, reopened, muted, or a
   * severity override changed since it was drawn), except those with an undelivered mute.step row: that row
   * re-draws the message and tells the thread. */
  loadStatusChanges(now: string, limit: number): Promise<StatusChange[]>;
  /** The message now shows this status (and this severity, when given). */
  recordSynced(findings: readonly { id: number; status: FindingStatus; severity?: Severity }[], at: string): Promise<void>;
  recordSyncFailure(findingIds: readonly number[], error: string, nextAttemptAt: string): Promise<void>;
}

/** Users who opened the App Home: views.publish needs a user id, so refreshes after a scan go to them. */
export interface HomeViewers {
  remember(userId: string, at: string): Promise<void>;
  list(): Promise<string[]>;
}
