import { SEVERITIES, type Severity } from "../core/rule.js";
import { DISCOVERY_COVERAGE_ID } from "../core/digest.js";
import type { AccountCollection, Finding, ScanReport } from "../core/report.js";
import { formatScore } from "../core/score.js";
import { describeSeverity } from "../core/severity-overrides.js";
import { formatCount, renderEvidence } from "./render-evidence.js";
import { createPaint, type Paint } from "./style.js";

export interface TableOptions {
  color: boolean;
  /** Account id -> display name (configuration first, then the snapshot's own names). */
  accountNames?: ReadonlyMap<string, string>;
  /** How many rules "Fix first" lists. */
  topRules?: number;
  /** How many coverage reasons are listed before "… and N more". */
  topReasons?: number;
  /** Resources listed per rule before "… and N more" (undefined: all of them). */
  perRule?: number;
}

interface View {
  paint: Paint;
  perRule: number;
  account(id: string): string;
}

/** The human report: findings by severity (critical first), score, what to fix first, coverage. */
export function renderTable(report: ScanReport, options: TableOptions): string {
  const names = accountNamesOf(report.coverage.accounts, options.accountNames);
  const view: View = {
    paint: createPaint(options.color),
    perRule: options.perRule ?? Number.POSITIVE_INFINITY,
    account: (id) => (names.get(id) ? `${names.get(id)} (${id})` : id),
  };
  return [
    renderHeader(report, view),
    ...(report.evaluations === 0 ? [view.paint.warn("Nothing was evaluated.")] : renderFindings(report.findings, view)),
    renderScore(report, view),
    renderTopRules(report, view, options.topRules ?? 5),
    renderCoverage(report, view, options.topReasons ?? 8),
  ].join("\n\n") + "\n";
}

function accountNamesOf(accounts: readonly AccountCollection[], configured?: ReadonlyMap<string, string>): Map<string, string> {
  const names = new Map<string, string>();
  for (const account of accounts) if (account.name) names.set(account.accountId, account.name);
  for (const [id, name] of configured ?? []) names.set(id, name);
  return names;
}

/** Accounts, not the AWS Organizations discovery step before collection. */
const isAccount = (entry: AccountCollection) => entry.accountId !== DISCOVERY_COVERAGE_ID;
const HEADER_ACCOUNTS = 6;

function renderHeader(report: ScanReport, view: View): string {
  const scanned = report.coverage.accounts.filter(isAccount);
  const named = scanned.slice(0, HEADER_ACCOUNTS).map((a) => view.account(a.accountId)).join(", ");
  const accounts = scanned.length === 0 ? "no accounts" : scanned.length > HEADER_ACCOUNTS ? `${named} and ${formatCount(scanned.length - HEADER_ACCOUNTS)} more accounts` : named;
  return [
    view.paint.bold("Posture scan"),
    view.paint.dim(`evaluated ${shortDate(report.evaluatedAt)} · snapshot collected ${shortDate(report.collectedAt)}`),
    view.paint.dim(`${accounts} · ${formatCount(report.evaluations)} evaluations · ${formatCount(report.findings.length)} failing`),
  ].join("\n");
}

function shortDate(iso: string): string {
  return iso.replace("T", " ").replace(/:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, " UTC");
}

function renderFindings(findings: readonly Finding[], view: View): string[] {
  if (findings.length === 0) return [view.paint.good("No failing findings.")];
  const sections: string[] = [];
  for (const severity of SEVERITIES) {
    const ofSeverity = findings.filter((f) => f.severity === severity);
    if (ofSeverity.length > 0) sections.push(renderSeverity(severity, ofSeverity, view));
  }
  return sections;
}

function renderSeverity(severity: Severity, findings: readonly Finding[], view: View): string {
  const lines = [view.paint.severity(severity, `${severity.toUpperCase()} · ${plural(findings.length, "finding")}`)];
  for (const group of groupByRule(findings)) {
    const first = group[0]!;
    lines.push(`  ${view.paint.bold(first.title)}  ${view.paint.dim(`[${first.ruleId}] · ${group.length}`)}`);
    for (const finding of group.slice(0, view.perRule)) {
      const { name, accountId, region } = finding.resource;
      const overridden = finding.severityOverride ? view.paint.dim(` · ${describeSeverity(finding.severity, finding.severityOverride)}`) : "";
      lines.push(`    ${view.paint.severity(severity, "✗")} ${name} · ${view.account(accountId)} · ${region}${overridden}`);
      lines.push(`      ${view.paint.dim(renderEvidence(finding.evidence, finding.qualifiers))}`);
    }
    const hidden = group.length - view.perRule;
    if (hidden > 0) lines.push(view.paint.dim(`    … and ${formatCount(hidden)} more (--all, --format csv or --rule ${first.ruleId} lists them)`));
  }
  return lines.join("\n");
}

/** Findings arrive sorted by severity then rule, so a rule's findings are consecutive. */
function groupByRule(findings: readonly Finding[]): Finding[][] {
  const groups: Finding[][] = [];
  for (const finding of findings) {
    const last = groups.at(-1);
    if (last && last[0]!.ruleId === finding.ruleId) last.push(finding);
    else groups.push([finding]);
  }
  return groups;
}

function renderScore(report: ScanReport, view: View): string {
  const lines = [`${view.paint.bold("Posture score")}  ${view.paint.bold(formatScore(report.score))}`];
  if (report.score === null) return lines[0]!;
  lines.push(view.paint.dim(`  ${"".padEnd(9)}${"pass".padStart(9)}${"fail".padStart(9)}`));
  for (const severity of SEVERITIES) {
    const { pass, fail } = report.tally[severity];
    if (pass + fail === 0) continue;
    lines.push(`  ${view.paint.severity(severity, severity.padEnd(9))}${formatCount(pass).padStart(9)}${formatCount(fail).padStart(9)}`);
  }
  return lines.join("\n");
}

function renderTopRules(report: ScanReport, view: View, limit: number): string {
  const top = report.rules.filter((rule) => rule.fail > 0).slice(0, limit);
  if (top.length === 0) return `${view.paint.bold("Fix first")}  nothing is failing`;
  const lines = [`${view.paint.bold("Fix first")} ${view.paint.dim("(points the score gains when the rule passes everywhere)")}`];
  for (const rule of top) {
    const impact = `+${rule.impact.toFixed(1)}`.padStart(6);
    lines.push(`  ${view.paint.good(impact)}  ${rule.title} ${view.paint.dim(`[${rule.ruleId}] · ${plural(rule.fail, "failing resource")}`)}`);
  }
  return lines.join("\n");
}

function renderCoverage(report: ScanReport, view: View, limit: number): string {
  const { coverage } = report;
  const accounts = coverage.accounts.filter(isAccount);
  const failedAccounts = accounts.filter((a) => a.status !== "ok");
  const failedSteps = coverage.accounts.filter((a) => !isAccount(a) && a.status !== "ok");
  const complete = accounts.length > 0 ? `${formatCount(accounts.length - failedAccounts.length)} of ${plural(accounts.length, "account")} complete` : "";
  if (coverage.notEvaluated === 0 && failedAccounts.length === 0 && failedSteps.length === 0) {
    return `${view.paint.bold("Coverage")}  every evaluation was possible${complete ? ` (${complete})` : ""}`;
  }
  const summary = [`${plural(coverage.notEvaluated, "evaluation")} not possible`, complete].filter(Boolean).join(" · ");
  const lines = [`${view.paint.bold("Coverage")}  ${view.paint.warn(summary)}`];
  for (const step of failedSteps) lines.push(renderDiscoveryFailure(step, view));
  for (const { key, count } of coverage.byReason.slice(0, limit)) lines.push(`  ${formatCount(count).padStart(7)}  ${key}`);
  const hidden = coverage.byReason.length - limit;
  if (hidden > 0) lines.push(view.paint.dim(`  … and ${plural(hidden, "other reason")}`));
  if (coverage.byAccount.length > 0) {
    lines.push(`  by account: ${coverage.byAccount.map(({ key, count }) => `${view.account(key)} ${formatCount(count)}`).join(", ")}`);
  }
  for (const account of failedAccounts) lines.push(renderAccountStatus(account, view));
  return lines.join("\n");
}

function renderAccountStatus(account: AccountCollection, view: View): string {
  const errors = account.errors.slice(0, 3).map((e) => `${e.service} ${e.operation}${e.resource ? ` ${e.resource}` : ""}: ${e.code}: ${e.message}`);
  const more = account.errors.length > 3 ? `; and ${account.errors.length - 3} more` : "";
  const what = account.status === "failed" ? "failed" : "partially collected";
  return `  ${view.paint.warn(`account ${view.account(account.accountId)} ${what}`)}: ${errors.join("; ") || "no details"}${more}`;
}

/** A failed discovery scanned only the configured accounts: the discovered ones are missing, not passing. */
function renderDiscoveryFailure(step: AccountCollection, view: View): string {
  const error = step.errors[0];
  return `  ${view.paint.warn("AWS Organizations discovery failed")}: ${error ? `${error.code}: ${error.message}` : "no details"}; only the configured accounts were scanned`;
}

function plural(n: number, noun: string): string {
  return `${formatCount(n)} ${noun}${n === 1 ? "" : "s"}`;
}
