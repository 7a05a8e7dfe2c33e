// The state benchmark (issue 3): reconcile a 400,000-resource scan with ~100,000 failing evaluations
// into a database that holds the previous scan; then, with a million findings stored, the latency of
// the score and first-page findings queries. Figures only (DESIGN section 9). Alone:
// `npx tsx bench/state-bench.ts [resources]`.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { planReconcile } from "../src/app/reconcile-scan.js";
import { namedChecks } from "../src/core/checks/index.js";
import { parseCatalog } from "../src/core/catalog.js";
import { SNAPSHOT_SCHEMA_VERSION, type Bucket, type Snapshot } from "../src/core/snapshot.js";
import { loadFindings } from "../src/db/finding-queries.js";
import { loadFindingStates } from "../src/db/findings-repo.js";
import { seedMillionFindings } from "./seed-million.js";
import { openDatabase, type Db } from "../src/db/open.js";
import { loadOwnershipOverrides } from "../src/db/resources-repo.js";
import { loadScore } from "../src/db/score-queries.js";
import { persistReconcile } from "../src/db/state-store.js";

const TEAMS = ["payments", "data", "platform", "identity", "web", "mobile", "ml", "search"];
const PER_ACCOUNT = 4_000;
const rule = (id: string, severity: string, check: string, fw: string, pass: string, fail: string) => ({
  path: `rules/s3/${id}.yaml`,
  text: `id: ${id}\ntitle: Title of ${id}\nseverity: ${severity}\nresource: aws:s3:bucket\ndescription: A description long enough.\nrisk: A risk long enough.\ncheck: ${check}\ncompliance: { ${fw}: ["1"] }\nremediation: { console: "Console steps here", cli: "aws cli", terraform: "terraform", references: ["https://docs.aws.amazon.com/"] }\ntests:\n  - { name: passes, expect: pass, resource: ${pass} }\n  - { name: fails, expect: fail, resource: ${fail} }\n`,
});
const catalog = parseCatalog({
  frameworks: { path: "rules/frameworks.yaml", text: 'frameworks:\n  cis: { name: CIS, version: "3", controls: { "1": "One" } }\n  pci: { name: PCI, version: "4", controls: { "1": "One" } }\n' },
  rules: [
    rule("versioning", "critical", "{ path: versioning.status, equals: Enabled }", "cis", "{ versioning: { status: Enabled, mfaDelete: Disabled } }", "{ versioning: { status: Suspended, mfaDelete: Disabled } }"),
    rule("logging", "high", "{ path: logging, exists: true }", "cis", "{ logging: { targetBucket: l, targetPrefix: x } }", "{ logging: null }"),
    rule("encryption", "medium", "{ path: encryption, exists: true }", "pci", "{ encryption: { rules: [{ algorithm: AES256, bucketKeyEnabled: false }] } }", "{ encryption: null }"),
  ],
  checks: namedChecks,
  fixers: new Set(),
});

/** ~1 in 12 evaluations fails per rule (3 rules: ~100k failures in 400k buckets); `shift` moves which ones. */
function generateScan(size: number, shift: number, collectedAt: string): Snapshot {
  const resources: Bucket[] = [];
  for (let i = 0; i < size; i++) {
    const n = i + shift * 7; // the next scan: some buckets deleted at the start, new ones at the end
    const h = (n * 2654435761) >>> 0;
    resources.push({
      type: "aws:s3:bucket", arn: `arn:aws:s3:::bucket-${n}`, name: `bucket-${n}`, accountId: String(100000000000 + Math.floor(n / PER_ACCOUNT)), region: "us-east-1",
      tags: { team: TEAMS[h % TEAMS.length]!, env: "prod" },
      versioning: { status: (h >>> 3) % 12 === shift % 12 ? "Suspended" : "Enabled", mfaDelete: "Disabled" },
      logging: (h >>> 7) % 12 === 0 ? null : { targetBucket: "logs", targetPrefix: `b${n}/` },
      encryption: (h >>> 11) % 12 === 0 ? null : { rules: [{ algorithm: "AES256", bucketKeyEnabled: true }] },
    });
  }
  const accounts = [...new Set(resources.map((r) => r.accountId))].map((accountId) => ({ accountId, regions: ["us-east-1"], status: "ok" as const, startedAt: collectedAt, finishedAt: collectedAt, apiCalls: {}, errors: [] }));
  return { schemaVersion: SNAPSHOT_SCHEMA_VERSION, collectedAt, accounts, resources };
}

const ownership = { tagKeys: ["team"], teams: TEAMS.map((handle) => ({ handle, channel: `#${handle}`, match: { tags: [], accounts: [], arns: [], names: [] } })) };
const teamRecords = TEAMS.map((handle) => ({ handle, channel: `#${handle}`, members: [] }));

function reconcileOnce(db: Db, snapshot: Snapshot, scanId: string) {
  const now = new Date(snapshot.collectedAt);
  let started = performance.now();
  const { plan, report } = planReconcile({ scanId, trigger: "bench", rules: catalog.rules, ruleScope: "all", snapshot, startedAt: now, now, ownership, teams: teamRecords, securityChannel: "#security" },
    loadFindingStates(db), loadOwnershipOverrides(db));
  const planMs = performance.now() - started;
  started = performance.now();
  const summary = persistReconcile(db, plan);
  return { planMs, persistMs: performance.now() - started, failing: report.findings.length, evaluations: report.evaluations, summary };
}

export interface ReconcileFigures {
  resources: number; evaluations: number; failingEvaluations: number; transitions: string; outboxQueued: number;
  previousScanMs: number; generateMs: number; evaluateAndPlanMs: number; transactionMs: number; reconcileWallMs: number;
  snapshotRssMb: number; peakRssMb: number; reconcileRssMb: number;
}

const PREVIOUS_AT = "2026-11-01T08:00:00.000Z";
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/**
 * The previous scan is reconciled in a child process, so that this process's peak RSS is the measured
 * scan's alone: its generated snapshot (snapshotRssMb) plus what reconciling it adds (reconcileRssMb).
 */
function seedPreviousScan(path: string, size: number): number {
  const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--seed", path, String(size)], { encoding: "utf8", maxBuffer: 1 << 20 });
  return Number(out.trim());
}

export function runReconcileBench(size = 400_000): ReconcileFigures {
  const dir = mkdtempSync(join(tmpdir(), "posture-bench-"));
  const path = join(dir, "posture.db");
  try {
    const previousScanMs = seedPreviousScan(path, size);
    const { db } = openDatabase(path);
    let started = performance.now();
    const snapshot = generateScan(size, 1, "2026-11-02T08:00:00.000Z");
    const generateMs = performance.now() - started;
    const snapshotRss = process.memoryUsage.rss();
    started = performance.now();
    const next = reconcileOnce(db, snapshot, "scan-2");
    const reconcileWallMs = performance.now() - started;
    const peakRss = process.resourceUsage().maxRSS * 1024;
    db.close();
    const t = next.summary.transitions;
    return {
      resources: size, evaluations: next.evaluations, failingEvaluations: next.failing, transitions: `${t.new} new, ${t.resolved} resolved, ${t.deleted} deleted, ${t.reopened} reopened`,
      outboxQueued: next.summary.outboxQueued, previousScanMs, generateMs: Math.round(generateMs), evaluateAndPlanMs: Math.round(next.planMs),
      transactionMs: Math.round(next.persistMs), reconcileWallMs: Math.round(reconcileWallMs), snapshotRssMb: mb(snapshotRss), peakRssMb: mb(peakRss), reconcileRssMb: mb(peakRss - snapshotRss),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A million findings, 100 accounts x 60 rules x 8 scopes of counts per day for 30 days, 30 days of snapshots. */
function seedMillion(db: Db): void {
  seedMillionFindings(db, {
    teams: TEAMS, mutedEvery: 37,
    scopes: ["org", "team:payments", "team:data", "framework:cis", "framework:pci", "framework:soc2", "framework:hipaa", "framework:nist"],
  });
}

function percentiles(run: () => unknown, iterations = 300): { p50: number; p99: number } {
  for (let i = 0; i < 20; i++) run();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => Number(times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2));
  return { p50: at(0.5), p99: at(0.99) };
}

export function runQueryBench(): Record<string, { p50: number; p99: number }> & { seedMs?: never } {
  const dir = mkdtempSync(join(tmpdir(), "posture-bench-"));
  const { db } = openDatabase(join(dir, "posture.db"));
  try {
    seedMillion(db);
    const now = new Date("2026-11-01T12:00:00.000Z");
    return {
      "score org (ms)": percentiles(() => loadScore(db, "org", now)),
      "score team (ms)": percentiles(() => loadScore(db, "team:payments", now)),
      "score framework (ms)": percentiles(() => loadScore(db, "framework:cis", now)),
      "findings open, first page (ms)": percentiles(() => loadFindings(db, {})),
      "findings team (ms)": percentiles(() => loadFindings(db, { team: "payments" })),
      "findings team + high (ms)": percentiles(() => loadFindings(db, { team: "data", severities: ["critical", "high"] })),
      "findings rule (ms)": percentiles(() => loadFindings(db, { ruleId: "rule-7" })),
      "findings info only (ms)": percentiles(() => loadFindings(db, { severities: ["info"] })),
    };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Both parts, for bench/run.ts. */
export function runStateBench(size = 400_000): { reconcile: ReconcileFigures; queries: ReturnType<typeof runQueryBench> } {
  return { reconcile: runReconcileBench(size), queries: runQueryBench() };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href && process.argv[2] === "--seed") {
  const { db } = openDatabase(process.argv[3]!);
  const { planMs, persistMs } = reconcileOnce(db, generateScan(Number(process.argv[4]), 0, PREVIOUS_AT), "scan-1");
  db.close();
  console.log(Math.round(planMs + persistMs));
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const size = Number(process.argv[2] ?? 400_000);
  const { reconcile, queries } = runStateBench(size);
  console.log(`Reconcile: ${size.toLocaleString("en-US")} resources into a database holding the previous scan`);
  for (const [key, value] of Object.entries(reconcile)) console.log(`  ${key.padEnd(22)} ${typeof value === "number" ? value.toLocaleString("en-US") : value}`);
  console.log("Queries with 1,000,000 findings stored (p50 / p99)");
  for (const [key, { p50, p99 }] of Object.entries(queries)) console.log(`  ${key.padEnd(32)} ${String(p50).padStart(7)} / ${String(p99).padStart(7)}`);
}
