-- Mute steps reach Slack through the outbox (issue 5): the transaction that decides, revokes or expires a
-- mute also queues its Slack updates, so nothing is lost while Slack is unreachable. Forward-only.

-- Where the request message is (its permalink alone may not parse), and the revoker's comment for the thread.
ALTER TABLE mutes ADD COLUMN request_channel TEXT;
ALTER TABLE mutes ADD COLUMN request_ts TEXT;
ALTER TABLE mutes ADD COLUMN revoke_comment TEXT;

-- The finding an outbox row tells about (kind 'mute.step' thread replies): while one is undelivered the
-- level-triggered status sync leaves that finding's message alone, so its thread gets the detailed reply once.
ALTER TABLE outbox ADD COLUMN finding_id INTEGER REFERENCES findings (id);
CREATE INDEX outbox_pending_by_finding ON outbox (finding_id) WHERE sent_at IS NULL AND finding_id IS NOT NULL;
