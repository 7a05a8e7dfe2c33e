-- Mutes (issue 5, DESIGN 2.5). A request is pending, then approved or denied; an approved mute ends
-- expired or revoked. The decision columns are written once: the UPDATE that decides says
-- `WHERE state = 'pending'`, so a double click or a Slack retry cannot decide twice.
CREATE TABLE mutes (
  id TEXT PRIMARY KEY,
  scope_kind TEXT NOT NULL CHECK (scope_kind IN ('finding', 'rule_tag')),
  scope TEXT NOT NULL, -- JSON MuteScope
  rule_id TEXT NOT NULL,
  finding_id INTEGER NOT NULL REFERENCES findings (id), -- the finding the request was made from
  team TEXT,
  reason TEXT NOT NULL CHECK (reason IN ('false_positive', 'risk_accepted', 'pending_fix', 'no_fix_available', 'duplicate', 'other')),
  justification TEXT NOT NULL CHECK (length(justification) BETWEEN 1 AND 280),
  expires_at TEXT, -- NULL: permanent
  state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'denied', 'expired', 'revoked')),
  requested_by TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  decided_by TEXT,
  decided_at TEXT,
  decision_comment TEXT,
  revoked_by TEXT,
  revoked_at TEXT,
  revoke_reason TEXT CHECK (revoke_reason IN ('no_pending_fix', 'human_error', 'no_longer_accepted', 'other')),
  permalink TEXT,
  CHECK (requested_by <> decided_by)
) STRICT;
CREATE INDEX mutes_by_state ON mutes (state, expires_at);
CREATE INDEX mutes_by_finding ON mutes (finding_id);
-- At most one pending request per finding-scoped finding: a second submit of the modal is not a second request.
CREATE UNIQUE INDEX mutes_one_pending_per_finding ON mutes (finding_id) WHERE state = 'pending' AND scope_kind = 'finding';

-- The mute that keeps a finding muted (NULL when not muted): expiry and revocation find their findings by it.
ALTER TABLE findings ADD COLUMN mute_id TEXT REFERENCES mutes (id);
CREATE INDEX findings_by_mute ON findings (mute_id) WHERE mute_id IS NOT NULL;
