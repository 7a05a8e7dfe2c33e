import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import type { ScoreChartRequest } from "../../src/app/digest-ports.js";
import { renderScoreChart } from "../../src/chart/render-score-chart.js";
import { CHART_HEIGHT, CHART_WIDTH, chartPoints, LINE_COLOUR, scoreDomain } from "../../src/chart/score-chart-spec.js";

const DAY_MS = 86_400_000;
const LAST = "2026-11-02";
const dayBefore = (n: number) => new Date(Date.parse(`${LAST}T00:00:00Z`) - n * DAY_MS).toISOString().slice(0, 10);
/** 30 days ending on LAST; `score(i)` for day i (0 = oldest), null for a gap. */
const request = (score: (i: number) => number | null, days = 30): ScoreChartRequest => ({
  title: "payments: posture score, last 30 days", lastDay: LAST, days,
  series: Array.from({ length: days }, (_, i) => ({ day: dayBefore(days - 1 - i), score: score(i) })).filter((p) => p.score !== null),
});

describe("the chart's data", () => {
  it("has one point per day of the window, null where no score was stored", () => {
    const points = chartPoints({ title: "t", lastDay: LAST, days: 3, series: [{ day: "2026-11-02", score: 80 }, { day: "2026-10-31", score: 70 }, { day: "2026-10-01", score: 1 }] });
    expect(points).toEqual([
      { t: Date.parse("2026-10-31T00:00:00Z"), score: 70 },
      { t: Date.parse("2026-11-01T00:00:00Z"), score: null },
      { t: Date.parse("2026-11-02T00:00:00Z"), score: 80 },
    ]);
  });

  it.each([
    ["no scores", [], [0, 100]],
    ["scores in the 70s", [72.4, 78], [60, 100]],
    ["a perfect score", [100, 100], [90, 100]],
    ["a score near zero", [3, 50], [0, 100]],
  ])("y axis for %s", (_name, scores, domain) => {
    expect(scoreDomain(scores)).toEqual(domain);
  });
});

function decode(png: Uint8Array): PNG {
  return PNG.sync.read(Buffer.from(png));
}

const [LR, LG, LB] = [1, 3, 5].map((i) => Number.parseInt(LINE_COLOUR.slice(i, i + 2), 16)) as [number, number, number];
/** Pixels close to the line colour (anti-aliased edges excluded). */
function linePixels(image: PNG): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  for (let y = 0; y < image.height; y += 1) {
    for (let x = 0; x < image.width; x += 1) {
      const i = (y * image.width + x) * 4;
      const d = Math.abs(image.data[i]! - LR) + Math.abs(image.data[i + 1]! - LG) + Math.abs(image.data[i + 2]! - LB);
      if (d < 30) out.push({ x, y });
    }
  }
  return out;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe("renderScoreChart: a PNG decoded and inspected", () => {
  it("is a PNG of the expected size, not blank: many colours and the line drawn", async () => {
    const image = decode(await renderScoreChart(request((i) => 60 + i)));
    expect(image.width).toBeGreaterThanOrEqual(2 * CHART_WIDTH);
    expect(image.width).toBeLessThan(2 * CHART_WIDTH + 300);
    expect(image.height).toBeGreaterThanOrEqual(2 * CHART_HEIGHT);
    expect(image.height).toBeLessThan(2 * CHART_HEIGHT + 250);
    const colours = new Set<number>();
    for (let i = 0; i < image.data.length; i += 4) colours.add(image.data.readUInt32BE(i));
    expect(colours.size).toBeGreaterThan(20);
    expect(linePixels(image).length).toBeGreaterThan(2000);
  }, 20_000);

  it("draws a rising score rising: the line's right end sits higher than its left end", async () => {
    const pixels = linePixels(decode(await renderScoreChart(request((i) => 60 + i))));
    const xs = pixels.map((p) => p.x);
    const [minX, maxX] = [Math.min(...xs), Math.max(...xs)];
    const band = (maxX - minX) / 6;
    const left = mean(pixels.filter((p) => p.x < minX + band).map((p) => p.y));
    const right = mean(pixels.filter((p) => p.x > maxX - band).map((p) => p.y));
    expect(right).toBeLessThan(left - 50);
  }, 20_000);

  it("leaves a gap where days have no score", async () => {
    const pixels = linePixels(decode(await renderScoreChart(request((i) => (i >= 10 && i < 20 ? null : 80)))));
    const xs = pixels.map((p) => p.x);
    const [minX, maxX] = [Math.min(...xs), Math.max(...xs)];
    const middle = pixels.filter((p) => p.x > minX + (maxX - minX) * 0.45 && p.x < minX + (maxX - minX) * 0.55);
    expect(middle).toEqual([]);
    expect(pixels.filter((p) => p.x < minX + (maxX - minX) * 0.3).length).toBeGreaterThan(200);
  }, 20_000);

  it("renders the same request to the same bytes (no clock, no randomness)", async () => {
    const r = request((i) => 70 + (i % 3));
    expect(Buffer.from(await renderScoreChart(r)).equals(Buffer.from(await renderScoreChart(r)))).toBe(true);
  }, 20_000);
});
