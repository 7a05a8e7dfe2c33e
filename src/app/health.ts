/**
 * The health verdict behind `GET /healthz` (HTTP mode): what an orchestrator or an uptime check needs to
 * tell "running and useful" from "running but stuck". It reveals nothing sensitive: counts, times and
 * job names, never a channel, a finding or a token.
 */

/** What the database says (src/db/health-queries.ts implements it). */
export interface HealthFacts {
  schemaVersion: number;
  /** The last completed (or partial) scan; failed scans are not fresh data. */
  lastScanFinishedAt: string | null;
  /** Undelivered Slack posts whose next attempt is due now. */
  outboxDue: number;
  oldestDueCreatedAt: string | null;
}

export interface HealthJob {
  name: string;
  cron: string;
  timeZone: string;
  running: boolean;
  nextRunAt: string | null;
}

export interface HealthInput {
  now: Date;
  version: string;
  /** The facts, or why the database could not answer. */
  facts: HealthFacts | { error: string };
  scan: { cron: string; maxAgeMinutes: number };
  jobs: readonly HealthJob[];
}

export type HealthStatus = "ok" | "degraded" | "failing";

export interface HealthReport {
  status: HealthStatus;
  version: string;
  checkedAt: string;
  database: { reachable: boolean; schemaVersion: number | null };
  lastScan: { finishedAt: string | null; ageMinutes: number | null; maxAgeMinutes: number; scheduled: boolean };
  outbox: { due: number; oldestDueAgeMinutes: number | null };
  jobs: HealthJob[];
  /** One short reason per non-ok verdict, without data. */
  problems: string[];
}

/** A scan this many intervals old means the scheduler (or AWS access) is broken, not just late. */
export const FAILING_SCAN_AGE_FACTOR = 3;
/** Slack posts due for longer than this: delivery is stuck (a revoked token, a channel gone). */
export const OUTBOX_DEGRADED_MINUTES = 15;

const minutesBetween = (from: string, now: Date) => Math.max(0, Math.floor((now.getTime() - Date.parse(from)) / 60_000));

/**
 * failing (503): the database is unreachable, or the last scan is older than 3x its interval
 * (`schedules.scan.maxAgeMinutes`). degraded (200): no completed scan yet, a late scan, or a stuck outbox.
 * With scheduled scans off there is no interval to judge the age by.
 */
export function evaluateHealth(input: HealthInput): HealthReport {
  const { now, scan } = input;
  const scheduled = scan.cron !== "off";
  const base = { version: input.version, checkedAt: now.toISOString(), jobs: [...input.jobs] };
  if ("error" in input.facts) {
    return {
      ...base, status: "failing", problems: ["database unreachable"],
      database: { reachable: false, schemaVersion: null },
      lastScan: { finishedAt: null, ageMinutes: null, maxAgeMinutes: scan.maxAgeMinutes, scheduled },
      outbox: { due: 0, oldestDueAgeMinutes: null },
    };
  }
  const facts = input.facts;
  const ageMinutes = facts.lastScanFinishedAt === null ? null : minutesBetween(facts.lastScanFinishedAt, now);
  const oldestDueAgeMinutes = facts.oldestDueCreatedAt === null ? null : minutesBetween(facts.oldestDueCreatedAt, now);
  const failing: string[] = [];
  const degraded: string[] = [];
  if (scheduled && ageMinutes === null) degraded.push("no completed scan yet");
  else if (scheduled && ageMinutes !== null && ageMinutes > FAILING_SCAN_AGE_FACTOR * scan.maxAgeMinutes) failing.push(`last scan older than ${FAILING_SCAN_AGE_FACTOR}x maxAgeMinutes`);
  else if (scheduled && ageMinutes !== null && ageMinutes > scan.maxAgeMinutes) degraded.push("last scan older than maxAgeMinutes");
  if (oldestDueAgeMinutes !== null && oldestDueAgeMinutes > OUTBOX_DEGRADED_MINUTES) degraded.push(`Slack posts due for over ${OUTBOX_DEGRADED_MINUTES} minutes`);
  return {
    ...base,
    status: failing.length > 0 ? "failing" : degraded.length > 0 ? "degraded" : "ok",
    problems: [...failing, ...degraded],
    database: { reachable: true, schemaVersion: facts.schemaVersion },
    lastScan: { finishedAt: facts.lastScanFinishedAt, ageMinutes, maxAgeMinutes: scan.maxAgeMinutes, scheduled },
    outbox: { due: facts.outboxDue, oldestDueAgeMinutes },
  };
}

/** 200 while Posture is useful (ok or degraded), 503 when it is not. */
export const httpStatusOf = (report: Pick<HealthReport, "status">): number => (report.status === "failing" ? 503 : 200);
