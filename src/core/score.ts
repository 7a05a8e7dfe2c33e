import { SEVERITIES, type Severity } from "./rule.js";

/** Passing and failing rule x resource evaluations per severity (muted and not evaluated excluded). */
export type Tally = Record<Severity, { pass: number; fail: number }>;

export const SEVERITY_WEIGHTS: Record<Severity, number> = { critical: 8, high: 6, medium: 3, low: 2, info: 1 };

export function emptyTally(): Tally {
  return { critical: { pass: 0, fail: 0 }, high: { pass: 0, fail: 0 }, medium: { pass: 0, fail: 0 }, low: { pass: 0, fail: 0 }, info: { pass: 0, fail: 0 } };
}

export function addToTally(tally: Tally, severity: Severity, status: "pass" | "fail", count = 1): void {
  tally[severity][status] += count;
}

/**
 * Datadog's posture score (DESIGN section 5), in percent: the critical pass ratio is squared and
 * weighted 8, high 6, medium 3, low 2, info 1; a severity without evaluations drops out of both sums.
 * `null` when nothing was evaluated: no score is better than a made-up 100 %.
 */
export function scoreOf(tally: Tally): number | null {
  let numerator = 0;
  let weights = 0;
  for (const severity of SEVERITIES) {
    const { pass, fail } = tally[severity];
    if (pass + fail === 0) continue;
    const ratio = pass / (pass + fail);
    numerator += (severity === "critical" ? ratio * ratio : ratio) * SEVERITY_WEIGHTS[severity];
    weights += SEVERITY_WEIGHTS[severity];
  }
  return weights === 0 ? null : (numerator / weights) * 100;
}

/** Points the score would gain if `failing` evaluations of `severity` passed instead. */
export function scoreImpact(tally: Tally, severity: Severity, failing: number): number {
  const before = scoreOf(tally);
  if (before === null || failing === 0) return 0;
  const after = structuredClone(tally);
  const moved = Math.min(failing, after[severity].fail);
  after[severity].fail -= moved;
  after[severity].pass += moved;
  return (scoreOf(after) ?? before) - before;
}

export function formatScore(score: number | null): string {
  return score === null ? "n/a" : `${score.toFixed(1)} %`;
}
