-- The severity a finding's Slack message shows (severity overrides can change it between scans). The status
-- sync edits every message whose finding's severity differs from it, like shown_status (level-triggered),
-- and tells the change once in the thread. Existing messages are taken to show their finding's current
-- severity: nothing is re-told on upgrade. Forward-only.
ALTER TABLE slack_messages ADD COLUMN shown_severity TEXT CHECK (shown_severity IN ('critical', 'high', 'medium', 'low', 'info'));
UPDATE slack_messages SET shown_severity = (SELECT f.severity FROM findings f WHERE f.id = slack_messages.finding_id);
