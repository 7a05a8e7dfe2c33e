import cron from "node-cron";
import type { Logger } from "pino";

/**
 * The jobs Posture runs by itself (DESIGN sections 2.7 and 6): scan, digest, prune, each on its own cron
 * expression and time zone. The overlap guard is ours rather than node-cron's `noOverlap`, so a skipped
 * tick is logged and tests can drive ticks through a fake cron without waiting real minutes.
 */
export interface JobSpec {
  name: string;
  /** A cron expression, or "off" (the job is not scheduled). */
  cron: string;
  timeZone: string;
  run(): Promise<unknown>;
}

/** The seam over node-cron: production schedules real tasks, tests fire ticks by hand. */
export interface CronSeam {
  schedule(expression: string, tick: () => void, options: { name: string; timezone: string }): { stop(): unknown; getNextRun?(): Date | null };
}

export const nodeCronSeam: CronSeam = {
  schedule: (expression, tick, options) => cron.schedule(expression, tick, options),
};

export interface SchedulerDeps {
  cron: CronSeam;
  logger: Pick<Logger, "info" | "warn" | "error">;
  clock: () => Date;
  /** Resolves after `ms` (tests pass a fake timer). */
  wait(ms: number): Promise<void>;
}

export interface JobStatus {
  name: string;
  cron: string;
  timeZone: string;
  running: boolean;
  /** ISO time of the next tick; null when the job is off or the seam cannot tell. */
  nextRunAt: string | null;
}

export type TickOutcome = "ran" | "skipped" | "failed" | "stopped";

export interface Scheduler {
  /** Runs a job now under the same guard as its cron ticks (the start-up scan uses this). */
  runNow(name: string): Promise<TickOutcome>;
  running(): string[];
  /** Each job's schedule, whether it is running, and its next tick when the cron seam knows it (the health endpoint). */
  jobs(): JobStatus[];
  /**
   * Stops every cron task, then waits up to `graceMs` for running jobs. Returns the jobs it abandoned:
   * their work is left to its own transaction (a scan commits all of it or none of it).
   */
  stop(graceMs: number): Promise<string[]>;
}

export function startScheduler(jobs: readonly JobSpec[], deps: SchedulerDeps): Scheduler {
  const byName = new Map(jobs.map((job) => [job.name, job]));
  const inFlight = new Map<string, Promise<TickOutcome>>();
  let stopped = false;

  const runGuarded = (job: JobSpec): Promise<TickOutcome> => {
    if (stopped) return Promise.resolve("stopped");
    const running = inFlight.get(job.name);
    if (running) {
      deps.logger.warn({ job: job.name }, "job still running: this tick is skipped");
      return Promise.resolve("skipped");
    }
    const startedAt = deps.clock().getTime();
    const run = job.run().then(
      (): TickOutcome => {
        deps.logger.info({ job: job.name, ms: deps.clock().getTime() - startedAt }, "job finished");
        return "ran";
      },
      (error: unknown): TickOutcome => {
        deps.logger.error({ job: job.name, err: error }, "job failed");
        return "failed";
      },
    ).finally(() => inFlight.delete(job.name));
    inFlight.set(job.name, run);
    return run;
  };

  const taskOf = new Map(jobs.filter((job) => job.cron !== "off").map((job) =>
    [job.name, deps.cron.schedule(job.cron, () => void runGuarded(job), { name: `posture-${job.name}`, timezone: job.timeZone })] as const));
  const tasks = [...taskOf.values()];
  deps.logger.info({ jobs: jobs.map((j) => `${j.name}: ${j.cron} (${j.timeZone})`) }, "scheduler started");

  return {
    runNow(name) {
      const job = byName.get(name);
      if (!job) throw new Error(`no job named "${name}" (known: ${[...byName.keys()].join(", ")})`);
      return runGuarded(job);
    },
    running: () => [...inFlight.keys()],
    jobs: () => jobs.map((job) => ({
      name: job.name, cron: job.cron, timeZone: job.timeZone, running: inFlight.has(job.name),
      nextRunAt: stopped ? null : taskOf.get(job.name)?.getNextRun?.()?.toISOString() ?? null,
    })),
    async stop(graceMs) {
      stopped = true;
      for (const task of tasks) await task.stop();
      if (inFlight.size === 0) return [];
      const names = [...inFlight.keys()];
      deps.logger.info({ jobs: names, graceMs }, "waiting for running jobs before stopping");
      const finished = Promise.allSettled([...inFlight.values()]).then(() => "finished" as const);
      const outcome = await Promise.race([finished, deps.wait(graceMs).then(() => "timeout" as const)]);
      if (outcome === "finished") return [];
      const abandoned = [...inFlight.keys()];
      deps.logger.warn({ jobs: abandoned }, "stopping without waiting longer for these jobs: their transactions commit whole or not at all");
      return abandoned;
    },
  };
}

/** Whether the start-up scan is due: no completed scan yet, or the last one finished over `maxAgeMinutes` ago. */
export function isScanStale(lastFinishedAt: string | undefined, now: Date, maxAgeMinutes: number): boolean {
  if (lastFinishedAt === undefined) return true;
  return now.getTime() - Date.parse(lastFinishedAt) > maxAgeMinutes * 60_000;
}
