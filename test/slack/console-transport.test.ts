import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { startPosture } from "../../src/main.js";
import { bucket, CHANNELS, snapshotOf, workspace } from "./harness.js";

const ws = workspace();
afterAll(() => ws.cleanup());

it("with the console transport, the same delivery prints what would be posted and updated", async () => {
  const out: string[] = [];
  let snapshot = snapshotOf([bucket("pay-ledger", { versioning: false, team: "payments" })]);
  const posture = await startPosture({
    env: { POSTURE_SLACK_TRANSPORT: "console", POSTURE_DB_PATH: join(ws.dir, "console.db"), POSTURE_RULES_DIR: "rules", POSTURE_SCAN_CRON: "off", POSTURE_LOG_LEVEL: "silent" },
    cwd: ws.dir, out: (text) => out.push(text), sourceFor: async () => ({ kind: "snapshot", snapshot }),
  });
  try {
    expect(posture.app).toBeUndefined();
    await posture.runtime.scans.request("test").done;
    snapshot = snapshotOf([bucket("pay-ledger", { team: "payments" })]);
    await posture.runtime.scans.request("test").done;
  } finally {
    await posture.stop();
  }
  const text = out.join("\n");
  expect(text).toContain(`would post to ${CHANNELS.payments}`);
  expect(text).toContain("Title of versioning");
  expect(text).toContain("pay-ledger");
  expect(text).toContain(`would update ${CHANNELS.payments}`);
  expect(text).toContain(`would reply in ${CHANNELS.payments} thread`);
});
