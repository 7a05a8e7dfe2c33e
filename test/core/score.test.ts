import { describe, expect, it } from "vitest";
import { emptyTally, formatScore, scoreImpact, scoreOf, type Tally } from "../../src/core/score.js";

function tally(counts: Partial<Record<keyof Tally, [number, number]>>): Tally {
  const t = emptyTally();
  for (const [severity, [pass, fail]] of Object.entries(counts)) t[severity as keyof Tally] = { pass, fail };
  return t;
}

describe("scoreOf (Datadog's posture score)", () => {
  it.each<[string, Tally, number | null]>([
    ["DESIGN's worked example: critical 9/1, high 8/2, low 5/5", tally({ critical: [9, 1], high: [8, 2], low: [5, 5] }), 76.75],
    ["everything passing", tally({ critical: [3, 0], info: [1, 0] }), 100],
    ["everything failing", tally({ high: [0, 4] }), 0],
    ["the critical ratio is squared", tally({ critical: [1, 1] }), 25],
    ["a severity without evaluations drops out", tally({ medium: [1, 1], low: [0, 0] }), 50],
    ["nothing evaluated has no score", emptyTally(), null],
  ])("%s", (_name, input, expected) => {
    const score = scoreOf(input);
    if (expected === null) expect(score).toBeNull();
    else expect(score).toBeCloseTo(expected, 10);
  });
});

describe("scoreImpact", () => {
  it("is the points gained if a rule's failures passed", () => {
    const t = tally({ critical: [9, 1], high: [8, 2], low: [5, 5] });
    // Fixing the one critical failure: (1*8 + 0.8*6 + 0.5*2) / 16 = 86.25 %, so +9.5 points.
    expect(scoreImpact(t, "critical", 1)).toBeCloseTo(9.5, 10);
    expect(scoreImpact(t, "low", 5)).toBeCloseTo(6.25, 10);
    expect(scoreImpact(t, "medium", 3)).toBe(0);
  });

  it("orders a critical fix above a low one of the same size", () => {
    const t = tally({ critical: [5, 5], low: [5, 5] });
    expect(scoreImpact(t, "critical", 5)).toBeGreaterThan(scoreImpact(t, "low", 5));
  });
});

it("formats with one decimal", () => {
  expect(formatScore(76.75)).toBe("76.8 %");
  expect(formatScore(null)).toBe("n/a");
});
