import { describe, expect, it } from "vitest";
import {
  buildDigest, buildOrgDigest, DEFAULT_SLA_DAYS, digestWindow, emptyActivity, isQuiet, mergeActivity, rankTeams, slaCutoffs, zeroCounts,
  type DigestInput, type DigestSettings, type FindingBrief, type ScopeActivity, type TeamLine,
} from "../../src/core/digest.js";

const NOW = new Date("2026-11-02T08:00:00.000Z");
const settings: DigestSettings = { timeZone: "Europe/Paris", slaDays: DEFAULT_SLA_DAYS, allClear: "post", topRules: 3 };

const brief = (id: number, severity: FindingBrief["severity"], firstSeen: string, ruleId = "rule-a"): FindingBrief =>
  ({ id, ruleId, severity, resourceName: `bucket-${id}`, accountId: "111122223333", firstSeen });

function activity(patch: (a: ScopeActivity) => void): ScopeActivity {
  const a = emptyActivity();
  patch(a);
  return a;
}

function input(a: ScopeActivity, extra: Partial<DigestInput> = {}): DigestInput {
  return {
    scope: "team:payments", label: "payments", score: { score: 81.25, delta1d: -1.5, delta7d: 2 }, activity: a,
    topRules: [], ruleTitles: {}, ...extra,
  };
}

describe("the digest window and SLA cutoffs", () => {
  it("reports on the 24 hours up to now", () => {
    expect(digestWindow(NOW)).toEqual({ since: "2026-11-01T08:00:00.000Z", until: "2026-11-02T08:00:00.000Z" });
  });

  it.each([
    ["critical", "2026-10-26T08:00:00.000Z"],
    ["high", "2026-10-03T08:00:00.000Z"],
    ["medium", "2026-08-04T08:00:00.000Z"],
    ["low", "2026-05-06T08:00:00.000Z"],
    ["info", null],
  ] as const)("%s findings first seen before %s are overdue", (severity, cutoff) => {
    expect(slaCutoffs(NOW, DEFAULT_SLA_DAYS)[severity]).toBe(cutoff);
  });
});

describe("quiet teams", () => {
  it.each([
    ["nothing at all", emptyActivity(), null, true],
    ["only medium findings open, none overdue", activity((a) => { a.open.medium = 4; }), null, true],
    ["an open high finding", activity((a) => { a.open.high = 1; }), null, false],
    ["a resolved finding (good news is news)", activity((a) => { a.transitions.resolved.low = 1; }), null, false],
    ["a new low finding", activity((a) => { a.transitions.new.low = 1; }), null, false],
    ["an overdue medium finding", activity((a) => { a.overdue.medium = 1; }), null, false],
    ["a mute expiring this week", emptyActivity(), [{}], false],
    ["mutes given but none expiring", emptyActivity(), [], true],
  ])("%s: quiet = %s", (_name, a, mutes, quiet) => {
    expect(isQuiet(a, mutes)).toBe(quiet);
  });

  it.each([
    ["post", "all-clear"],
    ["skip", null],
  ] as const)("allClear %s gives %s", (allClear, kind) => {
    const digest = buildDigest(input(emptyActivity()), { ...settings, allClear }, NOW);
    expect(digest?.kind ?? null).toBe(kind);
  });
});

describe("buildDigest", () => {
  it("dates in the configured time zone, counts with totals, open critical and high", () => {
    const a = activity((x) => {
      x.transitions.new.critical = 1;
      x.transitions.new.medium = 2;
      x.transitions.resolved.high = 3;
      x.open.critical = 2;
      x.open.high = 5;
    });
    const digest = buildDigest(input(a), settings, NOW)!;
    expect(digest).toMatchObject({
      kind: "report", dateLabel: "Monday 2 November 2026", windowLabel: "since Sun 1 Nov, 09:00 (Europe/Paris)",
      changes: { new: { total: 3 }, reopened: { total: 0 }, resolved: { total: 3, bySeverity: { high: 3 } } },
      open: { critical: 2, high: 5 }, mutesExpiring: null, teams: null, coverage: null,
    });
  });

  it.each([
    ["Pacific/Auckland", "Monday 2 November 2026", "since Sun 1 Nov, 21:00 (Pacific/Auckland)"],
    // US daylight saving time ends on 1 Nov 2026 at 02:00 local: the window starts on summer time.
    ["America/Los_Angeles", "Monday 2 November 2026", "since Sun 1 Nov, 01:00 (America/Los_Angeles)"],
    ["America/Anchorage", "Sunday 1 November 2026", "since Sun 1 Nov, 00:00 (America/Anchorage)"],
  ])("in %s the date is %s", (timeZone, dateLabel, windowLabel) => {
    expect(buildDigest(input(emptyActivity()), { ...settings, timeZone }, NOW)).toMatchObject({ dateLabel, windowLabel });
  });

  it.each([
    ["critical 10 days old: 3 days past its 7-day SLA", "critical", "2026-10-23T08:00:00.000Z", 7, "3 days"],
    ["high 30 days and 5 hours old", "high", "2026-10-03T03:00:00.000Z", 30, "5 hours"],
    ["low a year old", "low", "2025-11-02T08:00:00.000Z", 180, "6 months"],
  ] as const)("overdue: %s", (_name, severity, firstSeen, slaDays, overdueBy) => {
    const a = activity((x) => { x.overdue[severity] = 1; x.oldestOverdue.push(brief(1, severity, firstSeen)); });
    expect(buildDigest(input(a), settings, NOW)!.overdue).toMatchObject({ total: 1, oldest: [{ slaDays, overdueBy }] });
  });

  it("uses the configured SLA days, and a severity without an SLA lists no overdue example", () => {
    const a = activity((x) => { x.overdue.high = 1; x.oldestOverdue.push(brief(1, "high", "2026-10-20T08:00:00.000Z"), brief(2, "info", "2020-01-01T00:00:00.000Z")); });
    const digest = buildDigest(input(a), { ...settings, slaDays: { ...DEFAULT_SLA_DAYS, high: 10 } }, NOW)!;
    expect(digest.overdue.oldest.map((o) => [o.id, o.overdueBy])).toEqual([[1, "3 days"]]);
  });

  it("lists mutes expiring within seven days only, soonest first, in the time zone", () => {
    const mutes = [
      { ruleId: "r1", resourceName: "later", expiresAt: "2026-11-12T08:00:00.000Z" },
      { ruleId: "r2", resourceName: "soon", expiresAt: "2026-11-05T14:30:00.000Z" },
      { ruleId: "r3", resourceName: "expired", expiresAt: "2026-11-01T08:00:00.000Z" },
      { ruleId: "r4", resourceName: "edge", expiresAt: "2026-11-09T08:00:00.000Z" },
    ];
    const digest = buildDigest(input(emptyActivity(), { mutes }), settings, NOW)!;
    expect(digest.kind).toBe("report");
    expect(digest.mutesExpiring!.map((m) => [m.resourceName, m.expiresLabel, m.expiresIn])).toEqual([
      ["soon", "Thu 5 Nov, 15:30", "in 3 days"],
      ["edge", "Mon 9 Nov, 09:00", "in 7 days"],
    ]);
  });

  it("keeps the rules whose fix raises the score most, with titles, dropping zero impact", () => {
    const topRules = [
      { ruleId: "b", severity: "high" as const, fail: 2, impact: 3.5 },
      { ruleId: "a", severity: "critical" as const, fail: 1, impact: 9 },
      { ruleId: "c", severity: "low" as const, fail: 9, impact: 0.4 },
      { ruleId: "d", severity: "low" as const, fail: 1, impact: 0.4 },
      { ruleId: "z", severity: "info" as const, fail: 1, impact: 0 },
    ];
    const digest = buildDigest(input(activity((x) => { x.open.high = 1; }), { topRules, ruleTitles: { a: "Rule A" } }), settings, NOW)!;
    expect(digest.topRules.map((r) => [r.ruleId, r.title])).toEqual([["a", "Rule A"], ["b", "b"], ["c", "c"]]);
  });
});

describe("the org digest", () => {
  it("merges teams' activity, keeping the most severe examples", () => {
    const one = activity((x) => { x.transitions.new.low = 2; x.examples.new.push(brief(1, "low", "2026-11-02T08:00:00.000Z")); x.open.high = 1; });
    const two = activity((x) => { x.transitions.new.critical = 1; x.examples.new.push(brief(2, "critical", "2026-11-02T08:00:00.000Z")); x.overdue.low = 3; });
    const merged = mergeActivity([one, two], 1);
    expect(merged.transitions.new).toEqual({ ...zeroCounts(), low: 2, critical: 1 });
    expect(merged.examples.new.map((e) => e.id)).toEqual([2]);
    expect(merged).toMatchObject({ open: { high: 1 }, overdue: { low: 3 } });
  });

  it("is never skipped, lists teams needing attention first and the incomplete accounts", () => {
    const teams = [
      { input: input(emptyActivity(), { scope: "team:quiet", label: "quiet", score: { score: 99, delta1d: 0, delta7d: 0 } }) },
      { input: input(activity((x) => { x.open.critical = 2; }), { scope: "team:fire", label: "fire" }) },
    ];
    const coverage = [
      { accountId: "111122223333", name: "prod", status: "ok" as const, error: null },
      { accountId: "444455556666", name: null, status: "failed" as const, error: "AccessDenied: sts:AssumeRole" },
    ];
    const org = buildOrgDigest(input(emptyActivity(), { scope: "org", label: "Organisation", coverage }), teams, { ...settings, allClear: "skip" }, NOW);
    expect(org.kind).toBe("all-clear");
    expect(org.teams!.map((t) => t.label)).toEqual(["fire", "quiet"]);
    expect(org.coverage).toEqual({ total: 2, incomplete: [coverage[1]] });
  });

  const line = (label: string, patch: Partial<TeamLine>): TeamLine => ({ scope: `team:${label}`, label, score: 90, delta7d: null, newCount: 0, overdue: 0, openCritical: 0, openHigh: 0, ...patch });
  it.each([
    ["open critical first", [line("a", {}), line("b", { openCritical: 1 })], ["b", "a"]],
    ["then most overdue", [line("a", { overdue: 1 }), line("b", { overdue: 4 })], ["b", "a"]],
    ["then lowest score, unscored last", [line("a", { score: null }), line("b", { score: 95 }), line("c", { score: 40 })], ["c", "b", "a"]],
    ["then by name", [line("b", {}), line("a", {})], ["a", "b"]],
  ])("ranks teams: %s", (_name, lines, order) => {
    expect(rankTeams(lines).map((l) => l.label)).toEqual(order);
  });
});
