-- Severity overrides (posture.config.yml `severityOverrides`): a finding's `severity` is its effective
-- severity; when an override set it, the rule's own severity and the override's reason are kept for display.
-- Both NULL: the severity is the rule's own. Forward-only.
ALTER TABLE findings ADD COLUMN rule_severity TEXT CHECK (rule_severity IN ('critical', 'high', 'medium', 'low', 'info'));
ALTER TABLE findings ADD COLUMN severity_reason TEXT;

-- One rule in one account and scope can now count under two severities (a tag-scoped override): the
-- severity joins the key of the stored counts. SQLite cannot change a primary key in place: rebuild.
CREATE TABLE scan_counts_by_severity (
  scan_id TEXT NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
  account_id TEXT NOT NULL,
  scope TEXT NOT NULL, -- org | unowned | team:<handle> | framework:<id>
  rule_id TEXT NOT NULL,
  severity TEXT NOT NULL,
  pass INTEGER NOT NULL,
  fail INTEGER NOT NULL,
  not_evaluated INTEGER NOT NULL,
  PRIMARY KEY (scan_id, account_id, scope, rule_id, severity)
) STRICT;
INSERT INTO scan_counts_by_severity (scan_id, account_id, scope, rule_id, severity, pass, fail, not_evaluated)
  SELECT scan_id, account_id, scope, rule_id, severity, pass, fail, not_evaluated FROM scan_counts;
DROP TABLE scan_counts;
ALTER TABLE scan_counts_by_severity RENAME TO scan_counts;
CREATE INDEX scan_counts_by_scope ON scan_counts (scope, account_id, scan_id);
