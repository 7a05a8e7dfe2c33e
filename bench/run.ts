// `npm run bench`: the evaluation benchmark (400,000 generated resources through the scan use case),
// the collection benchmark (1,000 buckets and 2,000 users behind a fake AWS endpoint with latency),
// the state and Slack benchmarks, then a full scheduled cycle (README "Benchmarks"). Figures only: no
// timing assertion lives in the test suite (DESIGN section 9); the cycle bench's sanity checks set the
// exit code. `npm run bench -- 100000` evaluates another size.
import { runCollectBench } from "./collect-bench.js";
import { runEvaluateBench, type EvaluateFigures } from "./evaluate-bench.js";

const LABELS: Record<keyof EvaluateFigures, string> = {
  resources: "resources", rules: "rules evaluated", evaluations: "rule x resource evaluations", findings: "failing findings",
  notEvaluated: "not evaluated", score: "posture score", generateMs: "generate snapshot (ms)", evaluateMs: "evaluate + report (ms)",
  resourcesPerSecond: "resources / s", msPer10k: "ms per 10k resources", rssBeforeMb: "RSS before evaluation (MB)",
  peakRssMb: "peak RSS (MB)", evaluationRssMb: "peak RSS added by evaluation (MB)", heapUsedAfterMb: "heap used after (MB)",
};

export function renderFigures(title: string, figures: Record<string, unknown>, labels: Record<string, string> = {}): string {
  const rows = flatten(figures).map(([key, value]) => [labels[key] ?? key, typeof value === "number" ? value.toLocaleString("en-US") : String(value)] as const);
  const width = Math.max(...rows.map(([label]) => label.length));
  return [title, "-".repeat(title.length), ...rows.map(([label, value]) => `${label.padEnd(width)}  ${value.padStart(14)}`)].join("\n");
}

function flatten(value: Record<string, unknown>, prefix = ""): [string, unknown][] {
  return Object.entries(value).flatMap(([key, inner]) => (inner !== null && typeof inner === "object" && !Array.isArray(inner)
    ? flatten(inner as Record<string, unknown>, `${prefix}${key}.`)
    : [[`${prefix}${key}`, Array.isArray(inner) ? JSON.stringify(inner) : inner] as [string, unknown]]));
}

const size = Number(process.argv[2] ?? 400_000);
console.log(renderFigures(`Evaluation: ${size.toLocaleString("en-US")} generated resources, real rule catalog`, { ...(await runEvaluateBench(size)) }, LABELS));

const collection = await runCollectBench();
const COLLECT_LABELS: Record<string, string> = {
  latencyMs: "added latency per request (ms)", concurrency: "concurrent calls per account", wallSeconds: "wall time (s)",
  apiCallsTotal: "API calls, total", s3CallsPerBucket: "S3 calls per bucket", iamCallsPerAccount: "IAM calls per account",
  resources: "resources collected", errors: "collection errors",
};
console.log(`\n${renderFigures("Collection: 1,000 buckets and 2,000 users behind a fake AWS endpoint", { ...collection }, COLLECT_LABELS)}`);

// Issue 3: reconcile a 400,000-resource scan into SQLite; score and findings queries with a million findings.
const { runStateBench } = await import("./state-bench.js");
const state = runStateBench(size);
console.log(`\n${renderFigures(`State: reconcile ${size.toLocaleString("en-US")} resources into a database holding the previous scan`, { ...state.reconcile })}`);
console.log(`\n${renderFigures("State: queries with 1,000,000 findings stored (p50 / p99, ms)", Object.fromEntries(Object.entries(state.queries).map(([k, v]) => [k, `${v.p50} / ${v.p99}`])))}`);

// Issue 4: /posture answers with a million findings stored; posting 5,000 findings to 20 channels.
const { runSlackBench } = await import("./slack-bench.js");
const slack = await runSlackBench();
console.log(`\n${renderFigures("Slack: /posture response time, signed HTTP request to response (p50 / p99, ms)", Object.fromEntries(Object.entries(slack.slash).map(([k, v]) => [k, `${v.p50} / ${v.p99}`])))}`);
console.log(`\n${renderFigures("Slack: posting 5,000 new findings to 20 channels (one message each)", { ...slack.posting })}`);
console.log(`\n${renderFigures("Slack: posting 5,000 new findings to 20 channels (grouped per rule)", { ...slack.postingGrouped })}`);

// Issue 7: a full scheduled cycle through startPosture: scan tick (20 accounts, fake AWS with latency), delivery, digest tick for 100 teams.
const { runCycleBench } = await import("./cycle-bench.js");
const cycle = await runCycleBench();
console.log(`\n${renderFigures("Cycle: scan tick of 20 accounts, delivery, digest tick for 100 teams (startPosture, fake AWS and Slack)", { ...cycle.figures })}`);
for (const problem of cycle.problems) console.error(`cycle bench: ${problem}`);
if (cycle.problems.length > 0) process.exitCode = 1;
