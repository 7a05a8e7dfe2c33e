import type { Evidence } from "../core/condition.js";
import type { FindingStatus } from "../core/findings.js";
import type { AppliedOverride } from "../core/severity-overrides.js";
import { SEVERITIES, type Severity } from "../core/rule.js";
import type { Db } from "./open.js";
import { detailsColumn, evidenceColumn, parseJsonColumn } from "./json-columns.js";

export interface FindingFilter {
  /** A team handle, or "unowned". */
  team?: string;
  severities?: readonly Severity[];
  ruleId?: string;
  status?: FindingStatus;
  limit?: number;
  /** The `next` cursor of the previous page. */
  after?: string;
}

export interface FindingRow {
  id: number;
  ruleId: string;
  /** The effective severity (a severity override may have set it). */
  severity: Severity;
  /** Set when a severity override gave the finding `severity` instead of its rule's own. */
  severityOverride?: AppliedOverride;
  status: FindingStatus;
  team: string | null;
  ownerReason: string;
  resource: { arn: string; type: string; name: string; accountId: string; region: string };
  firstSeen: string;
  lastSeen: string;
  resolvedAt: string | null;
  resolvedReason: string | null;
  reopenCount: number;
  exposureSeconds: number;
  openedAt: string | null;
  evidence: Evidence[];
}

export interface FindingPage {
  findings: FindingRow[];
  /** Pass as `after` for the next page; null on the last page. */
  next: string | null;
}

interface Row {
  id: number; rule_id: string; severity: Severity; severity_rank: number; status: FindingStatus; team: string | null; owner_reason: string;
  resource_arn: string; resource_type: string; resource_name: string; account_id: string; region: string; first_seen: string; last_seen: string;
  resolved_at: string | null; resolved_reason: string | null; reopen_count: number; exposure_seconds: number; opened_at: string | null; evidence: string;
  rule_severity: Severity | null; severity_reason: string | null;
}

export const UNOWNED_TEAM = "unowned";

/**
 * Findings, most severe first, paged by keyset (severity rank, id): page N costs what page 1 costs,
 * and the status/team/rule indexes of migration 0001 serve every filter combination.
 */
export function loadFindings(db: Db, filter: FindingFilter = {}): FindingPage {
  const limit = Math.min(Math.max(filter.limit ?? 20, 1), 500);
  const where = ["status = @status"];
  const params: Record<string, unknown> = { status: filter.status ?? "open", limit: limit + 1 };
  if (filter.team !== undefined) {
    where.push("team IS @team");
    params.team = filter.team === UNOWNED_TEAM ? null : filter.team;
  }
  if (filter.ruleId !== undefined) {
    where.push("rule_id = @ruleId");
    params.ruleId = filter.ruleId;
  }
  if (filter.severities && filter.severities.length > 0) where.push(`severity_rank IN (${filter.severities.map((s) => SEVERITIES.indexOf(s)).join(", ")})`);
  if (filter.after !== undefined) {
    const [rank, id] = parseCursor(filter.after);
    where.push("(severity_rank, id) > (@rank, @id)");
    Object.assign(params, { rank, id });
  }
  const rows = db.prepare(`SELECT * FROM findings WHERE ${where.join(" AND ")} ORDER BY severity_rank, id LIMIT @limit`).all(params) as Row[];
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { findings: page.map(findingRowOf), next: rows.length > limit && last ? `${last.severity_rank}.${last.id}` : null };
}

function parseCursor(cursor: string): [number, number] {
  const match = /^(\d)\.(\d+)$/.exec(cursor);
  if (!match) throw new RangeError(`not a findings cursor: "${cursor}" (expected the "next" value of a previous page, such as 1.2345)`);
  return [Number(match[1]), Number(match[2])];
}

function findingRowOf(r: Row): FindingRow {
  return {
    id: r.id, ruleId: r.rule_id, severity: r.severity,
    ...(r.rule_severity && r.severity_reason !== null ? { severityOverride: { ruleSeverity: r.rule_severity, reason: r.severity_reason } } : {}), status: r.status, team: r.team, ownerReason: r.owner_reason,
    resource: { arn: r.resource_arn, type: r.resource_type, name: r.resource_name, accountId: r.account_id, region: r.region },
    firstSeen: r.first_seen, lastSeen: r.last_seen, resolvedAt: r.resolved_at, resolvedReason: r.resolved_reason, reopenCount: r.reopen_count,
    exposureSeconds: r.exposure_seconds, openedAt: r.opened_at, evidence: parseJsonColumn(evidenceColumn, r.evidence, `findings(${r.id}).evidence`) as Evidence[],
  };
}

export interface TimelineEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  scanId: string | null;
  details: Record<string, unknown>;
}

/** A finding's history, oldest first, from the audit log (`/posture audit <finding-id>`). */
export function loadFindingTimeline(db: Db, findingId: number): TimelineEntry[] {
  const rows = db.prepare("SELECT id, at, actor, action, scan_id, details FROM audit_log WHERE finding_id = ? ORDER BY id").all(findingId) as { id: number; at: string; actor: string; action: string; scan_id: string | null; details: string }[];
  return rows.map((r) => ({ id: r.id, at: r.at, actor: r.actor, action: r.action, scanId: r.scan_id, details: parseJsonColumn(detailsColumn, r.details, `audit_log(${r.id}).details`) }));
}
