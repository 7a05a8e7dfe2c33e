import type { AccountCoverageLine, Digest, ScopeActivity, ScoreFacts } from "../core/digest.js";
import type { Severity } from "../core/rule.js";
import type { RuleImpact, Scope } from "../core/scope-counts.js";

/**
 * What the daily digest reads and what it needs to render (DESIGN sections 2.7 and 6). src/db implements
 * the reader on SQLite; a PostgreSQL store (section 10) would implement the same four calls.
 */
export interface ActivityQuery {
  /** The window (since, until], ISO. */
  since: string;
  until: string;
  /** Per severity, first-seen instants before which an open finding is overdue (null: no SLA). */
  overdueBefore: Readonly<Record<Severity, string | null>>;
  /** Example findings kept per team and kind. */
  examples: number;
}

export interface DigestScore extends ScoreFacts {
  topRules: RuleImpact[];
}

export interface DigestReader {
  loadScore(scope: Scope, now: Date, topN: number): Promise<DigestScore>;
  /** Daily scores (UTC days) of the last `days` days, oldest first. */
  loadScoreSeries(scope: Scope, now: Date, days: number): Promise<{ day: string; score: number | null }[]>;
  /** Every team's activity in one pass; the key null holds the unowned findings. */
  loadActivity(query: ActivityQuery): Promise<Map<string | null, ScopeActivity>>;
  /** Each account's coverage in its latest scan. */
  loadCoverage(): Promise<AccountCoverageLine[]>;
  /** Accounts where a team (null: the unowned) has evaluated resources; absent: team digests show no coverage. */
  loadTeamAccounts?(team: string | null): Promise<ReadonlySet<string>>;
}

export interface ScoreChartRequest {
  title: string;
  series: readonly { day: string; score: number | null }[];
  /** The last day drawn (YYYY-MM-DD, UTC), so days without a score show as a gap, not a shorter axis. */
  lastDay: string;
  days: number;
}

/** Renders the 30-day trend as a PNG (src/chart). */
export type ScoreChartRenderer = (request: ScoreChartRequest) => Promise<Uint8Array>;

/** Turns a digest into a message (src/slack/blocks/digest.ts); `chart` names the image posted with it. */
export type DigestMessageRenderer<M> = (digest: Digest, chart: { filename: string; title: string } | null) => M;
