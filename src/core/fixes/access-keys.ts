import type { Evidence } from "../condition.js";
import type { CredentialReportRow } from "../snapshot.js";
import { FixNotApplicableError } from "./types.js";

/** One access key as ListAccessKeys + GetAccessKeyLastUsed describe it now (not the 4-hour-old report). */
export interface AccessKeyState {
  accessKeyId: string;
  status: "Active" | "Inactive";
  createDate: string;
  lastUsedDate: string | null;
  lastUsedRegion: string | null;
  lastUsedService: string | null;
}

/** A user's credentials read directly: what the access-key fixer changes and its verification reads. */
export interface UserCredentialsState {
  userName: string;
  userCreatedAt: string;
  passwordEnabled: boolean;
  passwordLastUsed: string | null;
  /** LoginProfile CreateDate: when the current console password was set. */
  passwordSetAt: string | null;
  mfaActive: boolean;
  /** Sorted by creation date: index 0 is slot 1, as in the credential report. */
  keys: AccessKeyState[];
  certificates: CredentialReportRow["certificates"];
}

/** Orders keys as the credential report numbers them (access_key_1 is the older key). */
export function sortKeysBySlot(keys: readonly AccessKeyState[]): AccessKeyState[] {
  return [...keys].sort((a, b) => a.createDate.localeCompare(b.createDate) || a.accessKeyId.localeCompare(b.accessKeyId));
}

/** The credential-report row the rules read, rebuilt from direct calls (report time = `now`). */
export function credentialsRowOf(state: UserCredentialsState, now: Date): CredentialReportRow {
  return {
    userCreationTime: state.userCreatedAt,
    passwordEnabled: state.passwordEnabled,
    passwordLastUsed: state.passwordLastUsed,
    passwordLastChanged: state.passwordSetAt,
    mfaActive: state.mfaActive,
    accessKeys: state.keys.slice(0, 2).map((key, index) => ({
      slot: index === 0 ? 1 : 2,
      active: key.status === "Active",
      lastRotated: key.createDate,
      lastUsedDate: key.lastUsedDate,
      lastUsedRegion: key.lastUsedRegion,
      lastUsedService: key.lastUsedService,
    })),
    certificates: state.certificates,
    reportGeneratedAt: now.toISOString(),
  };
}

const KEY_PATH = /^credentials\.accessKeys\[(\d+)\]/;

/**
 * The active keys a failing evaluation names (evidence paths `credentials.accessKeys[i]...`). Only
 * those are deactivated: a failure that is about the console password is not this fixer's to fix.
 */
export function planKeysToDeactivate(keys: readonly AccessKeyState[], evidence: readonly Evidence[]): AccessKeyState[] {
  const indexes = new Set(evidence.map((e) => KEY_PATH.exec(e.path)?.[1]).filter((i): i is string => i !== undefined).map(Number));
  const chosen = keys.filter((key, index) => indexes.has(index) && key.status === "Active");
  if (chosen.length === 0) throw new FixNotApplicableError("no active access key of this user fails the rule now (the failure, if any, is about the console password)");
  return chosen;
}

export function withKeyStatus(state: UserCredentialsState, ids: ReadonlySet<string>, status: AccessKeyState["status"]): UserCredentialsState {
  return { ...state, keys: state.keys.map((key) => (ids.has(key.accessKeyId) ? { ...key, status } : key)) };
}

/** The part of a user's credentials a key fix changes: statuses, not last-used dates that move on their own. */
export function keyStatuses(state: UserCredentialsState): Record<string, AccessKeyState["status"]> {
  return Object.fromEntries(state.keys.map((key) => [key.accessKeyId, key.status]));
}
