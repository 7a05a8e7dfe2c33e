import type { Logger } from "pino";
import { loadDailyDigests } from "./app/digest.js";
import { expireMutes, listMutes, mutePolicyOf, type MuteDeps } from "./app/mutes.js";
import { digestDay, postDailyDigests } from "./app/post-digests.js";
import type { Notifier } from "./app/slack-ports.js";
import { createScoreChartRenderer } from "./chart/render-score-chart.js";
import type { Config } from "./config.js";
import type { Catalog } from "./core/catalog.js";
import { createSqliteDigestReader } from "./db/digest-queries.js";
import type { Db } from "./db/open.js";
import { createSqliteDigestLog, loadLastScanFinishedAt } from "./db/schedule-queries.js";
import { createMuteIds } from "./db/mute-ids.js";
import { createSqliteMuteStore } from "./db/mutes-repo.js";
import { frameworksOfRules } from "./core/mute-score.js";
import { pruneEvaluationDetails } from "./db/scans-repo.js";
import { createSqliteDeliveryStore } from "./db/slack-messages-repo.js";
import type { Runtime } from "./main-runtime.js";
import { isScanStale, startScheduler, type CronSeam, type JobSpec, type Scheduler } from "./scheduler.js";
import { renderDigestMessage } from "./slack/blocks/digest.js";

/** What the scheduled jobs are built from (main.ts builds it once). */
export interface ScheduleInput {
  config: Config;
  catalog: Catalog;
  db: Db;
  runtime: Runtime;
  notifier: Notifier;
  logger: Logger;
  clock: () => Date;
  cron: CronSeam;
  wait(ms: number): Promise<void>;
}

/** Mute expiry runs every 15 minutes (UTC): a mute ends within a quarter of an hour of its expiry. */
export const MUTE_EXPIRY_CRON = "*/15 * * * *";

/** Starts the scan, digest, prune and mute-expiry jobs, and the start-up scan when the last one is stale. */
export function startSchedules(input: ScheduleInput): Scheduler {
  const { config, logger, clock } = input;
  const { scan, digest, prune } = config.schedules;
  const jobs: JobSpec[] = [
    { name: "scan", cron: scan.cron, timeZone: scan.timeZone, run: () => input.runtime.scans.request("schedule").done },
    { name: "digest", cron: digest.cron, timeZone: digest.timeZone, run: () => runDailyDigest(input) },
    { name: "prune", cron: prune.cron, timeZone: prune.timeZone, run: async () => runPrune(input) },
    { name: "mute-expiry", cron: MUTE_EXPIRY_CRON, timeZone: "UTC", run: () => runMuteExpiry({ ...input, deliver: input.runtime.deliver }) },
  ];
  const scheduler = startScheduler(jobs, { cron: input.cron, logger, clock, wait: input.wait });
  const last = loadLastScanFinishedAt(input.db);
  if (scan.cron !== "off" && isScanStale(last, clock(), scan.maxAgeMinutes)) {
    logger.info({ lastScanFinishedAt: last ?? null, maxAgeMinutes: scan.maxAgeMinutes }, "last scan is stale: scanning now");
    void scheduler.runNow("scan");
  }
  return scheduler;
}

/** The digest job: each team's digest and the org digest, once per channel per day (also what `npm run demo` shows). */
export async function runDailyDigest(input: Pick<ScheduleInput, "config" | "catalog" | "db" | "notifier" | "logger" | "clock" | "wait">): Promise<void> {
  const { config, db, clock } = input;
  const { timeZone, allClear, topRules } = config.schedules.digest;
  const now = clock();
  const deliveries = await loadDailyDigests(
    { reader: createSqliteDigestReader(db), renderMessage: renderDigestMessage, renderChart: createScoreChartRenderer() },
    {
      now, teams: config.teams, securityChannel: config.securityChannel ?? null,
      settings: { timeZone, slaDays: config.sla, allClear, topRules },
      ruleTitles: Object.fromEntries(input.catalog.rules.map((r) => [r.id, r.title])),
      mutes: await digestMutes(input, now),
    },
  );
  const day = digestDay(now, timeZone);
  const result = await postDailyDigests({ notifier: input.notifier, log: createSqliteDigestLog(db), now: clock, sleep: input.wait }, deliveries, day);
  const chartFailures = result.posted.filter((p) => typeof p.chart === "object");
  input.logger.info({ day, posted: result.posted.length, alreadyPosted: result.alreadyPosted.length, failed: result.failed }, "daily digests");
  if (chartFailures.length > 0) input.logger.warn({ charts: chartFailures.map((p) => ({ scope: p.scope, chart: p.chart })) }, "digest charts not uploaded (is files:write granted?)");
  if (result.failed.length > 0) throw new Error(`digests not posted: ${result.failed.map((f) => `${f.scope} in ${f.channel}: ${f.error}`).join("; ")}`);
}

function runPrune(input: ScheduleInput): void {
  const before = new Date(input.clock().getTime() - input.config.retention.evaluationDays * 86_400_000).toISOString();
  const pruned = pruneEvaluationDetails(input.db, before);
  input.logger.info({ before, pruned }, "pruned evaluation details");
}

const muteDepsOf = (input: Pick<ScheduleInput, "config" | "db"> & Partial<Pick<ScheduleInput, "catalog">>): MuteDeps => ({
  store: createSqliteMuteStore(input.db, { frameworksOf: input.catalog && frameworksOfRules(input.catalog.rules) }), policy: mutePolicyOf(input.config), newId: createMuteIds(input.db) });

/** Active mutes with an expiry, for the digest's "expiring this week" (the digest picks the week). */
async function digestMutes(input: Pick<ScheduleInput, "config" | "db">, now: Date) {
  const { active } = await listMutes(muteDepsOf(input), { now });
  const views = await createSqliteDeliveryStore(input.db).loadFindingViews(active.map((m) => m.findingId));
  return active.flatMap((m) => m.expiresAt === null ? [] : [{
    ruleId: m.scope.ruleId, expiresAt: m.expiresAt, requestedBy: m.requestedBy, team: m.team,
    resourceName: m.scope.kind === "finding" ? (views.get(m.findingId)?.resource.name ?? m.scope.resourceArn) : `tag ${m.scope.tag.key}=${m.scope.tag.value}`,
  }]);
}

/**
 * Ends every approved mute past its expiry: expireMutes writes the database, the audit log and the outbox
 * rows of its Slack updates in one transaction per mute; delivery then re-draws the request and finding
 * messages and says "unmuted (the mute expired)" once in each thread. Slack being down loses nothing.
 */
export async function runMuteExpiry(input: Pick<ScheduleInput, "config" | "db" | "logger" | "clock"> & Partial<Pick<ScheduleInput, "catalog">> & { deliver(): Promise<unknown> }): Promise<void> {
  const { logger, clock } = input;
  const { expired } = await expireMutes(muteDepsOf(input), clock());
  if (expired.length === 0) return;
  const released = new Set(expired.flatMap((e) => e.findings.filter((f) => f.to !== "muted").map((f) => f.findingId)));
  logger.info({ expired: expired.map((e) => e.mute.id), findings: released.size }, "mutes expired");
  await input.deliver();
}
