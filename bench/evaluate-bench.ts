import { runScan } from "../src/app/scan.js";
import { loadCatalog } from "../src/rules-files.js";
import { generateSnapshot } from "./generate.js";

export interface EvaluateFigures {
  resources: number;
  rules: number;
  evaluations: number;
  findings: number;
  notEvaluated: number;
  score: string;
  generateMs: number;
  evaluateMs: number;
  resourcesPerSecond: number;
  msPer10k: number;
  rssBeforeMb: number;
  peakRssMb: number;
  evaluationRssMb: number;
  heapUsedAfterMb: number;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** Evaluates the real catalog on a generated snapshot through the scan use case (as `posture scan` does). */
export async function runEvaluateBench(size = 400_000): Promise<EvaluateFigures> {
  const catalog = loadCatalog();
  let started = performance.now();
  const snapshot = generateSnapshot({ size });
  const generateMs = performance.now() - started;
  const rssBefore = process.memoryUsage().rss;
  started = performance.now();
  const { report, rules } = await runScan({ rules: catalog.rules, source: { kind: "snapshot", snapshot }, now: new Date(snapshot.collectedAt) });
  const evaluateMs = performance.now() - started;
  // maxRSS is in kilobytes: the process's peak, generation included.
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  return {
    resources: snapshot.resources.length,
    rules: rules.length,
    evaluations: report.evaluations,
    findings: report.findings.length,
    notEvaluated: report.coverage.notEvaluated,
    score: report.score === null ? "n/a" : `${report.score.toFixed(1)} %`,
    generateMs: Math.round(generateMs),
    evaluateMs: Math.round(evaluateMs),
    resourcesPerSecond: Math.round(snapshot.resources.length / (evaluateMs / 1000)),
    msPer10k: Number(((evaluateMs / snapshot.resources.length) * 10_000).toFixed(1)),
    rssBeforeMb: mb(rssBefore),
    peakRssMb,
    evaluationRssMb: peakRssMb - mb(rssBefore),
    heapUsedAfterMb: mb(process.memoryUsage().heapUsed),
  };
}
