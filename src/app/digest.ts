import {
  buildDigest, buildOrgDigest, digestWindow, emptyActivity, mergeActivity, slaCutoffs, teamCoverage,
  type DigestInput, type DigestSettings, type MuteExpiry, type ScopeActivity,
} from "../core/digest.js";
import { ORG, teamScope, type Scope } from "../core/scope-counts.js";
import type { DigestMessageRenderer, DigestReader, ScoreChartRenderer } from "./digest-ports.js";

export const CHART_DAYS = 30;
const EXAMPLES = 5;

export interface DigestTeam {
  handle: string;
  name?: string;
  channel: string;
}

export interface DailyDigestRequest {
  now: Date;
  /** The configured teams, in configuration order. */
  teams: readonly DigestTeam[];
  /** Where the org digest goes; null: no org digest. */
  securityChannel: string | null;
  settings: DigestSettings;
  ruleTitles: Readonly<Record<string, string>>;
  /** Active mutes with their team (null: unowned); absent until mutes exist, which hides the section. */
  mutes?: readonly (MuteExpiry & { team: string | null })[];
}

export interface DigestDeps<M> {
  reader: DigestReader;
  renderMessage: DigestMessageRenderer<M>;
  /** Absent: digests are posted without a chart. */
  renderChart?: ScoreChartRenderer;
}

/** One post for a notifier: the message, and the chart to upload with it in the same channel (files.uploadV2). */
export interface DigestDelivery<M> {
  channel: string;
  scope: Scope;
  message: M;
  chart: { png: Uint8Array; filename: string; title: string } | null;
}

/**
 * The daily digests (DESIGN 2.7): one per team channel (quiet teams get a one-line all clear, or
 * nothing by configuration) and the org digest for the security channel, last. Reads the store once for
 * every team's activity, then one score and one series per scope.
 */
export async function loadDailyDigests<M>(deps: DigestDeps<M>, request: DailyDigestRequest): Promise<DigestDelivery<M>[]> {
  const { now, settings } = request;
  const activity = await deps.reader.loadActivity({ ...digestWindow(now), overdueBefore: slaCutoffs(now, settings.slaDays), examples: EXAMPLES });
  const deliveries: DigestDelivery<M>[] = [];
  const teamInputs: { input: DigestInput }[] = [];
  const coverage = await deps.reader.loadCoverage();
  const coverageOf = async (team: string) => (deps.reader.loadTeamAccounts && coverage.some((a) => a.status !== "ok")
    ? teamCoverage(coverage, await deps.reader.loadTeamAccounts(team)) : undefined);
  for (const team of request.teams) {
    const input = await loadInput(deps.reader, request, teamScope(team.handle), team.name ?? team.handle, activity.get(team.handle) ?? emptyActivity(), mutesOf(request, team.handle));
    const own = await coverageOf(team.handle);
    if (own) input.coverage = own;
    teamInputs.push({ input });
    const digest = buildDigest(input, settings, now);
    if (digest) deliveries.push(await deliveryOf(deps, request, team.channel, digest));
  }
  const unowned = activity.get(null);
  if (unowned) teamInputs.push({ input: await loadInput(deps.reader, request, teamScope(null), "unowned", unowned, mutesOf(request, null)) });
  if (request.securityChannel !== null) {
    const org = await loadInput(deps.reader, request, ORG, "Organisation", mergeActivity([...activity.values()], EXAMPLES), request.mutes);
    const digest = buildOrgDigest({ ...org, coverage }, teamInputs, settings, now);
    deliveries.push(await deliveryOf(deps, request, request.securityChannel, digest));
  }
  return deliveries;
}

async function loadInput(reader: DigestReader, request: DailyDigestRequest, scope: Scope, label: string, activity: ScopeActivity, mutes: DailyDigestRequest["mutes"]): Promise<DigestInput> {
  const { topRules, ...score } = await reader.loadScore(scope, request.now, request.settings.topRules);
  return { scope, label, score, activity, topRules, ruleTitles: request.ruleTitles, ...(mutes !== undefined ? { mutes } : {}) };
}

function mutesOf(request: DailyDigestRequest, team: string | null): DailyDigestRequest["mutes"] {
  return request.mutes?.filter((m) => m.team === team);
}

async function deliveryOf<M>(deps: DigestDeps<M>, request: DailyDigestRequest, channel: string, digest: NonNullable<ReturnType<typeof buildDigest>>): Promise<DigestDelivery<M>> {
  const chart = digest.kind === "report" ? await chartOf(deps, request, digest.scope, digest.label) : null;
  const message = deps.renderMessage(digest, chart ? { filename: chart.filename, title: chart.title } : null);
  return { channel, scope: digest.scope, message, chart };
}

/** No chart for an all clear (one line) or a scope that has no score in the window (an empty chart says nothing). */
async function chartOf<M>(deps: DigestDeps<M>, request: DailyDigestRequest, scope: Scope, label: string): Promise<DigestDelivery<M>["chart"]> {
  if (!deps.renderChart) return null;
  const series = await deps.reader.loadScoreSeries(scope, request.now, CHART_DAYS);
  if (!series.some((p) => p.score !== null)) return null;
  const lastDay = request.now.toISOString().slice(0, 10);
  const title = `${label}: posture score, last ${CHART_DAYS} days`;
  const png = await deps.renderChart({ title, series, lastDay, days: CHART_DAYS });
  const slug = scope === ORG ? "org" : scope.replace(/[^a-z0-9_-]+/gi, "-");
  return { png, filename: `posture-score-${slug}-${lastDay}.png`, title };
}
