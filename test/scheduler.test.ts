import { describe, expect, it } from "vitest";
import { isScanStale, startScheduler, type JobSpec } from "../src/scheduler.js";
import { fakeCron, fakeTimer } from "./helpers/fake-cron.js";

function gate() {
  let open = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

function logs() {
  const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg: string) => void lines.push({ level, obj, msg });
  return { lines, logger: { info: at("info"), warn: at("warn"), error: at("error") } as never };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));
const clock = () => new Date("2026-11-02T08:00:00.000Z");

describe("startScheduler", () => {
  it("schedules each enabled job with its own expression and time zone; 'off' is not scheduled", () => {
    const cron = fakeCron();
    const jobs: JobSpec[] = [
      { name: "scan", cron: "0 * * * *", timeZone: "UTC", run: async () => {} },
      { name: "digest", cron: "0 9 * * 1-5", timeZone: "Europe/Paris", run: async () => {} },
      { name: "prune", cron: "off", timeZone: "UTC", run: async () => {} },
    ];
    startScheduler(jobs, { cron: cron.seam, logger: logs().logger, clock, wait: fakeTimer().wait });
    expect(cron.tasks.map((t) => [t.name, t.expression, t.timezone])).toEqual([["posture-scan", "0 * * * *", "UTC"], ["posture-digest", "0 9 * * 1-5", "Europe/Paris"]]);
  });

  it("overlap guard: a tick while the job still runs is skipped and logged; the next tick after it ends runs", async () => {
    const cron = fakeCron();
    const log = logs();
    const held = gate();
    let runs = 0;
    startScheduler([{ name: "scan", cron: "* * * * *", timeZone: "UTC", run: async () => { runs += 1; await held.promise; } }],
      { cron: cron.seam, logger: log.logger, clock, wait: fakeTimer().wait });
    cron.fire("scan");
    cron.fire("scan");
    cron.fire("scan");
    expect(runs).toBe(1);
    expect(log.lines.filter((l) => l.msg.includes("skipped")).map((l) => l.obj)).toEqual([{ job: "scan" }, { job: "scan" }]);
    held.open();
    await flush();
    cron.fire("scan");
    expect(runs).toBe(2);
  });

  it("a failing job is logged and does not block its next tick", async () => {
    const cron = fakeCron();
    const log = logs();
    let runs = 0;
    const scheduler = startScheduler([{ name: "prune", cron: "* * * * *", timeZone: "UTC", run: async () => { runs += 1; throw new Error("disk full"); } }],
      { cron: cron.seam, logger: log.logger, clock, wait: fakeTimer().wait });
    expect(await scheduler.runNow("prune")).toBe("failed");
    expect(log.lines.find((l) => l.level === "error")?.obj).toMatchObject({ job: "prune" });
    cron.fire("prune");
    expect(runs).toBe(2);
  });

  it("stop: stops the cron tasks, waits for a running job to finish, and no tick starts afterwards", async () => {
    const cron = fakeCron();
    const held = gate();
    let finished = false;
    const scheduler = startScheduler([{ name: "scan", cron: "* * * * *", timeZone: "UTC", run: async () => { await held.promise; finished = true; } }],
      { cron: cron.seam, logger: logs().logger, clock, wait: fakeTimer().wait });
    cron.fire("scan");
    const stopping = scheduler.stop(30_000);
    await flush();
    expect(cron.tasks.every((t) => t.stopped)).toBe(true);
    held.open();
    expect(await stopping).toEqual([]);
    expect(finished).toBe(true);
    expect(await scheduler.runNow("scan")).toBe("stopped");
  });

  it("stop: abandons a job still running after the grace period and says which", async () => {
    const cron = fakeCron();
    const timer = fakeTimer();
    const log = logs();
    const scheduler = startScheduler([{ name: "digest", cron: "* * * * *", timeZone: "UTC", run: () => new Promise(() => {}) }],
      { cron: cron.seam, logger: log.logger, clock, wait: timer.wait });
    cron.fire("digest");
    const stopping = scheduler.stop(5_000);
    await flush();
    expect(timer.waits.map((w) => w.ms)).toEqual([5_000]);
    timer.elapse();
    expect(await stopping).toEqual(["digest"]);
    expect(log.lines.at(-1)).toMatchObject({ level: "warn", obj: { jobs: ["digest"] } });
  });
});

describe("isScanStale", () => {
  const now = new Date("2026-11-02T08:00:00.000Z");
  it.each([
    ["no scan yet", undefined, true],
    ["finished 61 minutes ago", "2026-11-02T06:59:00.000Z", true],
    ["finished 60 minutes ago", "2026-11-02T07:00:00.000Z", false],
    ["finished 5 minutes ago", "2026-11-02T07:55:00.000Z", false],
  ])("%s with maxAgeMinutes 60 -> %s", (_name, last, stale) => {
    expect(isScanStale(last, now, 60)).toBe(stale);
  });
});
