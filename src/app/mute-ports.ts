import type { AuditEntry } from "../core/finding-events.js";
import type { FindingStatus, LastResult } from "../core/findings.js";
import type { Mute, MuteState } from "../core/mutes.js";

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

export type MuteUpdate = Partial<Pick<Mute, "state" | "decidedBy" | "decidedAt" | "decisionComment" | "revokedBy" | "revokedAt" | "revokeReason">>;

/** Everything one mute step writes, in one transaction: the mute row, finding statuses, audit entries. */
export interface MuteWrite {
  insert?: Mute;
  /** Conditional: applied only while the mute is still in `from`, so a double click or a retry decides once. */
  update?: { id: string; from: MuteState; set: MuteUpdate };
  findings: FindingStatusChange[];
  audit: AuditEntry[];
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
  /** Records the request message's permalink once the approvals channel post is delivered. */
  persistMutePermalink(id: string, permalink: string): Promise<void>;
}
