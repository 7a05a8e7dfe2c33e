-- Slack delivery (issue 4). Forward-only.

-- Where each finding is shown in Slack. Grouped messages (one per rule and channel) share channel + ts.
-- shown_status is what the message currently says: the status sync edits every message whose finding's
-- status differs from it (level-triggered, so a crash between a scan and the sync loses no update).
CREATE TABLE slack_messages (
  finding_id INTEGER PRIMARY KEY REFERENCES findings (id),
  channel TEXT NOT NULL,
  ts TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  grouped INTEGER NOT NULL CHECK (grouped IN (0, 1)),
  shown_status TEXT NOT NULL CHECK (shown_status IN ('open', 'resolved', 'muted')),
  -- The channel the finding was routed to when it differs from where it was posted (bot not invited there).
  intended_channel TEXT,
  outbox_id INTEGER REFERENCES outbox (id),
  posted_at TEXT NOT NULL,
  synced_at TEXT,
  sync_attempts INTEGER NOT NULL DEFAULT 0,
  next_sync_at TEXT,
  last_error TEXT
) STRICT;
CREATE INDEX slack_messages_by_message ON slack_messages (channel, ts);

-- Users who opened the App Home: their Home view is republished after each scan (views.publish needs a user).
CREATE TABLE slack_home_viewers (
  user_id TEXT PRIMARY KEY,
  last_opened_at TEXT NOT NULL
) STRICT;
