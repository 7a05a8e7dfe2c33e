-- One-click fixes (issue 6). One row per preview; the state moves previewed -> applying -> applied | failed,
-- applied -> undoing -> undone (or back to applied when undo is refused), previewed -> stale.
-- JSON columns hold what the fixer read and wrote, so an auditor sees the exact configurations.
CREATE TABLE fix_runs (
  id TEXT PRIMARY KEY,
  fixer_id TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  finding_id INTEGER NOT NULL REFERENCES findings (id),
  resource_arn TEXT NOT NULL,
  target TEXT NOT NULL, -- JSON: arn, type, accountId, region, name
  team TEXT,
  requested_by TEXT NOT NULL, -- Slack user id of the preview
  state TEXT NOT NULL CHECK (state IN ('previewed', 'stale', 'applying', 'failed', 'applied', 'undoing', 'undone')),
  preview TEXT NOT NULL, -- JSON: summary, calls, notes, before, after, beforeHash
  previous_config TEXT NOT NULL, -- JSON: the configuration read just before apply (what undo restores)
  new_config TEXT NOT NULL, -- JSON: the configuration apply wrote
  created_at TEXT NOT NULL,
  applied_by TEXT,
  applied_at TEXT,
  verification TEXT, -- JSON: pass | fail (reason, evidence) | not_applicable | not_evaluated
  error TEXT, -- JSON: AWS error code and message of a failed apply
  undo_until TEXT,
  undone_by TEXT,
  undone_at TEXT
) STRICT;
CREATE INDEX fix_runs_by_finding ON fix_runs (finding_id, created_at);
-- At most one fix or undo writing to a resource at a time: the database enforces the busy refusal.
CREATE UNIQUE INDEX fix_runs_one_busy_per_resource ON fix_runs (resource_arn) WHERE state IN ('applying', 'undoing');
