import type { CoverageSummary } from "../core/digest.js";
import type { Severity } from "../core/rule.js";
import type { Scope } from "../core/scope-counts.js";
import type { CommandRequest, FindingListItem, PostureReadModel, ScoreSummary } from "./posture-command.js";

/** A catalog rule as the commands list it. */
export interface RuleListing {
  id: string;
  title: string;
  severity: Severity;
  resource: string;
  compliance: Record<string, string[]>;
  fix?: string;
}

export type CommandAnswer =
  | { kind: "score"; summary: ScoreSummary; series: { day: string; score: number | null }[]; coverage: CoverageSummary | null }
  | { kind: "findings"; filter: Extract<CommandRequest, { kind: "findings" }>; findings: FindingListItem[]; next: string | null }
  | { kind: "rules"; framework?: string; rules: RuleListing[] }
  | { kind: "help" }
  | Extract<CommandRequest, { kind: "usage" }>;

export interface AnswerDeps {
  readModel: PostureReadModel;
  rules: readonly RuleListing[];
  now: Date;
}

/** Twenty items fit Slack's block and text limits (the renderer's page size). */
export const FINDINGS_PAGE_SIZE = 20;

/** Answers every sub-command but `scan` (background: see scan-runner.ts) and `mutes` / `audit` (src/slack/listeners/commands/mutes.ts). */
export async function answerCommand(request: Exclude<CommandRequest, { kind: "scan" | "mutes" | "audit" }>, deps: AnswerDeps): Promise<CommandAnswer> {
  switch (request.kind) {
    case "score":
      return {
        kind: "score", summary: await deps.readModel.score(request.scope, deps.now), series: await deps.readModel.scoreSeries(request.scope, deps.now, 30),
        coverage: (await deps.readModel.coverage?.(request.scope)) ?? null,
      };
    case "findings": {
      const team = request.team;
      const page = await deps.readModel.openFindings({ team, severities: request.severities, ruleId: request.ruleId, after: request.after, limit: FINDINGS_PAGE_SIZE });
      return { kind: "findings", filter: request, findings: page.findings, next: page.next };
    }
    case "rules":
      return { kind: "rules", framework: request.framework, rules: request.framework ? deps.rules.filter((r) => r.compliance[request.framework!] !== undefined) : [...deps.rules] };
    case "help":
      return { kind: "help" };
    case "usage":
      return request;
  }
}

/** The App Home dashboard (DESIGN section 2.8): org, the viewer's team first, the other teams, frameworks. */
export interface ScoreCard {
  score: number | null;
  tally: ScoreSummary["tally"];
  delta1d: number | null;
  delta7d: number | null;
  series: { day: string; score: number | null }[];
}

export interface Dashboard {
  viewerTeam: string | null;
  lastScan: { at: string; accounts: number } | null;
  org: ScoreCard;
  teams: (ScoreCard & { team: string | null })[];
  topRules: { ruleId: string; title: string; severity: Severity; fail: number; impact: number }[];
  frameworks: { id: string; score: number | null; delta7d: number | null }[];
  coverage: CoverageSummary | null;
}

export async function loadDashboard(readModel: PostureReadModel, titles: ReadonlyMap<string, string>, viewerTeam: string | null, now: Date): Promise<Dashboard> {
  const scopes = await readModel.scopes();
  const card = async (scope: Scope): Promise<ScoreCard & { summary: ScoreSummary }> => {
    const [summary, series] = await Promise.all([readModel.score(scope, now), readModel.scoreSeries(scope, now, 30)]);
    return { summary, score: summary.score, tally: summary.tally, delta1d: summary.delta1d, delta7d: summary.delta7d, series };
  };
  const org = await card("org");
  const teamScopes = scopes.filter((s) => s.startsWith("team:") || s === "unowned");
  const teams = await Promise.all(teamScopes.map(async (scope) => ({ ...(await card(scope)), team: scope === "unowned" ? null : scope.slice("team:".length) })));
  const frameworks = await Promise.all(scopes.filter((s) => s.startsWith("framework:")).map(async (scope) => {
    const summary = await readModel.score(scope, now);
    return { id: scope.slice("framework:".length), score: summary.score, delta7d: summary.delta7d };
  }));
  const topRules = org.summary.topRules.map((r) => ({ ...r, title: titles.get(r.ruleId) ?? r.ruleId }));
  const coverage = (await readModel.coverage?.()) ?? null;
  return { viewerTeam, lastScan: await readModel.lastScan(), org, teams: teams.map(({ summary: _s, ...t }) => t), topRules, frameworks, coverage };
}
