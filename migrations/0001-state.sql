-- Posture state (issue 3). Forward-only: later issues add mutes, fix_runs and slack_messages in new files.
-- Times are ISO-8601 UTC strings (toISOString), so they sort and compare as text.

CREATE TABLE scans (
  id TEXT PRIMARY KEY,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  persisted_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('completed', 'partial', 'failed')),
  trigger TEXT NOT NULL,
  -- 'all': every enabled rule was evaluated, so the scan's counts feed the score; 'subset': --rule / --severity.
  rule_scope TEXT NOT NULL CHECK (rule_scope IN ('all', 'subset')),
  rule_count INTEGER NOT NULL,
  resource_count INTEGER NOT NULL,
  evaluations INTEGER NOT NULL,
  pass_count INTEGER NOT NULL,
  fail_count INTEGER NOT NULL,
  not_evaluated_count INTEGER NOT NULL
) STRICT;
CREATE INDEX scans_by_time ON scans (finished_at);

-- Per-account coverage of a scan: collection status, errors and what could not be evaluated.
CREATE TABLE scan_accounts (
  scan_id TEXT NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
  account_id TEXT NOT NULL,
  name TEXT,
  status TEXT NOT NULL CHECK (status IN ('ok', 'partial', 'failed')),
  resource_count INTEGER NOT NULL,
  error_count INTEGER NOT NULL,
  not_evaluated_count INTEGER NOT NULL,
  errors TEXT NOT NULL, -- JSON: the first collection errors (bounded)
  PRIMARY KEY (scan_id, account_id)
) STRICT;

CREATE TABLE resources (
  arn TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  tags TEXT, -- JSON object; NULL when tags were not collected or the call failed
  team TEXT, -- NULL: unowned
  owner_reason TEXT NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  last_scan_id TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX resources_live_by_account ON resources (account_id, last_scan_id) WHERE deleted_at IS NULL;

CREATE TABLE findings (
  id INTEGER PRIMARY KEY,
  rule_id TEXT NOT NULL,
  resource_arn TEXT NOT NULL REFERENCES resources (arn),
  account_id TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  resource_name TEXT NOT NULL,
  region TEXT NOT NULL,
  team TEXT,
  owner_reason TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low', 'info')),
  severity_rank INTEGER NOT NULL, -- 0 = critical ... 4 = info: the listing order
  status TEXT NOT NULL CHECK (status IN ('open', 'resolved', 'muted')),
  last_result TEXT NOT NULL CHECK (last_result IN ('pass', 'fail', 'deleted')),
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  opened_at TEXT, -- start of the current open period
  resolved_at TEXT,
  resolved_reason TEXT,
  reopen_count INTEGER NOT NULL DEFAULT 0,
  exposure_seconds INTEGER NOT NULL DEFAULT 0, -- time open in earlier, closed periods
  evidence TEXT NOT NULL, -- JSON array of {path, expected, observed}
  qualifiers TEXT NOT NULL, -- JSON array of strings
  rule_version TEXT NOT NULL,
  last_scan_id TEXT NOT NULL,
  UNIQUE (rule_id, resource_arn)
) STRICT;
-- Keyset listings: /posture findings [team] [severity] [rule] [status], most severe first.
CREATE INDEX findings_by_status ON findings (status, severity_rank, id);
CREATE INDEX findings_by_team ON findings (status, team, severity_rank, id);
CREATE INDEX findings_by_rule ON findings (status, rule_id, severity_rank, id);
CREATE INDEX findings_by_resource ON findings (resource_arn);

-- Stored aggregates: evaluations per scan x account x scope x rule. Scores read these, never the findings.
CREATE TABLE scan_counts (
  scan_id TEXT NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
  account_id TEXT NOT NULL,
  scope TEXT NOT NULL, -- org | unowned | team:<handle> | framework:<id>
  rule_id TEXT NOT NULL,
  severity TEXT NOT NULL,
  pass INTEGER NOT NULL,
  fail INTEGER NOT NULL,
  not_evaluated INTEGER NOT NULL,
  PRIMARY KEY (scan_id, account_id, scope, rule_id)
) STRICT;
CREATE INDEX scan_counts_by_scope ON scan_counts (scope, account_id, scan_id);

-- The scan whose counts are current for each account (a failed collection does not replace good counts).
CREATE TABLE account_latest (
  account_id TEXT PRIMARY KEY,
  scan_id TEXT NOT NULL REFERENCES scans (id)
) STRICT;

CREATE TABLE score_snapshots (
  scope TEXT NOT NULL,
  day TEXT NOT NULL, -- YYYY-MM-DD (UTC)
  score REAL, -- NULL: nothing evaluated in that scope
  tally TEXT NOT NULL, -- JSON Tally (pass/fail per severity)
  scan_id TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (scope, day)
) STRICT;

-- Teams as configured (synchronised at each scan, for the Slack side); ownership decided by people.
CREATE TABLE teams (
  handle TEXT PRIMARY KEY,
  name TEXT,
  channel TEXT NOT NULL,
  members TEXT NOT NULL, -- JSON array of Slack user ids
  user_group TEXT,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE ownership_overrides (
  resource_arn TEXT PRIMARY KEY,
  team TEXT NOT NULL,
  set_by TEXT NOT NULL,
  set_at TEXT NOT NULL,
  note TEXT
) STRICT;

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject_type TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  finding_id INTEGER REFERENCES findings (id),
  scan_id TEXT,
  team TEXT,
  details TEXT NOT NULL -- JSON object
) STRICT;
CREATE INDEX audit_by_finding ON audit_log (finding_id, id) WHERE finding_id IS NOT NULL;
CREATE INDEX audit_by_time ON audit_log (at);

-- Append-only, enforced by the database itself (auditors ask how, not only whether).
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE is not allowed'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE is not allowed'); END;

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  channel TEXT,
  payload TEXT NOT NULL, -- JSON
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  sent_at TEXT,
  last_error TEXT,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE sent_at IS NULL;

-- One scan at a time: a lease with a holder and an expiry, so a crashed holder does not keep it forever.
CREATE TABLE scan_lock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  holder TEXT NOT NULL,
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  acquired_at TEXT NOT NULL,
  heartbeat_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) STRICT;
