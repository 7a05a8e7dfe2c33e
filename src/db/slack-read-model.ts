import type { PostureReadModel } from "../app/posture-command.js";
import { DISCOVERY_COVERAGE_ID } from "../core/digest.js";
import type { Db } from "./open.js";
import { loadCoverage, loadTeamCoverage } from "./coverage-queries.js";
import { loadFindings } from "./finding-queries.js";
import { loadScopes, loadScore, loadScoreSeries } from "./score-queries.js";

/**
 * The slash commands' and App Home's read model on SQLite: scores from stored aggregates, findings
 * by the keyset indexes of migration 0001 (both stay in milliseconds with a million findings).
 */
export function createSqliteReadModel(db: Db): PostureReadModel {
  return {
    score: async (scope, now) => loadScore(db, scope, now),
    scopes: async () => loadScopes(db),
    lastScan: async () => {
      const row = db.prepare("SELECT s.finished_at AS at, (SELECT COUNT(*) FROM scan_accounts a WHERE a.scan_id = s.id AND a.account_id <> ?) AS accounts FROM scans s ORDER BY s.finished_at DESC LIMIT 1").get(DISCOVERY_COVERAGE_ID) as { at: string; accounts: number } | undefined;
      return row ?? null;
    },
    scoreSeries: async (scope, now, days) => loadScoreSeries(db, scope, now, days),
    coverage: async (scope) => {
      if (scope === "unowned") return loadTeamCoverage(db, null);
      return scope?.startsWith("team:") ? loadTeamCoverage(db, scope.slice("team:".length)) : loadCoverage(db);
    },
    openFindings: async (filter) => {
      const page = loadFindings(db, { ...filter, status: "open" });
      return {
        next: page.next,
        findings: page.findings.map((f) => ({ id: f.id, ruleId: f.ruleId, severity: f.severity, ...(f.severityOverride ? { severityOverride: f.severityOverride } : {}), status: f.status, team: f.team, resource: f.resource, firstSeen: f.firstSeen, evidence: f.evidence })),
      };
    },
  };
}
