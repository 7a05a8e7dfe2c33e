-- Reconciling a scan no longer rewrites every resource row to stamp it as seen (DESIGN section 9: a
-- 400,000-resource scan in seconds). A row is written when its content changes (content_hash) and when
-- it appears, disappears or comes back. "Last seen" of a live resource is the latest scan that collected
-- its account (account_sightings), except for a resource missing from that scan (unseen = 1: a partial
-- collection), whose own last_seen / last_scan_id hold. Read it through the resource_sightings view.

-- NULL: not known (rows written before this migration): the row is rewritten the next time it is seen.
ALTER TABLE resources ADD COLUMN content_hash INTEGER;
ALTER TABLE resources ADD COLUMN unseen INTEGER NOT NULL DEFAULT 0 CHECK (unseen IN (0, 1));

-- The latest scan that collected each account (any status but failed), with its evaluation time.
CREATE TABLE account_sightings (
  account_id TEXT PRIMARY KEY,
  scan_id TEXT NOT NULL,
  seen_at TEXT NOT NULL
) STRICT;

-- Backfill: an account was last collected when its most recently seen resource was (SQLite takes the bare
-- column last_scan_id from the row holding MAX(last_seen)); live resources seen before that were unseen.
INSERT INTO account_sightings (account_id, scan_id, seen_at)
  SELECT account_id, last_scan_id, MAX(last_seen) FROM resources GROUP BY account_id;
UPDATE resources SET unseen = 1
  WHERE deleted_at IS NULL AND last_seen < (SELECT a.seen_at FROM account_sightings a WHERE a.account_id = resources.account_id);

CREATE VIEW resource_sightings AS
SELECT r.arn, r.account_id, r.first_seen, r.deleted_at,
  CASE WHEN r.deleted_at IS NULL AND r.unseen = 0 AND a.seen_at IS NOT NULL THEN a.seen_at ELSE r.last_seen END AS last_seen,
  CASE WHEN r.deleted_at IS NULL AND r.unseen = 0 AND a.scan_id IS NOT NULL THEN a.scan_id ELSE r.last_scan_id END AS last_scan_id
FROM resources r LEFT JOIN account_sightings a ON a.account_id = r.account_id;
