import type { Evidence } from "../../core/condition.js";
import { SEVERITIES, type Severity } from "../../core/rule.js";
import { formatScore, type Tally } from "../../core/score.js";
import { escapeMrkdwn, md, raw, truncate, type Mrkdwn } from "./text.js";

/** Colour-coded like Datadog's severity pills; the label is always written out (colour-blind readers). */
export const SEVERITY_STYLE: Record<Severity, { emoji: string; label: string }> = {
  critical: { emoji: ":red_circle:", label: "Critical" },
  high: { emoji: ":large_orange_circle:", label: "High" },
  medium: { emoji: ":large_yellow_circle:", label: "Medium" },
  low: { emoji: ":large_blue_circle:", label: "Low" },
  info: { emoji: ":white_circle:", label: "Info" },
};

export const severityBadge = (severity: Severity): string => `${SEVERITY_STYLE[severity].emoji} ${SEVERITY_STYLE[severity].label}`;

/** A severity override applied to a finding: its rule's own severity and why the organisation changed it. */
export interface SeverityOverrideView {
  ruleSeverity: Severity;
  reason: string;
}

/** " (rule default: critical) — public website, reviewed" (mrkdwn): why a finding's severity is not its rule's; "" without an override. */
export function severityOverrideNote(override: SeverityOverrideView | undefined, maxReason = 300): string {
  return override ? md` (rule default: ${override.ruleSeverity}) — ${truncate(override.reason, maxReason)}` : "";
}

/** Short names of the frameworks in rules/frameworks.yaml; an unknown id is shown as is. */
export const FRAMEWORK_LABELS: Record<string, string> = {
  "cis-aws-3.0": "CIS 3.0",
  "cis-aws-7.0": "CIS 7.0",
  "aws-fsbp": "AWS FSBP",
  "pci-dss-4.0": "PCI DSS 4.0",
  hipaa: "HIPAA",
  soc2: "SOC 2",
  "nist-800-53-r5": "NIST 800-53 r5",
};
export const frameworkLabel = (id: string): string => FRAMEWORK_LABELS[id] ?? id;

/** "CIS 3.0 2.1.1 · PCI DSS 4.0 1.4.4, 1.3.1" in the order the rule lists them, escaped. */
export function formatCompliance(compliance: Readonly<Record<string, readonly string[]>>, max = 600): string {
  const parts = Object.entries(compliance).map(([framework, controls]) => `${frameworkLabel(framework)} ${controls.join(", ")}`);
  return escapeMrkdwn(truncate(parts.join(" · "), max));
}

/** "76.8 %", or "n/a" when nothing was evaluated. */
export { formatScore };

/** "▲ +1.2" / "▼ −0.5" / "= 0.0" points; "n/a" without a past snapshot. */
export function formatDelta(delta: number | null): string {
  if (delta === null) return "n/a";
  const rounded = Math.round(delta * 10) / 10;
  if (rounded === 0) return "= 0.0";
  return rounded > 0 ? `▲ +${rounded.toFixed(1)}` : `▼ −${Math.abs(rounded).toFixed(1)}`;
}

export const formatDeltas = (delta1d: number | null, delta7d: number | null): string => `${formatDelta(delta1d)} (1 d) · ${formatDelta(delta7d)} (7 d)`;

const BARS = "▁▂▃▄▅▆▇█";
/** A small change should not look like a cliff: the scale spans at least this many points. */
const MIN_SPARK_RANGE = 5;

/** One character per day of `days` ending on `now`'s day (UTC); days without a score are "·". */
export function renderSparkline(series: readonly { day: string; score: number | null }[], now: Date, days = 30): string {
  const byDay = new Map(series.map((p) => [p.day, p.score]));
  const cells: (number | null)[] = [];
  for (let offset = days - 1; offset >= 0; offset -= 1) {
    cells.push(byDay.get(new Date(now.getTime() - offset * 86_400_000).toISOString().slice(0, 10)) ?? null);
  }
  const known = cells.filter((c): c is number => c !== null);
  if (known.length === 0) return "";
  const max = Math.max(...known);
  const min = Math.min(Math.min(...known), max - MIN_SPARK_RANGE);
  return cells.map((c) => (c === null ? "·" : BARS[Math.round(((c - min) / (max - min)) * (BARS.length - 1))])).join("");
}

/** Failing evaluations per severity, most severe first, zeros left out: "🔴 3 critical · 🟠 12 high". */
export function formatFailing(tally: Tally): string {
  const parts = SEVERITIES.filter((s) => tally[s].fail > 0).map((s) => `${SEVERITY_STYLE[s].emoji} ${tally[s].fail.toLocaleString("en-US")} ${s}`);
  return parts.length > 0 ? parts.join(" · ") : ":white_check_mark: nothing failing";
}

const MAX_VALUE = 300;

/** One observed value as compact JSON, cut to stay readable. */
export function renderObserved(value: unknown): string {
  const text = value === undefined ? "(absent)" : (JSON.stringify(value) ?? String(value));
  return truncate(text, MAX_VALUE);
}

/**
 * Evidence lines `path = observed (expected …)` (plain, unescaped), unique, as many as fit in `budget`
 * characters, then "… and N more": a reader sees whole lines, never a value cut mid-line by a limit.
 */
export function renderEvidenceLines(evidence: readonly Evidence[], budget = 1200): string[] {
  const lines = [...new Set(evidence.map((e) => `${truncate(e.path, 150)} = ${renderObserved(e.observed)}  (expected ${truncate(e.expected, 200)})`))];
  const shown: string[] = [];
  let used = 0;
  for (const line of lines) {
    if (used + line.length > budget) break;
    shown.push(line);
    used += line.length + 1;
  }
  const more = lines.length - shown.length;
  return more > 0 ? [...shown, `… and ${more} more`] : shown;
}

/** Tag keys worth showing first: ownership, environment and data sensitivity. */
const NOTABLE_TAGS = ["team", "owner", "env", "environment", "stage", "service", "app", "application", "data-classification", "classification", "name"];
const MAX_TAGS = 6;

/** Up to six tags, the notable keys first, as inline code: "`team=payments` `env=prod` +3 more". */
export function formatTags(tags: Readonly<Record<string, string>> | null | undefined): Mrkdwn | null {
  const entries = Object.entries(tags ?? {});
  if (entries.length === 0) return null;
  const rank = (key: string) => {
    const i = NOTABLE_TAGS.indexOf(key.toLowerCase());
    return i === -1 ? NOTABLE_TAGS.length : i;
  };
  const sorted = entries.sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const shown = sorted.slice(0, MAX_TAGS).map(([k, v]) => `\`${escapeMrkdwn(truncate(`${k}=${v}`, 80).replace(/`/g, "ˋ"))}\``);
  const more = sorted.length - MAX_TAGS;
  return raw(shown.join(" ") + (more > 0 ? ` +${more} more` : ""));
}

/** "payments" or "unowned" as the team label a reader sees. */
export const teamLabel = (team: string | null): string => team ?? "unowned";
