import type { AuditEntry } from "../core/finding-events.js";
import type { FindingStatus, LastResult } from "../core/findings.js";
import type { Mute, MuteState, MuteStep } from "../core/mutes.js";

/** What the mute use cases need to know about a finding: its lifecycle state, team and resource tags. */
export interface MuteFinding {
  id: number;
  ruleId: string;
  resourceArn: string;
  team: string | null;
  status: FindingStatus;
  lastResult: LastResult;
  /** The mute holding it muted, if any. */
  muteId: string | null;
  /** The resource's collected tags; null when they were not collected. */
  tags: Record<string, string> | null;
}

/** One status change of a finding caused by a mute starting or ending. */
export interface FindingStatusChange {
  findingId: number;
  from: FindingStatus;
  to: FindingStatus;
  /** The mute that holds the finding afterwards (null: none). */
  muteId: string | null;
}

export type MuteUpdate = Partial<Pick<Mute, "state" | "decidedBy" | "decidedAt" | "decisionComment" | "revokedBy" | "revokedAt" | "revokeReason" | "revokeComment">>;

/**
 * A Slack update one mute step owes: the request message in the approvals channel re-drawn, or one
 * finding's message re-drawn with a thread reply saying who did what and why. Queued in the outbox in
 * the step's own transaction (the database is the source of truth), delivered and retried later.
 */
export type MuteNotice =
  | { muteId: string; step: MuteStep; target: "request"; /** Where a new request is posted (the approvals channel). */ channel?: string }
  | { muteId: string; step: MuteStep; target: "thread"; findingId: number; status: FindingStatus };

/** The outbox idempotency key of a notice: a replayed step never queues (so never posts) twice. */
export function muteNoticeKey(notice: MuteNotice): string {
  return `mute:${notice.muteId}:${notice.step}:${notice.target === "request" ? "request" : notice.findingId}`;
}

/** Everything one mute step writes, in one transaction: the mute row, finding statuses, audit entries. */
export interface MuteWrite {
  insert?: Mute;
  /** Conditional: applied only while the mute is still in `from`, so a double click or a retry decides once. */
  update?: { id: string; from: MuteState; set: MuteUpdate };
  findings: FindingStatusChange[];
  audit: AuditEntry[];
  /** Slack updates queued in the same transaction (none for a request: it is posted at once). */
  notices?: MuteNotice[];
  at: string;
}

/** The mutes port (DESIGN 6): src/db implements it on SQLite. */
export interface MuteStore {
  loadMute(id: string): Promise<Mute | undefined>;
  loadMutes(states: readonly MuteState[]): Promise<Mute[]>;
  loadPendingMuteForFinding(findingId: number): Promise<Mute | undefined>;
  loadFinding(findingId: number): Promise<MuteFinding | undefined>;
  loadFindingsOfRule(ruleId: string): Promise<MuteFinding[]>;
  loadFindingsHeldBy(muteId: string): Promise<MuteFinding[]>;
  /** False when the conditional update lost (the mute had already left `from`): nothing was written. */
  persistMuteWrite(write: MuteWrite): Promise<boolean>;
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Records the request message's permalink (and where it is, so later steps can re-draw it) once posted. */
  persistMutePermalink(id: string, permalink: string, message?: { channel: string; ts: string }): Promise<void>;
}
