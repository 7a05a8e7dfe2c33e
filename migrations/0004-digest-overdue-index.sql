-- Daily digest (issue 7): overdue findings are the open ones first seen before their severity's SLA
-- cutoff. A partial index on open findings only (resolved ones never need it) makes each severity one
-- range scan instead of a pass over every open finding.
CREATE INDEX findings_open_by_age ON findings (severity_rank, first_seen) WHERE status = 'open';
