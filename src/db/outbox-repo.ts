import { muteNoticeKey, type MuteNotice } from "../app/mute-ports.js";
import type { OutboxMessage } from "../core/finding-events.js";
import type { Db } from "./open.js";

/**
 * Queues Slack posts. The idempotency key is UNIQUE and a duplicate insert is ignored, so replaying
 * the same event (a restarted scan) never queues, and so never posts, twice. Returns true when queued.
 */
export function createOutboxWriter(db: Db, now: string): (message: OutboxMessage) => boolean {
  const insert = db.prepare(`INSERT INTO outbox (idempotency_key, kind, channel, payload, next_attempt_at, created_at)
    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`);
  return (message) => insert.run(message.idempotencyKey, message.kind, message.channel, JSON.stringify(message.payload), now, now).changes === 1;
}

/** Queues the Slack updates a mute step owes (call inside the step's transaction); a replayed step queues nothing. */
export function createMuteNoticeWriter(db: Db, now: string): (notice: MuteNotice) => boolean {
  const insert = db.prepare(`INSERT INTO outbox (idempotency_key, kind, channel, payload, next_attempt_at, created_at, finding_id)
    VALUES (?, 'mute.step', NULL, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`);
  return (notice) => insert.run(muteNoticeKey(notice), JSON.stringify(notice), now, now, notice.target === "thread" ? notice.findingId : null).changes === 1;
}
