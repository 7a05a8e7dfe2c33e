import { z } from "zod";
import type { FindingStatusChange, MuteFinding, MuteStore, MuteWrite } from "../app/mute-ports.js";
import { countRowDeltas, muteCountDelta, type CountedFinding } from "../core/mute-score.js";
import type { Mute, MuteScope, MuteState, RevokeReason } from "../core/mutes.js";
import { emptyTally } from "../core/score.js";
import { createAuditWriter } from "./audit-repo.js";
import { createMuteNoticeWriter } from "./outbox-repo.js";
import type { Db } from "./open.js";
import { loadCurrentTallies, persistScoreSnapshots } from "./scans-repo.js";

interface MuteRow {
  id: string; scope: string; finding_id: number; team: string | null; reason: Mute["reason"]; justification: string; expires_at: string | null;
  state: MuteState; requested_by: string; requested_at: string; decided_by: string | null; decided_at: string | null; decision_comment: string | null;
  revoked_by: string | null; revoked_at: string | null; revoke_reason: RevokeReason | null; revoke_comment: string | null; permalink: string | null;
}

// The scope column is JSON: parsed at the edge (STYLE 8), so a hand-edited row fails loudly here.
const scopeSchema: z.ZodType<MuteScope> = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("finding"), findingId: z.number().int(), ruleId: z.string(), resourceArn: z.string() }),
  z.object({ kind: z.literal("rule_tag"), ruleId: z.string(), tag: z.object({ key: z.string(), value: z.string() }), team: z.string().nullable() }),
]);

function muteOf(r: MuteRow): Mute {
  return {
    id: r.id, scope: scopeSchema.parse(JSON.parse(r.scope)), findingId: r.finding_id, team: r.team, reason: r.reason, justification: r.justification,
    expiresAt: r.expires_at, state: r.state, requestedBy: r.requested_by, requestedAt: r.requested_at, decidedBy: r.decided_by, decidedAt: r.decided_at,
    decisionComment: r.decision_comment, revokedBy: r.revoked_by, revokedAt: r.revoked_at, revokeReason: r.revoke_reason, revokeComment: r.revoke_comment, permalink: r.permalink,
  };
}

export function loadMute(db: Db, id: string): Mute | undefined {
  const row = db.prepare("SELECT * FROM mutes WHERE id = ?").get(id) as MuteRow | undefined;
  return row && muteOf(row);
}

export function loadMutesByState(db: Db, states: readonly MuteState[]): Mute[] {
  const rows = db.prepare(`SELECT * FROM mutes WHERE state IN (${states.map(() => "?").join(", ")}) ORDER BY requested_at, id`).all(...states) as MuteRow[];
  return rows.map(muteOf);
}

export function loadPendingMuteForFinding(db: Db, findingId: number): Mute | undefined {
  const row = db.prepare("SELECT * FROM mutes WHERE finding_id = ? AND state = 'pending' AND scope_kind = 'finding'").get(findingId) as MuteRow | undefined;
  return row && muteOf(row);
}

const tagsSchema = z.record(z.string(), z.string()).nullable();
interface FindingJoinRow { id: number; rule_id: string; resource_arn: string; team: string | null; status: MuteFinding["status"]; last_result: MuteFinding["lastResult"]; mute_id: string | null; tags: string | null }
const findingOf = (r: FindingJoinRow): MuteFinding => ({
  id: r.id, ruleId: r.rule_id, resourceArn: r.resource_arn, team: r.team, status: r.status, lastResult: r.last_result, muteId: r.mute_id,
  tags: tagsSchema.parse(r.tags === null ? null : JSON.parse(r.tags)),
});
const FINDING_SELECT = `SELECT f.id, f.rule_id, f.resource_arn, f.team, f.status, f.last_result, f.mute_id, r.tags FROM findings f JOIN resources r ON r.arn = f.resource_arn`;

export function loadMuteFinding(db: Db, findingId: number): MuteFinding | undefined {
  const row = db.prepare(`${FINDING_SELECT} WHERE f.id = ?`).get(findingId) as FindingJoinRow | undefined;
  return row && findingOf(row);
}

/** The findings of one rule (a rule + tag scope is matched against them in code: tags are JSON). */
export function loadMuteFindingsOfRule(db: Db, ruleId: string): MuteFinding[] {
  return (db.prepare(`${FINDING_SELECT} WHERE f.rule_id = ?`).all(ruleId) as FindingJoinRow[]).map(findingOf);
}

export function loadFindingsHeldBy(db: Db, muteId: string): MuteFinding[] {
  return (db.prepare(`${FINDING_SELECT} WHERE f.mute_id = ?`).all(muteId) as FindingJoinRow[]).map(findingOf);
}

const COLUMN: Record<string, string> = { state: "state", decidedBy: "decided_by", decidedAt: "decided_at", decisionComment: "decision_comment", revokedBy: "revoked_by", revokedAt: "revoked_at", revokeReason: "revoke_reason", revokeComment: "revoke_comment" };

export interface MuteStoreOptions {
  /**
   * The frameworks a rule maps to (`frameworksOfRules(catalog.rules)`), for the counts a mute ending
   * creates again. Without it (or for a rule it does not know) they are read from the stored counts.
   */
  frameworksOf?: (ruleId: string) => readonly string[] | undefined;
}

/** Applies a mute step; false when the conditional update found the mute no longer in `from` (nothing written). */
export function persistMuteWrite(db: Db, write: MuteWrite, options: MuteStoreOptions = {}): boolean {
  return db.transaction((): boolean => {
    const audit = createAuditWriter(db);
    if (write.update) {
      const sets = Object.keys(write.update.set).map((key) => `${COLUMN[key]} = @${key}`).join(", ");
      const changed = db.prepare(`UPDATE mutes SET ${sets} WHERE id = @id AND state = @from`).run({ ...write.update.set, id: write.update.id, from: write.update.from }).changes;
      if (changed === 0) return false;
    }
    // A second submit racing the first meets mutes_one_pending_per_finding: ignored, reported as lost.
    if (write.insert && !insertMute(db, write.insert)) return false;
    const setStatus = db.prepare(`UPDATE findings SET status = @to, mute_id = @muteId,
        resolved_at = CASE WHEN @to = 'resolved' THEN @at ELSE resolved_at END,
        resolved_reason = CASE WHEN @to = 'resolved' THEN (CASE last_result WHEN 'deleted' THEN 'resource deleted' ELSE 'passed' END) ELSE resolved_reason END,
        opened_at = CASE WHEN @to = 'resolved' THEN NULL ELSE opened_at END
      WHERE id = @findingId AND status = @from`);
    const adjustCounts = createCountAdjuster(db, options.frameworksOf);
    for (const change of write.findings) {
      // A scan that changed the finding since it was read wins: its status and its counts stay as they are.
      if (setStatus.run({ ...change, at: write.at }).changes === 1) adjustCounts(change);
    }
    refreshTodaysSnapshots(db, adjustCounts.scopes(), write.at);
    write.audit.forEach(audit);
    const queue = createMuteNoticeWriter(db, write.at);
    for (const notice of write.notices ?? []) queue(notice);
    return true;
  }).immediate();
}

/**
 * Keeps the current counts (`account_latest` x `scan_counts`) equal to the latest scan's evaluations
 * minus the findings muted now, so a mute leaves the score when approved and counts again when it ends.
 * A row created here takes the finding's own severity, and a row left with nothing counted is deleted,
 * as the scan would never have written it.
 */
function createCountAdjuster(db: Db, frameworksOf: MuteStoreOptions["frameworksOf"]): ((change: FindingStatusChange) => void) & { scopes(): Set<string> } {
  const finding = db.prepare(`SELECT f.account_id AS accountId, f.rule_id AS ruleId, f.team, f.severity, f.last_result AS lastResult, f.last_scan_id AS lastScanId,
      a.scan_id AS latestScanId FROM findings f LEFT JOIN account_latest a ON a.account_id = f.account_id WHERE f.id = ?`);
  // Matched by the finding's severity too: where a severity override splits a rule's counts, the finding
  // was counted under its own (effective) severity. Without ON CONFLICT, so the key's exact columns do not matter.
  const key = "scan_id = @scanId AND account_id = @accountId AND scope = @scope AND rule_id = @ruleId AND severity = @severity";
  const update = db.prepare(`UPDATE scan_counts SET pass = MAX(pass + @pass, 0), fail = MAX(fail + @fail, 0) WHERE ${key}`);
  const insert = db.prepare(`INSERT OR IGNORE INTO scan_counts (scan_id, account_id, scope, rule_id, severity, pass, fail, not_evaluated)
    VALUES (@scanId, @accountId, @scope, @ruleId, @severity, @pass, @fail, 0)`);
  const dropEmpty = db.prepare(`DELETE FROM scan_counts WHERE ${key} AND pass = 0 AND fail = 0 AND not_evaluated = 0`);
  const frameworksOfRule = createFrameworkLookup(db, frameworksOf);
  const scopes = new Set<string>();
  const adjust = (change: FindingStatusChange) => {
    const row = finding.get(change.findingId) as (CountedFinding & { latestScanId: string | null }) | undefined;
    if (!row || row.latestScanId === null) return;
    const delta = muteCountDelta(row, change, row.latestScanId);
    if (!delta) return;
    for (const target of countRowDeltas(row, row.latestScanId, delta, frameworksOfRule(row.ruleId, row.latestScanId, row.accountId))) {
      // A missing row is created for a count that comes back only: a decrement always finds the row it counted in.
      if (update.run(target).changes === 0 && target.pass >= 0 && target.fail >= 0) insert.run(target);
      dropEmpty.run(target);
      scopes.add(target.scope);
    }
  };
  return Object.assign(adjust, { scopes: () => scopes });
}

/**
 * The frameworks of the rows a finding's delta lands on. The rule's framework rows in that scan and
 * account when they exist (exactly the ones the scan bumped); else (every evaluation of the rule there was
 * muted) the catalog's mapping, or without one those of the latest scan that counted the rule anywhere.
 * None known at all: the org and team rows only, until the next scan recounts.
 */
function createFrameworkLookup(db: Db, frameworksOf: MuteStoreOptions["frameworksOf"]): (ruleId: string, scanId: string, accountId: string) => readonly string[] {
  const here = db.prepare(`SELECT DISTINCT substr(scope, 11) FROM scan_counts WHERE scan_id = ? AND account_id = ? AND rule_id = ? AND scope LIKE 'framework:%' ORDER BY 1`).pluck();
  const latest = db.prepare(`SELECT DISTINCT substr(scope, 11) FROM scan_counts WHERE rule_id = @ruleId AND scope LIKE 'framework:%' AND scan_id = (
      SELECT c.scan_id FROM scan_counts c JOIN scans s ON s.id = c.scan_id WHERE c.rule_id = @ruleId AND c.scope LIKE 'framework:%' ORDER BY s.finished_at DESC LIMIT 1)
    ORDER BY 1`).pluck();
  return (ruleId, scanId, accountId) => {
    const counted = here.all(scanId, accountId, ruleId) as string[];
    if (counted.length > 0) return counted;
    return frameworksOf?.(ruleId) ?? (latest.all({ ruleId }) as string[]);
  };
}

/**
 * Today's trend point of each adjusted scope is recomputed, as the scan computes it, when a scan already
 * wrote today's points (it keeps that scan's id); a day without a scan gets its point from the next one.
 */
function refreshTodaysSnapshots(db: Db, scopes: ReadonlySet<string>, at: string): void {
  if (scopes.size === 0) return;
  const today = db.prepare("SELECT scan_id FROM score_snapshots WHERE day = ? ORDER BY updated_at DESC LIMIT 1").get(at.slice(0, 10)) as { scan_id: string } | undefined;
  if (!today) return;
  const tallies = loadCurrentTallies(db);
  persistScoreSnapshots(db, new Map([...scopes].map((scope) => [scope, tallies.get(scope) ?? emptyTally()])), today.scan_id, at);
}

function insertMute(db: Db, m: Mute): boolean {
  return db.prepare(`INSERT OR IGNORE INTO mutes (id, scope_kind, scope, rule_id, finding_id, team, reason, justification, expires_at, state, requested_by, requested_at, permalink)
    VALUES (@id, @kind, @scope, @ruleId, @findingId, @team, @reason, @justification, @expiresAt, @state, @requestedBy, @requestedAt, @permalink)`).run({
    id: m.id, kind: m.scope.kind, scope: JSON.stringify(m.scope), ruleId: m.scope.ruleId, findingId: m.findingId, team: m.team, reason: m.reason,
    justification: m.justification, expiresAt: m.expiresAt, state: m.state, requestedBy: m.requestedBy, requestedAt: m.requestedAt, permalink: m.permalink,
  }).changes === 1;
}

export function persistMutePermalink(db: Db, id: string, permalink: string, message?: { channel: string; ts: string }): void {
  db.prepare("UPDATE mutes SET permalink = ?, request_channel = coalesce(?, request_channel), request_ts = coalesce(?, request_ts) WHERE id = ?")
    .run(permalink, message?.channel ?? null, message?.ts ?? null, id);
}

/** Where a mute's request message is: stored at posting, else read from its permalink (…/archives/C123/p1700000000000100). */
export function loadMuteRequestRef(db: Db, id: string): { channel: string; ts: string } | undefined {
  const row = db.prepare("SELECT request_channel, request_ts, permalink FROM mutes WHERE id = ?").get(id) as { request_channel: string | null; request_ts: string | null; permalink: string | null } | undefined;
  if (!row) return undefined;
  if (row.request_channel && row.request_ts) return { channel: row.request_channel, ts: row.request_ts };
  const match = /\/archives\/([A-Z0-9]+)\/p(\d{10})(\d{6})/.exec(row.permalink ?? "");
  return match ? { channel: match[1]!, ts: `${match[2]}.${match[3]}` } : undefined;
}

/** The MuteStore port on a SQLite connection. */
export function createSqliteMuteStore(db: Db, options: MuteStoreOptions = {}): MuteStore {
  return {
    loadMute: async (id) => loadMute(db, id),
    loadMutes: async (states) => loadMutesByState(db, states),
    loadPendingMuteForFinding: async (findingId) => loadPendingMuteForFinding(db, findingId),
    loadFinding: async (findingId) => loadMuteFinding(db, findingId),
    loadFindingsOfRule: async (ruleId) => loadMuteFindingsOfRule(db, ruleId),
    loadFindingsHeldBy: async (muteId) => loadFindingsHeldBy(db, muteId),
    persistMuteWrite: async (write) => persistMuteWrite(db, write, options),
    appendAudit: async (entry) => createAuditWriter(db)(entry),
    persistMutePermalink: async (id, permalink, message) => persistMutePermalink(db, id, permalink, message),
  };
}
