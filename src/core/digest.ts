import { tz } from "@date-fns/tz";
import { addDays, format, formatDistanceStrict, subDays, subHours } from "date-fns";
import { SEVERITIES, type Severity } from "./rule.js";
import type { RuleImpact, Scope } from "./scope-counts.js";

/**
 * The daily digest's content (DESIGN 2.7): what changed in the last 24 hours, what is open and overdue,
 * what to fix first. Pure: the queries load `DigestInput`, renderers turn a `Digest` into Slack blocks.
 */
export type SeverityCounts = Record<Severity, number>;
export const DIGEST_TRANSITIONS = ["new", "reopened", "resolved"] as const;
export type DigestTransition = (typeof DIGEST_TRANSITIONS)[number];

/** Days from first seen within which an open finding should be fixed; null: no deadline. */
export type SlaDays = Readonly<Record<Severity, number | null>>;
export const DEFAULT_SLA_DAYS: SlaDays = { critical: 7, high: 30, medium: 90, low: 180, info: null };
export const DIGEST_WINDOW_HOURS = 24;
/** "Mutes expiring this week": a rolling week, so Sunday's digest still warns about Monday. */
export const MUTE_WARNING_DAYS = 7;

export interface DigestSettings {
  /** IANA time zone of every date a reader sees ("Europe/Paris"). */
  timeZone: string;
  slaDays: SlaDays;
  /** A team with nothing to report gets a one-line all clear ("post") or no message ("skip"). */
  allClear: "post" | "skip";
  topRules: number;
}

export interface FindingBrief {
  id: number;
  ruleId: string;
  severity: Severity;
  resourceName: string;
  accountId: string;
  /** ISO. */
  firstSeen: string;
}

/** What one team (or the unowned resources, or the organisation) did and holds, as the queries load it. */
export interface ScopeActivity {
  transitions: Record<DigestTransition, SeverityCounts>;
  /** New and reopened findings of the window, most severe first (a few). */
  examples: { new: FindingBrief[]; reopened: FindingBrief[] };
  open: SeverityCounts;
  overdue: SeverityCounts;
  /** Overdue findings, most severe then oldest first (a few). */
  oldestOverdue: FindingBrief[];
}

/** A mute that ends soon (mutes are issue 6's: callers pass them once they exist). */
export interface MuteExpiry {
  ruleId: string;
  resourceName: string;
  /** ISO. */
  expiresAt: string;
  requestedBy?: string;
}

export interface AccountCoverageLine {
  accountId: string;
  name: string | null;
  status: "ok" | "partial" | "failed";
  /** The first collection error ("AccessDenied: ..."), when any. */
  error: string | null;
}

/**
 * Per-account coverage of the latest scan over every account (later scans of chosen accounts replace
 * those accounts' lines), as `/posture score`, the App Home and the digests show it.
 */
export interface CoverageSummary {
  scanId: string;
  finishedAt: string;
  /** Accounts in coverage (the discovery entry is not an account). */
  total: number;
  complete: number;
  /** Partial and failed accounts, failed first, then by id. */
  incomplete: AccountCoverageLine[];
  /** Why AWS Organizations discovery failed ("POSTURE_ORGANIZATIONS_DENIED: ..."); null when it worked or is off. */
  discovery: string | null;
}

/**
 * The coverage entry of AWS Organizations discovery (the collector adds it when ListAccounts fails). Not an
 * account id, so nothing is scored, trusted or resolved under it; its status "failed" makes the scan partial.
 */
export const DISCOVERY_COVERAGE_ID = "organizations";

/** Splits the coverage lines of one scan into accounts and the discovery entry. */
export function summarizeCoverage(scan: { scanId: string; finishedAt: string }, lines: readonly AccountCoverageLine[]): CoverageSummary {
  const accounts = lines.filter((line) => line.accountId !== DISCOVERY_COVERAGE_ID);
  const discovery = lines.find((line) => line.accountId === DISCOVERY_COVERAGE_ID && line.status !== "ok");
  const rank = (line: AccountCoverageLine) => (line.status === "failed" ? 0 : 1);
  const incomplete = accounts.filter((line) => line.status !== "ok").sort((a, b) => rank(a) - rank(b) || a.accountId.localeCompare(b.accountId));
  return {
    ...scan, total: accounts.length, complete: accounts.length - incomplete.length, incomplete,
    discovery: discovery ? (discovery.error ?? `${discovery.accountId}: ${discovery.status}`) : null,
  };
}

/**
 * A team digest's coverage: the lines of the accounts the team owns resources in, when one of them was
 * not collected completely (its findings there may be stale); undefined when there is nothing to say.
 */
export function teamCoverage(lines: readonly AccountCoverageLine[], teamAccounts: ReadonlySet<string>): AccountCoverageLine[] | undefined {
  const own = lines.filter((line) => teamAccounts.has(line.accountId));
  return own.some((line) => line.status !== "ok") ? own : undefined;
}

function digestCoverageOf(lines: readonly AccountCoverageLine[]): NonNullable<Digest["coverage"]> {
  const accounts = lines.filter((line) => line.accountId !== DISCOVERY_COVERAGE_ID);
  const discovery = lines.find((line) => line.accountId === DISCOVERY_COVERAGE_ID && line.status !== "ok");
  return {
    total: accounts.length, incomplete: accounts.filter((a) => a.status !== "ok"),
    ...(discovery ? { discovery: discovery.error ?? "failed" } : {}),
  };
}

export interface ScoreFacts {
  score: number | null;
  delta1d: number | null;
  delta7d: number | null;
}

export interface DigestInput {
  scope: Scope;
  /** "payments", "Organisation". */
  label: string;
  score: ScoreFacts;
  activity: ScopeActivity;
  topRules: readonly RuleImpact[];
  ruleTitles: Readonly<Record<string, string>>;
  /** Absent: mutes are not available, the section is not shown. */
  mutes?: readonly MuteExpiry[];
  coverage?: readonly AccountCoverageLine[];
}

export interface CountsWithTotal {
  total: number;
  bySeverity: SeverityCounts;
}

export interface OverdueItem extends FindingBrief {
  slaDays: number;
  /** "5 days" past the deadline (date-fns, floored). */
  overdueBy: string;
}

export interface TopRuleLine extends RuleImpact {
  title: string;
}

export interface TeamLine {
  scope: Scope;
  label: string;
  score: number | null;
  delta7d: number | null;
  newCount: number;
  overdue: number;
  openCritical: number;
  openHigh: number;
}

export interface Digest {
  scope: Scope;
  label: string;
  kind: "report" | "all-clear";
  /** "Monday 2 November 2026", in the configured time zone. */
  dateLabel: string;
  /** "since Sun 1 Nov, 09:00 (Europe/Paris)". */
  windowLabel: string;
  timeZone: string;
  score: ScoreFacts;
  changes: Record<DigestTransition, CountsWithTotal>;
  examples: ScopeActivity["examples"];
  open: { critical: number; high: number };
  overdue: CountsWithTotal & { oldest: OverdueItem[] };
  slaDays: SlaDays;
  /** null: mutes not available (section hidden); [] none expiring this week. */
  mutesExpiring: (MuteExpiry & { expiresLabel: string; expiresIn: string })[] | null;
  topRules: TopRuleLine[];
  /** The org digest only: teams needing attention first. */
  teams: TeamLine[] | null;
  /** The org digest only: accounts not fully collected by their latest scan. */
  /** The org digest, and a team digest when an account the team owns resources in is incomplete. */
  coverage: { total: number; incomplete: AccountCoverageLine[]; discovery?: string } | null;
}

export const zeroCounts = (): SeverityCounts => ({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });

export function emptyActivity(): ScopeActivity {
  return { transitions: { new: zeroCounts(), reopened: zeroCounts(), resolved: zeroCounts() }, examples: { new: [], reopened: [] }, open: zeroCounts(), overdue: zeroCounts(), oldestOverdue: [] };
}

export const totalOf = (counts: SeverityCounts): number => SEVERITIES.reduce((sum, s) => sum + counts[s], 0);

/** The window the digest reports on: (now − 24 h, now]. */
export function digestWindow(now: Date): { since: string; until: string } {
  return { since: subHours(now, DIGEST_WINDOW_HOURS).toISOString(), until: now.toISOString() };
}

/** Per severity, the first-seen instant before which an open finding is overdue (null: no SLA). */
export function slaCutoffs(now: Date, slaDays: SlaDays): Record<Severity, string | null> {
  const out = {} as Record<Severity, string | null>;
  for (const s of SEVERITIES) out[s] = slaDays[s] === null ? null : subDays(now, slaDays[s]).toISOString();
  return out;
}

/** Sums the activity of several scopes (the organisation = every team plus the unowned), keeping `limit` examples. */
export function mergeActivity(parts: readonly ScopeActivity[], limit = 5): ScopeActivity {
  const merged = emptyActivity();
  for (const part of parts) {
    for (const t of DIGEST_TRANSITIONS) addCounts(merged.transitions[t], part.transitions[t]);
    addCounts(merged.open, part.open);
    addCounts(merged.overdue, part.overdue);
    merged.examples.new.push(...part.examples.new);
    merged.examples.reopened.push(...part.examples.reopened);
    merged.oldestOverdue.push(...part.oldestOverdue);
  }
  merged.examples.new = mostSevereFirst(merged.examples.new).slice(0, limit);
  merged.examples.reopened = mostSevereFirst(merged.examples.reopened).slice(0, limit);
  merged.oldestOverdue = mostSevereFirst(merged.oldestOverdue).slice(0, limit);
  return merged;
}

function addCounts(into: SeverityCounts, from: SeverityCounts): void {
  for (const s of SEVERITIES) into[s] += from[s];
}

/** Severity, then oldest first seen, then id: a stable order for examples. */
export function mostSevereFirst<T extends FindingBrief>(items: readonly T[]): T[] {
  const rank = (s: Severity) => SEVERITIES.indexOf(s);
  return [...items].sort((a, b) => rank(a.severity) - rank(b.severity) || a.firstSeen.localeCompare(b.firstSeen) || a.id - b.id);
}

/** Nothing to tell a team: nothing changed, nothing urgent or overdue open, no mute ending. */
export function isQuiet(activity: ScopeActivity, mutesExpiring: readonly unknown[] | null): boolean {
  const changed = DIGEST_TRANSITIONS.some((t) => totalOf(activity.transitions[t]) > 0);
  const urgent = activity.open.critical + activity.open.high > 0;
  return !changed && !urgent && totalOf(activity.overdue) === 0 && (mutesExpiring?.length ?? 0) === 0;
}

/** One scope's digest; null when it is quiet and quiet teams are skipped. */
export function buildDigest(input: DigestInput, settings: DigestSettings, now: Date): Digest | null {
  const zone = tz(settings.timeZone);
  const mutesExpiring = input.mutes === undefined ? null : expiringMutes(input.mutes, now, settings.timeZone);
  // A team whose account could not be read is not "all clear": what is unknown is never a pass.
  const blind = input.scope !== "org" && (input.coverage ?? []).some((a) => a.status !== "ok");
  const quiet = isQuiet(input.activity, mutesExpiring) && !blind;
  if (quiet && settings.allClear === "skip") return null;
  const { activity } = input;
  return {
    scope: input.scope, label: input.label, kind: quiet ? "all-clear" : "report", timeZone: settings.timeZone,
    dateLabel: format(now, "EEEE d MMMM yyyy", { in: zone }),
    windowLabel: `since ${format(subHours(now, DIGEST_WINDOW_HOURS), "EEE d MMM, HH:mm", { in: zone })} (${settings.timeZone})`,
    score: input.score,
    changes: { new: withTotal(activity.transitions.new), reopened: withTotal(activity.transitions.reopened), resolved: withTotal(activity.transitions.resolved) },
    examples: activity.examples,
    open: { critical: activity.open.critical, high: activity.open.high },
    overdue: { ...withTotal(activity.overdue), oldest: overdueItems(activity.oldestOverdue, settings.slaDays, now) },
    slaDays: settings.slaDays,
    mutesExpiring,
    topRules: topRuleLines(input.topRules, input.ruleTitles, settings.topRules),
    teams: null,
    coverage: input.coverage ? digestCoverageOf(input.coverage) : null,
  };
}

/** The security channel's digest: the organisation's, with every team's line (it is never skipped). */
export function buildOrgDigest(org: DigestInput, teams: readonly { input: DigestInput }[], settings: DigestSettings, now: Date): Digest {
  const digest = buildDigest(org, { ...settings, allClear: "post" }, now)!;
  return { ...digest, teams: rankTeams(teams.map((t) => teamLineOf(t.input))) };
}

const withTotal = (bySeverity: SeverityCounts): CountsWithTotal => ({ total: totalOf(bySeverity), bySeverity: { ...bySeverity } });

function overdueItems(findings: readonly FindingBrief[], slaDays: SlaDays, now: Date): OverdueItem[] {
  return mostSevereFirst(findings).flatMap((f) => {
    const sla = slaDays[f.severity];
    if (sla === null) return [];
    const due = addDays(new Date(f.firstSeen), sla);
    return [{ ...f, slaDays: sla, overdueBy: formatDistanceStrict(due, now, { roundingMethod: "floor" }) }];
  });
}

function expiringMutes(mutes: readonly MuteExpiry[], now: Date, timeZone: string): NonNullable<Digest["mutesExpiring"]> {
  const horizon = addDays(now, MUTE_WARNING_DAYS).getTime();
  return mutes
    .filter((m) => Date.parse(m.expiresAt) > now.getTime() && Date.parse(m.expiresAt) <= horizon)
    .sort((a, b) => a.expiresAt.localeCompare(b.expiresAt))
    .map((m) => ({
      ...m,
      expiresLabel: format(new Date(m.expiresAt), "EEE d MMM, HH:mm", { in: tz(timeZone) }),
      expiresIn: formatDistanceStrict(new Date(m.expiresAt), now, { addSuffix: true, roundingMethod: "floor" }),
    }));
}

function topRuleLines(impacts: readonly RuleImpact[], titles: Readonly<Record<string, string>>, limit: number): TopRuleLine[] {
  const ranked = [...impacts].filter((r) => r.impact > 0).sort((a, b) => b.impact - a.impact || b.fail - a.fail || a.ruleId.localeCompare(b.ruleId));
  return ranked.slice(0, limit).map((r) => ({ ...r, title: titles[r.ruleId] ?? r.ruleId }));
}

function teamLineOf(input: DigestInput): TeamLine {
  const a = input.activity;
  return {
    scope: input.scope, label: input.label, score: input.score.score, delta7d: input.score.delta7d,
    newCount: totalOf(a.transitions.new) + totalOf(a.transitions.reopened), overdue: totalOf(a.overdue), openCritical: a.open.critical, openHigh: a.open.high,
  };
}

/** Most open critical first, then most overdue, then lowest score (unscored last), then label. */
export function rankTeams(lines: readonly TeamLine[]): TeamLine[] {
  return [...lines].sort((a, b) => b.openCritical - a.openCritical || b.overdue - a.overdue
    || (a.score ?? Infinity) - (b.score ?? Infinity) || a.label.localeCompare(b.label));
}
