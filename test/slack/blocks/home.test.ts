import { describe, expect, it } from "vitest";
import { renderHomeView, type HomeModel, type ScoreCard, type TeamCard } from "../../../src/slack/blocks/home.js";
import { emptyTally, type Tally } from "../../../src/core/score.js";
import { HOSTILE, NOW } from "./fixtures.js";
import { expectValidHome } from "./helpers.js";

const tally = (critical: number, high: number): Tally => ({ ...emptyTally(), critical: { pass: 10, fail: critical }, high: { pass: 20, fail: high }, low: { pass: 5, fail: 1 } });
const series = (start: number, days = 30) =>
  Array.from({ length: days }, (_, i) => ({ day: new Date(NOW.getTime() - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10), score: i === 10 ? null : start + i * 0.3 }));
const card = (score: number | null, overrides: Partial<ScoreCard> = {}): ScoreCard => ({ score, tally: tally(2, 5), delta1d: 1.24, delta7d: -0.51, series: series(score ?? 60), ...overrides });
const team = (name: string | null, score: number | null): TeamCard => ({ team: name, ...card(score) });

const model = (overrides: Partial<HomeModel> = {}): HomeModel => ({
  viewerTeam: "payments",
  lastScan: { at: "2026-11-02T05:00:00Z", accounts: 3 },
  org: card(76.75),
  teams: [team("platform", 91.2), team("payments", 68.4), team(null, 55), team("data", null)],
  topRules: [
    { ruleId: "s3-bucket-public-policy", title: "S3 bucket is not public through its bucket policy", severity: "critical", fail: 2, impact: 4.213 },
    { ruleId: "iam-user-mfa-enabled", title: "IAM users with a console password have MFA", severity: "high", fail: 12, impact: 2.05 },
  ],
  frameworks: [{ id: "cis-aws-7.0", score: 71.2, delta7d: 0.3 }, { id: "pci-dss-4.0", score: 80, delta7d: null }],
  ...overrides,
});

describe("renderHomeView", () => {
  it.each([
    ["dashboard for a team member", model()],
    ["dashboard for someone in no team", model({ viewerTeam: null })],
    ["first scan: no trend yet", model({ org: card(76.75, { delta1d: null, delta7d: null, series: [] }) })],
    ["before the first scan", model({ lastScan: null, teams: [], topRules: [], frameworks: [] })],
  ])("%s: valid home view, matches its snapshot", (_name, home) => {
    const view = renderHomeView(home, NOW);
    expectValidHome(view);
    expect(view).toMatchSnapshot();
  });

  it("shows the viewer's team before the list of teams", () => {
    const text = JSON.stringify(renderHomeView(model(), NOW).blocks);
    expect(text.indexOf("Your team: payments")).toBeGreaterThan(-1);
    expect(text.indexOf("Your team: payments")).toBeLessThan(text.indexOf("Teams, lowest score first"));
  });

  it("40 teams with long names fit within 100 blocks and Slack's text limits", () => {
    const teams = Array.from({ length: 40 }, (_, i) => team(`team-${i}-${"x".repeat(80)}`, 50 + i));
    const view = renderHomeView(model({ teams, viewerTeam: teams[5]!.team }), NOW);
    expectValidHome(view);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(view.blocks)).toContain("team-39-");
  });

  it("400 teams: the ones that do not fit are counted and pointed to /posture score", () => {
    const view = renderHomeView(model({ teams: Array.from({ length: 400 }, (_, i) => team(`team-${i}`, i / 4)) }), NOW);
    expectValidHome(view);
    expect(JSON.stringify(view.blocks)).toMatch(/…and \d+ more: `\/posture score &lt;team&gt;`/);
  });

  it("escapes hostile team names", () => {
    const view = renderHomeView(model({ teams: [team(HOSTILE, 50)], viewerTeam: HOSTILE }), NOW);
    expectValidHome(view);
    expect(JSON.stringify(view)).not.toMatch(/<!channel>|<@U123ABC>|<https:\/\/evil/);
  });
});
