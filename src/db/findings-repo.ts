import { RESOLVED_PASSED, findingKey, type FailFacts, type StoredFinding } from "../core/findings.js";
import type { FindingChange } from "../core/lifecycle.js";
import { SEVERITIES } from "../core/rule.js";
import type { Db } from "./open.js";

interface StateRow {
  id: number; rule_id: string; resource_arn: string; account_id: string; resource_type: StoredFinding["resourceType"]; severity: StoredFinding["severity"]; severity_reason: string | null; team: string | null;
  status: StoredFinding["status"]; reopen_count: number; exposure_seconds: number; opened_at: string | null; resolved_at: string | null;
}

/** The lifecycle state of every finding, keyed by rule x resource (a few columns: 100k findings are ~20 MB). */
export function loadFindingStates(db: Db): Map<string, StoredFinding> {
  const states = new Map<string, StoredFinding>();
  const rows = db.prepare(`SELECT id, rule_id, resource_arn, account_id, resource_type, severity, severity_reason, team, status, reopen_count, exposure_seconds, opened_at, resolved_at
    FROM findings`).iterate() as IterableIterator<StateRow>;
  for (const r of rows) {
    states.set(findingKey(r.rule_id, r.resource_arn), {
      id: r.id, ruleId: r.rule_id, resourceArn: r.resource_arn, accountId: r.account_id, resourceType: r.resource_type, severity: r.severity, severityReason: r.severity_reason, team: r.team,
      status: r.status, reopenCount: r.reopen_count, exposureSeconds: r.exposure_seconds, openedAt: r.opened_at, resolvedAt: r.resolved_at,
    });
  }
  return states;
}

/** Writes finding changes with statements prepared once per transaction; returns the finding id. */
export function createFindingWriter(db: Db, scanId: string, at: string): (change: FindingChange) => number {
  const insert = db.prepare(`INSERT INTO findings (rule_id, resource_arn, account_id, resource_type, resource_name, region, team, owner_reason,
      severity, severity_rank, rule_severity, severity_reason, status, last_result, first_seen, last_seen, opened_at, evidence, qualifiers, rule_version, last_scan_id, mute_id)
    VALUES (@ruleId, @arn, @accountId, @type, @name, @region, @team, @ownerReason, @severity, @rank, @ruleSeverity, @severityReason, @status, 'fail', @at, @at, @at, @evidence, @qualifiers, @ruleVersion, @scanId, @muteId)`);
  const refresh = db.prepare(`UPDATE findings SET last_seen = @at, last_result = 'fail', evidence = @evidence, qualifiers = @qualifiers,
      rule_version = @ruleVersion, severity = @severity, severity_rank = @rank, rule_severity = @ruleSeverity, severity_reason = @severityReason, team = @team, owner_reason = @ownerReason, resource_name = @name, last_scan_id = @scanId
    WHERE id = @id`);
  // Same severity, override and team (the usual case): leave the indexed columns alone, so SQLite rewrites no index entry.
  const touch = db.prepare(`UPDATE findings SET last_seen = @at, last_result = 'fail', evidence = @evidence, qualifiers = @qualifiers,
      rule_version = @ruleVersion, owner_reason = @ownerReason, resource_name = @name, last_scan_id = @scanId WHERE id = @id`);
  const reopen = db.prepare(`UPDATE findings SET status = 'open', opened_at = @at, resolved_at = NULL, resolved_reason = NULL, reopen_count = @reopenCount
    WHERE id = @id`);
  // A resolved finding held by a mute: it was open (or muted) and fails again while the mute is active.
  const mute = db.prepare(`UPDATE findings SET status = 'muted', mute_id = @muteId, last_result = 'fail',
      opened_at = COALESCE(opened_at, @at), resolved_at = NULL, resolved_reason = NULL WHERE id = @id`);
  const resolve = db.prepare(`UPDATE findings SET status = 'resolved', mute_id = NULL, resolved_at = @at, resolved_reason = @reason, opened_at = NULL,
      exposure_seconds = @exposure, last_result = @lastResult, last_scan_id = @scanId WHERE id = @id`);
  const mutedResult = db.prepare("UPDATE findings SET last_result = @result, last_scan_id = @scanId WHERE id = @id");
  const factsParams = (facts: FailFacts) => ({
    ruleId: facts.ruleId, arn: facts.resource.arn, accountId: facts.resource.accountId, type: facts.resource.type, name: facts.resource.name,
    region: facts.resource.region, team: facts.team, ownerReason: facts.ownerReason, severity: facts.severity, rank: SEVERITIES.indexOf(facts.severity),
    ruleSeverity: facts.severityOverride?.ruleSeverity ?? null, severityReason: facts.severityOverride?.reason ?? null,
    evidence: JSON.stringify(facts.evidence), qualifiers: JSON.stringify(facts.qualifiers), ruleVersion: facts.ruleVersion, at, scanId,
  });
  const touchParams = (facts: FailFacts) => ({
    at, scanId, evidence: JSON.stringify(facts.evidence), qualifiers: JSON.stringify(facts.qualifiers), ruleVersion: facts.ruleVersion,
    ownerReason: facts.ownerReason, name: facts.resource.name,
  });
  return (change) => {
    switch (change.kind) {
      case "new":
        return Number(insert.run({ ...factsParams(change.facts), status: change.muteId === undefined ? "open" : "muted", muteId: change.muteId ?? null }).lastInsertRowid);
      case "muted":
        refresh.run({ ...factsParams(change.facts), id: change.finding.id });
        mute.run({ id: change.finding.id, muteId: change.muteId, at });
        return change.finding.id;
      case "reopened":
        reopen.run({ id: change.finding.id, at, reopenCount: change.reopenCount });
        refresh.run({ ...factsParams(change.facts), id: change.finding.id });
        return change.finding.id;
      case "still_failing": {
        const same = change.facts.severity === change.finding.severity && (change.facts.severityOverride?.reason ?? null) === (change.finding.severityReason ?? null)
          && change.facts.team === change.finding.team;
        if (same) touch.run({ ...touchParams(change.facts), id: change.finding.id });
        else refresh.run({ ...factsParams(change.facts), id: change.finding.id });
        return change.finding.id;
      }
      case "resolved":
        resolve.run({ id: change.finding.id, at, reason: change.reason, exposure: change.exposureSeconds, lastResult: change.reason === RESOLVED_PASSED ? "pass" : "deleted", scanId });
        return change.finding.id;
      case "muted_evaluated":
        if (change.facts) refresh.run({ ...factsParams(change.facts), id: change.finding.id });
        mutedResult.run({ id: change.finding.id, result: change.result, scanId });
        return change.finding.id;
    }
  };
}
