import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { loadDailyDigests, type DailyDigestRequest } from "../../src/app/digest.js";
import { createScoreChartRenderer } from "../../src/chart/render-score-chart.js";
import { DEFAULT_SLA_DAYS } from "../../src/core/digest.js";
import { createSqliteDigestReader } from "../../src/db/digest-queries.js";
import type { Db } from "../../src/db/open.js";
import { renderDigestMessage } from "../../src/slack/blocks/digest.js";
import { bucket, catalog, reconcile, snapshotOf, tempDbsPerTest } from "../db/fixtures.js";
import { expectValidMessage, visibleText } from "../slack/blocks/helpers.js";

const fresh = tempDbsPerTest();

const NOW = new Date("2026-11-02T08:00:00.000Z");
const at = (daysAgo: number, hour = 7) => new Date(Date.parse(`2026-11-02T0${hour}:00:00.000Z`) - daysAgo * 86_400_000).toISOString();

/**
 * Ten days of daily scans through the real reconcile path: payments fixes its bucket's versioning on
 * day 6, it regresses yesterday; data's logging stays off; a new critical appears today.
 */
async function history(db: Db): Promise<void> {
  for (let daysAgo = 9; daysAgo >= 0; daysAgo -= 1) {
    const ledgerFixed = daysAgo <= 6 && daysAgo >= 2;
    const buckets = [
      bucket("pay-ledger", { versioning: ledgerFixed }),
      bucket("data-lake", { logging: false }),
      bucket("misc", { encryption: false }),
      ...(daysAgo === 0 ? [bucket("pay-new", { versioning: false })] : []),
    ];
    await reconcile(db, snapshotOf(buckets), at(daysAgo));
  }
}

const request = (patch: Partial<DailyDigestRequest> = {}): DailyDigestRequest => ({
  now: NOW,
  teams: [{ handle: "payments", channel: "#payments" }, { handle: "data", channel: "#data" }, { handle: "ops", channel: "#ops" }],
  securityChannel: "#security",
  settings: { timeZone: "Europe/Paris", slaDays: DEFAULT_SLA_DAYS, allClear: "post", topRules: 3 },
  ruleTitles: Object.fromEntries(catalog.rules.map((r) => [r.id, r.title])),
  ...patch,
});

const deps = (db: Db) => ({ reader: createSqliteDigestReader(db), renderMessage: renderDigestMessage, renderChart: createScoreChartRenderer() });

describe("loadDailyDigests from stored history", () => {
  it("gives each team channel its digest and the security channel the org digest, last", async () => {
    const db = fresh();
    await history(db);
    const deliveries = await loadDailyDigests(deps(db), request());
    expect(deliveries.map((d) => [d.channel, d.scope])).toEqual([["#payments", "team:payments"], ["#data", "team:data"], ["#ops", "team:ops"], ["#security", "org"]]);
    for (const d of deliveries) expectValidMessage(d.message);

    const payments = visibleText(deliveries[0]!.message.blocks);
    // Yesterday's reopening (07:00, 25 hours before now) is outside the window; today's scan added pay-new.
    expect(payments).toContain("1 new · 0 reopened · 0 resolved");
    expect(payments).toContain("New: `versioning` on pay-new");
    expect(payments).toContain(":red_circle: 2 critical");
    expect(payments).toContain("Title of versioning");
    // First seen 9 days ago (reopening keeps first seen): 2 days past the critical 7-day SLA.
    expect(payments).toContain("`versioning` on pay-ledger: 2 days past the 7-day SLA");
    const data = visibleText(deliveries[1]!.message.blocks);
    expect(data).toContain(":large_orange_circle: 1 high");
    expect(visibleText(deliveries[2]!.message.blocks)).toContain("*ops*: all clear on Monday 2 November 2026");
  }, 30_000);

  it("counts yesterday's reopening when the window reaches it", async () => {
    const db = fresh();
    await history(db);
    const deliveries = await loadDailyDigests(deps(db), request({ now: new Date("2026-11-01T08:00:00.000Z") }));
    expect(visibleText(deliveries[0]!.message.blocks)).toContain("0 new · 1 reopened · 0 resolved");
  }, 30_000);

  it("attaches a 30-day chart from the stored daily scores, and none to an all clear", async () => {
    const db = fresh();
    await history(db);
    const deliveries = await loadDailyDigests(deps(db), request());
    const payments = deliveries[0]!;
    expect(payments.chart).toMatchObject({ filename: "posture-score-team-payments-2026-11-02.png", title: "payments: posture score, last 30 days" });
    const image = PNG.sync.read(Buffer.from(payments.chart!.png));
    expect(image.width).toBeGreaterThan(1000);
    expect(visibleText(payments.message.blocks)).toContain("30-day trend: payments: posture score, last 30 days");
    expect(deliveries[2]!.chart).toBeNull();
    expect(deliveries[3]!.chart?.filename).toBe("posture-score-org-2026-11-02.png");
  }, 30_000);

  it("skips quiet teams when configured, never the org digest; no security channel, no org digest", async () => {
    const db = fresh();
    await history(db);
    const settings = { ...request().settings, allClear: "skip" as const };
    expect((await loadDailyDigests(deps(db), request({ settings }))).map((d) => d.channel)).toEqual(["#payments", "#data", "#security"]);
    expect((await loadDailyDigests(deps(db), request({ settings, securityChannel: null }))).map((d) => d.channel)).toEqual(["#payments", "#data"]);
  }, 30_000);

  it("the org digest sums every team and the unowned findings, lists teams and shows mutes given", async () => {
    const db = fresh();
    await history(db);
    const mutes = [{ ruleId: "encryption", resourceName: "misc", expiresAt: "2026-11-04T08:00:00.000Z", team: null }];
    const deliveries = await loadDailyDigests({ ...deps(db), renderChart: undefined }, request({ mutes }));
    const org = visibleText(deliveries.at(-1)!.message.blocks);
    expect(org).toContain(":red_circle: 2 critical · :large_orange_circle: 1 high");
    expect(org.indexOf("*payments*")).toBeLessThan(org.indexOf("*data*"));
    expect(org).toContain("*unowned*");
    expect(org).toContain("`encryption` on misc: expires in 2 days");
    // Mutes go to their own team only: payments has none expiring.
    expect(visibleText(deliveries[0]!.message.blocks)).toContain("No mute expires this week.");
    expect(deliveries.every((d) => d.chart === null)).toBe(true);
  }, 30_000);
});
