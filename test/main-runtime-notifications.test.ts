import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { createRuntime } from "../src/main-runtime.js";
import { createConsoleNotifier } from "../src/slack/console-notifier.js";
import { createLogger } from "../src/slack/logger.js";
import { bucket, catalog, snapshotOf, tempDbsPerTest } from "./db/fixtures.js";

const newDb = tempDbsPerTest();
const NOW = new Date("2026-11-02T08:00:00.000Z");

/** The real runtime (scan, outbox, delivery) on a temp SQLite file, posting through the console notifier. */
async function scanAndDeliver(configYaml: string, buckets: ReturnType<typeof bucket>[]) {
  const db = newDb();
  const config = loadConfig({}, { path: "posture.config.yml", text: `securityChannel: "#security"\n${configYaml}` });
  const posted: string[] = [];
  const runtime = createRuntime({
    config, catalog, db, logger: createLogger("silent"), clock: () => NOW,
    notifier: createConsoleNotifier((text) => posted.push(text), () => NOW),
    sourceFor: async () => ({ kind: "snapshot", snapshot: snapshotOf(buckets) }),
  });
  const result = await runtime.scans.request("test").done;
  const outbox = db.prepare(`SELECT json_extract(payload, '$.severity') AS severity, json_extract(payload, '$.ruleId') AS ruleId, sent_at AS sentAt, last_error AS lastError
    FROM outbox WHERE kind = 'finding.transition' ORDER BY ruleId`).all() as { severity: string; ruleId: string; sentAt: string | null; lastError: string | null }[];
  return { result, outbox, posted };
}

describe("notifications.severities in the runtime", () => {
  it("[critical] leaves a high finding unposted: its outbox row is done as skipped", async () => {
    const { result, outbox, posted } = await scanAndDeliver("notifications:\n  severities: [critical]\n", [bucket("a", { versioning: false, logging: false })]);
    expect(result.delivered?.posted).toBe(1);
    expect(outbox).toEqual([
      { severity: "high", ruleId: "logging", sentAt: NOW.toISOString(), lastError: "skipped: severity high is not notified" },
      { severity: "critical", ruleId: "versioning", sentAt: NOW.toISOString(), lastError: null },
    ]);
    expect(posted.join("\n")).toContain("Title of versioning");
    expect(posted.join("\n")).not.toContain("Title of logging");
  });

  it("[medium, critical] posts a medium finding (here a low rule raised by an override) and skips the high one", async () => {
    const { result, outbox, posted } = await scanAndDeliver(
      [
        "notifications:",
        "  severities: [medium, critical]",
        "severityOverrides:",
        "  - severity: medium",
        "    rules: [encryption]",
        "    tags: { data: pii }",
        "    reason: holds customer data",
      ].join("\n"),
      [bucket("a", { logging: false, encryption: false, tags: { Data: "PII" } })],
    );
    expect(result.delivered?.posted).toBe(1);
    expect(outbox).toEqual([
      { severity: "medium", ruleId: "encryption", sentAt: NOW.toISOString(), lastError: null },
      { severity: "high", ruleId: "logging", sentAt: NOW.toISOString(), lastError: "skipped: severity high is not notified" },
    ]);
    expect(posted.join("\n")).toContain("(rule default: low) — holds customer data");
  });

  it("by default (critical and high) a low finding is not even queued", async () => {
    const { outbox } = await scanAndDeliver("", [bucket("a", { encryption: false })]);
    expect(outbox).toEqual([]);
  });
});
