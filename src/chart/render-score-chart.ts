import { Resvg } from "@resvg/resvg-js";
import { parse, View } from "vega";
import { compile } from "vega-lite";
import type { ScoreChartRequest } from "../app/digest-ports.js";
import { BACKGROUND, scoreChartSpec } from "./score-chart-spec.js";

export interface ChartOptions {
  /** Pixels per SVG unit: 2 gives a sharp image on high-density screens (1,168 x 448 px). */
  scale?: number;
  /** TTF/OTF files to draw text with; by default the system's fonts. Without any font the chart has no labels. */
  fontFiles?: string[];
}

/**
 * The 30-day score trend as a PNG, in-process: vega-lite compiles the spec, vega renders it to SVG
 * headlessly (renderer "none": no canvas, no DOM), resvg rasterises it (a Rust library shipped prebuilt
 * in its npm package). No browser, no external service.
 */
export async function renderScoreChart(request: ScoreChartRequest, options: ChartOptions = {}): Promise<Uint8Array> {
  const view = new View(parse(compile(scoreChartSpec(request)).spec), { renderer: "none" });
  try {
    const svg = await view.toSVG();
    const resvg = new Resvg(svg, {
      background: BACKGROUND,
      fitTo: { mode: "zoom", value: options.scale ?? 2 },
      font: { loadSystemFonts: options.fontFiles === undefined, fontFiles: options.fontFiles ?? [], defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" },
    });
    return new Uint8Array(resvg.render().asPng());
  } finally {
    view.finalize();
  }
}

/** The ScoreChartRenderer port with fixed options. */
export const createScoreChartRenderer = (options: ChartOptions = {}) => (request: ScoreChartRequest) => renderScoreChart(request, options);
