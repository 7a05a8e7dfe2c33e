import { describe, expect, it } from "vitest";
import { nodeCronSeam, startScheduler } from "../src/scheduler.js";
import { fakeCron } from "./helpers/fake-cron.js";

const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const deps = (cron = nodeCronSeam) => ({ cron, logger, clock: () => new Date(), wait: async () => undefined });

describe("scheduler jobs() (the health endpoint's view)", () => {
  it("gives each job's schedule and node-cron's next tick; an off job has none, and a stopped scheduler none at all", async () => {
    const scheduler = startScheduler([
      { name: "scan", cron: "0 * * * *", timeZone: "UTC", run: async () => undefined },
      { name: "digest", cron: "off", timeZone: "Europe/Paris", run: async () => undefined },
    ], deps());
    const [scan, digest] = scheduler.jobs();
    const next = new Date(scan!.nextRunAt!);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(3_600_000);
    expect([next.getUTCMinutes(), next.getUTCSeconds()]).toEqual([0, 0]);
    expect(scan).toMatchObject({ name: "scan", cron: "0 * * * *", timeZone: "UTC", running: false });
    expect(digest).toEqual({ name: "digest", cron: "off", timeZone: "Europe/Paris", running: false, nextRunAt: null });
    await scheduler.stop(0);
    expect(scheduler.jobs().map((job) => job.nextRunAt)).toEqual([null, null]);
  });

  it("shows a job as running while it runs", async () => {
    let finish = () => {};
    const scheduler = startScheduler([{ name: "scan", cron: "0 * * * *", timeZone: "UTC", run: () => new Promise<void>((done) => (finish = done)) }], deps(fakeCron().seam));
    const run = scheduler.runNow("scan");
    expect(scheduler.jobs()).toEqual([{ name: "scan", cron: "0 * * * *", timeZone: "UTC", running: true, nextRunAt: null }]);
    finish();
    await run;
    expect(scheduler.jobs()[0]!.running).toBe(false);
    await scheduler.stop(0);
  });
});
