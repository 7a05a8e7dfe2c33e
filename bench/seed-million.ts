import { SEVERITIES } from "../src/core/rule.js";
import type { Db } from "../src/db/open.js";

export interface MillionSeed {
  teams: readonly string[];
  /** Score scopes that get per-scan counts and daily snapshots ("org", "team:x", "framework:y"). */
  scopes: readonly string[];
  /** The rule of finding i (from its hash). */
  ruleOf?: (hash: number) => string;
  /** Share of muted findings: 1 in `mutedEvery` of the open ones (0: none). */
  mutedEvery?: number;
  /** The tally JSON stored with each score snapshot. */
  tally?: string;
}

const ACCOUNTS = 100;
const account = (a: number) => String(100000000000 + a);

/**
 * A million findings (bulk insert without the resource rows they would reference) plus 30 days of
 * per-account counts and score snapshots: what the query and slash-command benchmarks read.
 */
export function seedMillionFindings(db: Db, seed: MillionSeed): void {
  const ruleOf = seed.ruleOf ?? ((h: number) => `rule-${h % 60}`);
  db.pragma("foreign_keys = OFF");
  db.transaction(() => {
    const finding = db.prepare(`INSERT INTO findings (rule_id, resource_arn, account_id, resource_type, resource_name, region, team, owner_reason, severity, severity_rank,
      status, last_result, first_seen, last_seen, opened_at, evidence, qualifiers, rule_version, last_scan_id) VALUES (?, ?, ?, 'aws:s3:bucket', ?, 'us-east-1', ?, 'tag team', ?, ?, ?, 'fail', ?, ?, ?, '[]', '[]', 'v1', 'day-29')`);
    for (let i = 0; i < 1_000_000; i++) {
      const h = (i * 2654435761) >>> 0;
      const rank = [0, 1, 1, 2, 2, 2, 3, 3, 4, 4][h % 10]!;
      const status = h % 5 === 0 ? "resolved" : seed.mutedEvery && h % seed.mutedEvery === 0 ? "muted" : "open";
      finding.run(ruleOf(h), `arn:aws:s3:::b-${i}`, account(i % ACCOUNTS), `b-${i}`, seed.teams[(h >>> 4) % seed.teams.length]!, SEVERITIES[rank]!, rank, status,
        "2026-10-01T00:00:00.000Z", "2026-11-01T00:00:00.000Z", status === "open" ? "2026-10-01T00:00:00.000Z" : null);
    }
    seedHistory(db, seed.scopes, seed.tally ?? "{}");
  })();
  db.pragma("foreign_keys = ON");
  db.exec("ANALYZE");
}

function seedHistory(db: Db, scopes: readonly string[], tally: string): void {
  const scan = db.prepare(`INSERT INTO scans VALUES (?, ?, ?, ?, 'completed', 'bench', 'all', 60, 400000, 2400000, 2000000, 400000, 0)`);
  const count = db.prepare("INSERT INTO scan_counts VALUES (?, ?, ?, ?, ?, ?, ?, 0)");
  const snapshot = db.prepare("INSERT INTO score_snapshots VALUES (?, ?, ?, ?, ?, ?)");
  for (let d = 0; d < 30; d++) {
    const id = `day-${d}`;
    const at = new Date(Date.parse("2026-10-03T08:00:00.000Z") + d * 86_400_000).toISOString();
    scan.run(id, at, at, at);
    for (let a = 0; a < ACCOUNTS; a++) for (let r = 0; r < 60; r++) for (const scope of scopes) count.run(id, account(a), scope, `rule-${r}`, SEVERITIES[r % 5]!, 60 + r, r % 7);
    for (const scope of scopes) snapshot.run(scope, at.slice(0, 10), 70 + (d % 10), tally, id, at);
  }
  const latest = db.prepare("INSERT INTO account_latest VALUES (?, 'day-29')");
  for (let a = 0; a < ACCOUNTS; a++) latest.run(account(a));
}
