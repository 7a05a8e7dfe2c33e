import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

const file = (text: string) => ({ path: "posture.config.yml", text });

describe("schedules and sla configuration", () => {
  it("defaults: hourly scans, weekday 09:00 digests, nightly pruning, SLA 7/30/90/180 days", () => {
    const config = loadConfig({});
    expect(config.schedules).toEqual({
      scan: { cron: "0 * * * *", timeZone: "UTC", maxAgeMinutes: 60 },
      digest: { cron: "0 9 * * 1-5", timeZone: "UTC", allClear: "post", topRules: 3 },
      prune: { cron: "30 3 * * *", timeZone: "UTC" },
    });
    expect(config.sla).toEqual({ critical: 7, high: 30, medium: 90, low: 180, info: null });
  });

  it("POSTURE_SCAN_CRON and POSTURE_SCAN_TZ override the file's scan schedule", () => {
    const config = loadConfig({ POSTURE_SCAN_CRON: "off", POSTURE_SCAN_TZ: "Europe/Paris" }, file("schedules:\n  scan: { cron: '*/5 * * * *', maxAgeMinutes: 10 }\n"));
    expect(config.schedules.scan).toEqual({ cron: "off", timeZone: "Europe/Paris", maxAgeMinutes: 10 });
  });

  it.each([
    ["a bad cron expression", "schedules:\n  digest: { cron: 'at nine' }\n", "schedules.digest.cron: a cron expression such as \"0 9 * * 1-5\""],
    ["an unknown time zone", "schedules:\n  prune: { timeZone: Mars/Olympus }\n", "schedules.prune.timeZone: an IANA time zone"],
    ["an unknown allClear", "schedules:\n  digest: { allClear: maybe }\n", "schedules.digest.allClear"],
    ["a negative SLA", "sla: { critical: -1 }\n", "sla.critical"],
  ])("names the field of %s", (_name, text, expected) => {
    expect(() => loadConfig({}, file(text))).toThrow(ConfigError);
    try {
      loadConfig({}, file(text));
    } catch (error) {
      expect((error as ConfigError).problems.join("\n")).toContain(expected);
    }
  });

  it("rejects a bad POSTURE_SCAN_CRON by name", () => {
    expect(() => loadConfig({ POSTURE_SCAN_CRON: "hourly" })).toThrow(/POSTURE_SCAN_CRON: a cron expression/);
  });
});
