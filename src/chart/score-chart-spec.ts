import type { TopLevelSpec } from "vega-lite";
import type { ScoreChartRequest } from "../app/digest-ports.js";

const DAY_MS = 86_400_000;
export const CHART_WIDTH = 560;
export const CHART_HEIGHT = 200;
/** Slack's blue on white: readable in light and dark themes, since the PNG carries its own background. */
export const LINE_COLOUR = "#1264a3";
export const BACKGROUND = "#ffffff";

/** One point per day of the window; a day without a stored score is null, which breaks the line (a gap). */
export function chartPoints(request: ScoreChartRequest): { t: number; score: number | null }[] {
  const byDay = new Map(request.series.map((p) => [p.day, p.score]));
  const last = Date.parse(`${request.lastDay}T00:00:00Z`);
  const points: { t: number; score: number | null }[] = [];
  for (let offset = request.days - 1; offset >= 0; offset -= 1) {
    const t = last - offset * DAY_MS;
    points.push({ t, score: byDay.get(new Date(t).toISOString().slice(0, 10)) ?? null });
  }
  return points;
}

/** The y axis starts at a round number under the lowest score, so a two-point change is visible; it ends at 100. */
export function scoreDomain(scores: readonly number[]): [number, number] {
  if (scores.length === 0) return [0, 100];
  const low = Math.max(0, Math.floor((Math.min(...scores) - 5) / 10) * 10);
  return [Math.min(low, 90), 100];
}

/**
 * The vega-lite spec of the 30-day trend: a line with a dot per day and the latest score labelled.
 * Times are UTC days (score snapshots are per UTC day), labelled with utcFormat so the host's time zone
 * never shifts a tick.
 */
export function scoreChartSpec(request: ScoreChartRequest): TopLevelSpec {
  const values = chartPoints(request);
  const scores = values.flatMap((v) => (v.score === null ? [] : [v.score]));
  const x = { field: "t", type: "temporal" as const, scale: { type: "utc" as const }, title: null, axis: { labelExpr: "utcFormat(datum.value, '%d %b')", tickCount: 6, grid: false } };
  const y = { field: "score", type: "quantitative" as const, scale: { domain: scoreDomain(scores), nice: false }, title: "Score %", axis: { tickCount: 5 } };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: CHART_WIDTH, height: CHART_HEIGHT, background: BACKGROUND, padding: 12,
    title: { text: request.title, anchor: "start", fontSize: 15 },
    data: { values },
    layer: [
      { mark: { type: "line", color: LINE_COLOUR, strokeWidth: 3, point: { filled: true, size: 40, color: LINE_COLOUR } }, encoding: { x, y } },
      {
        transform: [{ filter: "datum.score != null" }, { window: [{ op: "rank", as: "fromEnd" }], sort: [{ field: "t", order: "descending" }] }, { filter: "datum.fromEnd == 1" }],
        mark: { type: "text", align: "right", dy: -14, fontSize: 13, fontWeight: "bold", color: LINE_COLOUR },
        encoding: { x, y, text: { field: "score", type: "quantitative", format: ".1f" } },
      },
    ],
    config: { font: "DejaVu Sans, Helvetica, Arial, sans-serif", view: { stroke: null }, axis: { labelFontSize: 11, titleFontSize: 11 } },
  };
}
