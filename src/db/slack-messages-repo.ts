import { z } from "zod";
import { muteNoticeKey, type MuteNotice } from "../app/mute-ports.js";
import type { DeliveryStore, FindingMute, MessageRef, MuteStepItem, OutboxItem, StatusChange, StoredFindingView } from "../app/slack-ports.js";
import type { FindingStatus } from "../core/findings.js";
import { MUTE_REASONS } from "../core/mutes.js";
import type { Severity } from "../core/rule.js";
import { evidenceColumn, parseJsonColumn, stringsColumn, tagsColumn } from "./json-columns.js";
import { loadMute, loadMuteRequestRef, persistMutePermalink } from "./mutes-repo.js";
import type { Db } from "./open.js";

/** The part of an outbox payload delivery needs; the rest is re-read from the finding (it may have moved on). */
const payloadColumn = z.looseObject({ findingId: z.number().int().positive(), transition: z.enum(["new", "reopened"]) });

interface OutboxRow { id: number; idempotency_key: string; channel: string | null; payload: string; attempts: number }

function loadDueOutbox(db: Db, now: string, limit: number): OutboxItem[] {
  const rows = db.prepare(`SELECT id, idempotency_key, channel, payload, attempts FROM outbox
    WHERE sent_at IS NULL AND next_attempt_at <= ? AND kind = 'finding.transition' ORDER BY id LIMIT ?`).all(now, limit) as OutboxRow[];
  return rows.map((r) => {
    const payload = parseJsonColumn(payloadColumn, r.payload, `outbox(${r.id}).payload`);
    return { id: r.id, idempotencyKey: r.idempotency_key, channel: r.channel, findingId: payload.findingId, transition: payload.transition, attempts: r.attempts };
  });
}

const step = z.enum(["requested", "approved", "denied", "revoked", "expired"]);
const muteNoticeColumn: z.ZodType<MuteNotice> = z.discriminatedUnion("target", [
  z.object({ muteId: z.string(), step, target: z.literal("request"), channel: z.string().optional() }),
  z.object({ muteId: z.string(), step, target: z.literal("thread"), findingId: z.number().int().positive(), status: z.enum(["open", "resolved", "muted"]) }),
]);

function loadDueMuteSteps(db: Db, now: string, limit: number): MuteStepItem[] {
  const rows = db.prepare(`SELECT id, payload, attempts FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= ? AND kind = 'mute.step' ORDER BY id LIMIT ?`)
    .all(now, limit) as { id: number; payload: string; attempts: number }[];
  return rows.map((r) => ({ id: r.id, attempts: r.attempts, notice: parseJsonColumn(muteNoticeColumn, r.payload, `outbox(${r.id}).payload`) }));
}

interface ViewRow {
  id: number; rule_id: string; severity: Severity; status: FindingStatus; team: string | null; owner_reason: string; resource_arn: string;
  resource_type: string; resource_name: string; account_id: string; region: string; tags: string | null; evidence: string; qualifiers: string;
  first_seen: string; resolved_at: string | null; resolved_reason: string | null; reopen_count: number; rule_severity: Severity | null; severity_reason: string | null;
  mute_id: string | null; mute_state: string | null; mute_decided_by: string | null; mute_reason: string | null; mute_expires_at: string | null;
  pending_id: string | null; pending_by: string | null;
}

const reasonColumn = z.enum(MUTE_REASONS);

function findingMuteOf(r: ViewRow): FindingMute | undefined {
  if (r.status === "muted" && r.mute_id && r.mute_state === "approved") {
    return { kind: "active", muteId: r.mute_id, approvedBy: r.mute_decided_by ?? "", reason: reasonColumn.parse(r.mute_reason), until: r.mute_expires_at };
  }
  return r.pending_id && r.pending_by ? { kind: "pending", muteId: r.pending_id, requestedBy: r.pending_by } : undefined;
}

function loadFindingViews(db: Db, ids: readonly number[]): Map<number, StoredFindingView> {
  const select = db.prepare(`SELECT f.*, r.tags AS tags, m.state AS mute_state, m.decided_by AS mute_decided_by, m.reason AS mute_reason, m.expires_at AS mute_expires_at,
      p.id AS pending_id, p.requested_by AS pending_by
    FROM findings f LEFT JOIN resources r ON r.arn = f.resource_arn LEFT JOIN mutes m ON m.id = f.mute_id
      LEFT JOIN mutes p ON p.finding_id = f.id AND p.state = 'pending' AND p.scope_kind = 'finding'
    WHERE f.id = ?`);
  const views = new Map<number, StoredFindingView>();
  for (const id of ids) {
    const r = select.get(id) as ViewRow | undefined;
    if (!r) continue;
    const where = `findings(${r.id})`;
    views.set(r.id, {
      id: r.id, ruleId: r.rule_id, severity: r.severity, status: r.status, team: r.team, ownerReason: r.owner_reason,
      resource: { arn: r.resource_arn, type: r.resource_type, name: r.resource_name, accountId: r.account_id, region: r.region, tags: parseJsonColumn(tagsColumn, r.tags, `resources(${r.resource_arn}).tags`) },
      evidence: parseJsonColumn(evidenceColumn, r.evidence, `${where}.evidence`), qualifiers: parseJsonColumn(stringsColumn, r.qualifiers, `${where}.qualifiers`),
      firstSeen: r.first_seen, resolvedAt: r.resolved_at, resolvedReason: r.resolved_reason, reopenCount: r.reopen_count,
    });
    const mute = findingMuteOf(r);
    if (mute) views.get(r.id)!.mute = mute;
    if (r.rule_severity && r.severity_reason !== null) views.get(r.id)!.severityOverride = { ruleSeverity: r.rule_severity, reason: r.severity_reason };
  }
  return views;
}

function recordPosted(db: Db, record: Parameters<DeliveryStore["recordPosted"]>[0], at: string): void {
  const insert = db.prepare(`INSERT INTO slack_messages (finding_id, channel, ts, rule_id, grouped, shown_status, shown_severity, intended_channel, outbox_id, posted_at)
    VALUES (@findingId, @channel, @ts, @ruleId, @grouped, @status, @severity, @intended, @outboxId, @at)
    ON CONFLICT (finding_id) DO UPDATE SET channel = excluded.channel, ts = excluded.ts, rule_id = excluded.rule_id, grouped = excluded.grouped,
      shown_status = excluded.shown_status, shown_severity = excluded.shown_severity, intended_channel = excluded.intended_channel, outbox_id = excluded.outbox_id, posted_at = excluded.posted_at,
      synced_at = NULL, sync_attempts = 0, next_sync_at = NULL, last_error = NULL`);
  const sent = db.prepare("UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ? AND sent_at IS NULL");
  db.transaction(() => {
    record.findings.forEach((finding, i) => insert.run({
      findingId: finding.id, channel: record.ref.channel, ts: record.ref.ts, ruleId: finding.ruleId, grouped: record.grouped ? 1 : 0,
      status: finding.status, severity: finding.severity, intended: record.intendedChannel, outboxId: record.outboxIds[i] ?? null, at,
    }));
    for (const id of record.outboxIds) sent.run(at, id);
  }).immediate();
}

function recordOutboxDone(db: Db, ids: readonly number[], at: string, note?: string): void {
  const done = db.prepare("UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = ? WHERE id = ? AND sent_at IS NULL");
  db.transaction(() => ids.forEach((id) => done.run(at, note ?? null, id))).immediate();
}

function recordOutboxFailure(db: Db, ids: readonly number[], error: string, nextAttemptAt: string): void {
  const failed = db.prepare("UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ? AND sent_at IS NULL");
  db.transaction(() => ids.forEach((id) => failed.run(error.slice(0, 500), nextAttemptAt, id))).immediate();
}

function loadStatusChanges(db: Db, now: string, limit: number): StatusChange[] {
  // slack_messages holds the posted findings only (thousands, not the million stored): scanning it is cheap.
  // A NULL shown_severity (a row written by an older build) is taken as showing the current severity.
  const rows = db.prepare(`SELECT m.finding_id AS findingId, m.channel, m.ts, m.shown_status AS shownStatus, f.status,
      coalesce(m.shown_severity, f.severity) AS shownSeverity, f.severity, m.sync_attempts AS attempts
    FROM slack_messages m JOIN findings f ON f.id = m.finding_id
    WHERE (f.status <> m.shown_status OR f.severity <> coalesce(m.shown_severity, f.severity)) AND (m.next_sync_at IS NULL OR m.next_sync_at <= ?)
      AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.finding_id = m.finding_id AND o.sent_at IS NULL AND o.kind = 'mute.step') ORDER BY m.channel, m.ts, m.finding_id LIMIT ?`).all(now, limit) as
    { findingId: number; channel: string; ts: string; shownStatus: FindingStatus; status: FindingStatus; shownSeverity: Severity; severity: Severity; attempts: number }[];
  return rows.map((r) => ({ findingId: r.findingId, ref: { channel: r.channel, ts: r.ts }, shownStatus: r.shownStatus, status: r.status,
    shownSeverity: r.shownSeverity, severity: r.severity, attempts: r.attempts }));
}

function recordSynced(db: Db, findings: readonly { id: number; status: FindingStatus; severity?: Severity }[], at: string): void {
  const synced = db.prepare(`UPDATE slack_messages SET shown_status = ?, shown_severity = coalesce(?, shown_severity), synced_at = ?, sync_attempts = 0,
    next_sync_at = NULL, last_error = NULL WHERE finding_id = ?`);
  db.transaction(() => findings.forEach((f) => synced.run(f.status, f.severity ?? null, at, f.id))).immediate();
}

function recordSyncFailure(db: Db, ids: readonly number[], error: string, nextAt: string): void {
  const failed = db.prepare("UPDATE slack_messages SET sync_attempts = sync_attempts + 1, last_error = ?, next_sync_at = ? WHERE finding_id = ?");
  db.transaction(() => ids.forEach((id) => failed.run(error.slice(0, 500), nextAt, id))).immediate();
}

function messageOf(db: Db, findingId: number): MessageRef | undefined {
  return db.prepare("SELECT channel, ts FROM slack_messages WHERE finding_id = ?").get(findingId) as MessageRef | undefined;
}

function findingsOfMessage(db: Db, ref: MessageRef): number[] {
  return (db.prepare("SELECT finding_id AS id FROM slack_messages WHERE channel = ? AND ts = ? ORDER BY finding_id").all(ref.channel, ref.ts) as { id: number }[]).map((r) => r.id);
}

/** The DeliveryStore port on a SQLite connection (each write its own short synchronous transaction). */
export function createSqliteDeliveryStore(db: Db): DeliveryStore {
  return {
    loadDueOutbox: async (now, limit) => loadDueOutbox(db, now, limit),
    loadDueMuteSteps: async (now, limit) => loadDueMuteSteps(db, now, limit),
    loadMute: async (id) => loadMute(db, id),
    muteRequestRef: async (id) => loadMuteRequestRef(db, id),
    recordMuteRequestPosted: async (id, ref, permalink) => persistMutePermalink(db, id, permalink, ref),
    hasPendingMuteRequest: async (id) => db.prepare("SELECT 1 FROM outbox WHERE idempotency_key = ? AND sent_at IS NULL").get(muteNoticeKey({ muteId: id, step: "requested", target: "request" })) !== undefined,
    loadFindingViews: async (ids) => loadFindingViews(db, ids),
    messageOf: async (id) => messageOf(db, id),
    findingsOfMessage: async (ref) => findingsOfMessage(db, ref),
    recordPosted: async (record, at) => recordPosted(db, record, at),
    recordOutboxDone: async (ids, at, note) => recordOutboxDone(db, ids, at, note),
    recordOutboxFailure: async (ids, error, next) => recordOutboxFailure(db, ids, error, next),
    loadStatusChanges: async (now, limit) => loadStatusChanges(db, now, limit),
    recordSynced: async (findings, at) => recordSynced(db, findings, at),
    recordSyncFailure: async (ids, error, next) => recordSyncFailure(db, ids, error, next),
  };
}
