import { globToRegExp } from "./ownership.js";
import type { Rule, Severity } from "./rule.js";
import type { Resource } from "./snapshot.js";
import { isUnknown } from "./unknown.js";

/**
 * `severityOverrides` of posture.config.yml: a finding's severity for this organisation, by rule, tag and
 * account. Every condition given must hold (an absent one matches everything); the first entry that
 * matches wins. The effective severity replaces the rule's everywhere: score, notification, SLA, listings.
 */
export interface SeverityOverride {
  severity: Severity;
  /** Rule ids or globs (`s3-*`). */
  rules?: readonly string[];
  /** Tag key (case-insensitive) -> value or any of values (case-insensitive, trimmed), as ownership compares them. */
  tags?: Readonly<Record<string, string | readonly string[]>>;
  accounts?: readonly string[];
  /** Why, shown to people next to the severity. */
  reason: string;
}

/** A severity changed by an override: the rule's own severity and the override's reason, for display. */
export interface AppliedOverride {
  ruleSeverity: Severity;
  reason: string;
}

export interface EffectiveSeverity {
  severity: Severity;
  override?: AppliedOverride;
}

type Subject = Pick<Resource, "accountId"> & { tags?: unknown };

interface CompiledOverride {
  entry: SeverityOverride;
  rules: RegExp[] | null;
  tags: { key: string; values: Set<string> }[];
  accounts: Set<string> | null;
}

/**
 * The effective severity of a rule on a resource. An override that leaves the rule's own severity as
 * it is still wins (first match) but reports no override. Tags that were not collected never match.
 */
export function compileSeverityOverrides(overrides: readonly SeverityOverride[]): (rule: Pick<Rule, "id" | "severity">, resource: Subject) => EffectiveSeverity {
  if (overrides.length === 0) return (rule) => ({ severity: rule.severity });
  const compiled = overrides.map(compileOne);
  // Rule ids are few: which overrides can apply to a rule is decided once per rule, not per evaluation.
  const byRule = new Map<string, CompiledOverride[]>();
  const candidatesOf = (ruleId: string) => {
    let list = byRule.get(ruleId);
    if (!list) byRule.set(ruleId, (list = compiled.filter((c) => c.rules === null || c.rules.some((glob) => glob.test(ruleId)))));
    return list;
  };
  return (rule, resource) => {
    const match = candidatesOf(rule.id).find((c) => matchesResource(c, resource));
    if (!match || match.entry.severity === rule.severity) return { severity: rule.severity };
    return { severity: match.entry.severity, override: { ruleSeverity: rule.severity, reason: match.entry.reason } };
  };
}

function compileOne(entry: SeverityOverride): CompiledOverride {
  return {
    entry,
    rules: entry.rules && entry.rules.length > 0 ? entry.rules.map(globToRegExp) : null,
    tags: Object.entries(entry.tags ?? {}).map(([key, value]) => ({
      key: key.toLowerCase(),
      values: new Set((typeof value === "string" ? [value] : value).map(normalizeTagValue)),
    })),
    accounts: entry.accounts && entry.accounts.length > 0 ? new Set(entry.accounts) : null,
  };
}

function matchesResource(c: CompiledOverride, resource: Subject): boolean {
  if (c.accounts && !c.accounts.has(resource.accountId)) return false;
  if (c.tags.length === 0) return true;
  const tags = resource.tags;
  if (tags === undefined || tags === null || typeof tags !== "object" || isUnknown(tags)) return false;
  const entries = Object.entries(tags as Record<string, unknown>);
  return c.tags.every((wanted) => entries.some(([key, value]) => key.toLowerCase() === wanted.key && typeof value === "string" && wanted.values.has(normalizeTagValue(value))));
}

function normalizeTagValue(value: string): string {
  return value.trim().toLowerCase();
}

/**
 * Problems of `severityOverrides` against the catalog, each naming the field to fix: a rule id that no
 * rule has, or a glob that matches none (a typo would otherwise silently override nothing).
 */
export function checkSeverityOverrides(overrides: readonly Pick<SeverityOverride, "rules">[], ruleIds: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  overrides.forEach((entry, index) => {
    (entry.rules ?? []).forEach((pattern, position) => {
      const field = `severityOverrides[${index}].rules[${position}]`;
      if (/[*?]/.test(pattern)) {
        const glob = globToRegExp(pattern);
        if (![...ruleIds].some((id) => glob.test(id))) problems.push(`${field}: the glob "${pattern}" matches no rule of the catalog (see \`posture rules\`)`);
      } else if (!ruleIds.has(pattern)) {
        problems.push(`${field}: unknown rule id "${pattern}" (see \`posture rules\` for the ids)`);
      }
    });
  });
  return problems;
}

/** "high (rule default: critical) — public on purpose": how an overridden severity is written for people. */
export function describeSeverity(severity: Severity, override: AppliedOverride | undefined | null): string {
  return override ? `${severity} (rule default: ${override.ruleSeverity}) — ${override.reason}` : severity;
}
