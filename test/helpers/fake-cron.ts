import type { CronSeam } from "../../src/scheduler.js";

/** node-cron's seam without time: records each task and fires its ticks on demand. */
export function fakeCron() {
  const tasks: { expression: string; name: string; timezone: string; tick: () => void; stopped: boolean }[] = [];
  const seam: CronSeam = {
    schedule(expression, tick, options) {
      const task = { expression, ...options, tick, stopped: false };
      tasks.push(task);
      return { stop: () => void (task.stopped = true) };
    },
  };
  const fire = (name: string) => {
    const task = tasks.find((t) => t.name === `posture-${name}`);
    if (!task) throw new Error(`no task ${name}`);
    if (!task.stopped) task.tick();
  };
  return { seam, tasks, fire };
}

/** A timer whose waits resolve when the test says the time has come. */
export function fakeTimer() {
  const waits: { ms: number; resolve: () => void }[] = [];
  return { waits, wait: (ms: number) => new Promise<void>((resolve) => void waits.push({ ms, resolve })), elapse: () => waits.splice(0).forEach((w) => w.resolve()) };
}

