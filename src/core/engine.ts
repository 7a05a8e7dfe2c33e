import { evaluateCondition, type ConditionContext, type Evidence, type Outcome } from "./condition.js";
import type { AnyNamedCheck, CheckContext } from "./checks/check.js";
import type { Rule, Severity } from "./rule.js";
import type { AppliedOverride, EffectiveSeverity } from "./severity-overrides.js";
import type { Resource, ResourceType, Snapshot } from "./snapshot.js";

export type EvaluationStatus = "pass" | "fail" | "not_evaluated";

export interface RuleResult {
  rule: Rule;
  resource: Resource;
  status: EvaluationStatus;
  /** The effective severity (`severityOverrides`): every consumer (score, findings, messages) uses this, not `rule.severity`. */
  severity: Severity;
  /** Set when an override changed the rule's severity on this resource. */
  severityOverride?: AppliedOverride;
  evidence: Evidence[];
  /** Why the rule could not be evaluated (the attribute and the collector's reason). */
  reason?: string;
  qualifiers?: string[];
}

export interface EngineOptions {
  now: Date;
  checks: ReadonlyMap<string, AnyNamedCheck>;
  /** Severity actually applied to a result (`compileSeverityOverrides`); default: the rule's own. */
  severityOf?: (rule: Rule, resource: Resource) => EffectiveSeverity;
  /**
   * The organisation's own accounts (the scanned ones and any configured as trusted): access from
   * them is not cross-account exposure. Added to every named check that takes `trustedAccounts`.
   */
  trustedAccounts?: readonly string[];
}

/** Evaluates one rule on one resource; `undefined` when the rule does not apply to it. */
export function evaluateRule(rule: Rule, resource: Resource, options: EngineOptions, lookup: CheckContext["lookup"]): RuleResult | undefined {
  const ctx = conditionContext(options, lookup, resource);
  if (rule.applies) {
    const applies = evaluateCondition(rule.applies, resource, ctx);
    if (applies.status === "fail") return undefined;
    if (applies.status === "unknown") return toResult(rule, resource, applies, options);
  }
  return toResult(rule, resource, evaluateCondition(rule.check, resource, ctx), options);
}

// Parsed `with:` parameters per rule condition node and options: parsing them once per scan instead
// of once per evaluation matters at 400,000 resources.
const parsedParams = new WeakMap<EngineOptions, Map<string, WeakMap<object, unknown>>>();
const NO_PARAMS = {};

function paramsFor(options: EngineOptions, name: string, params: Record<string, unknown> | undefined): unknown {
  const check = options.checks.get(name);
  if (!check) throw new Error(`named check "${name}" is not registered (the catalog loader rejects this)`);
  let byCheck = parsedParams.get(options);
  if (!byCheck) parsedParams.set(options, (byCheck = new Map()));
  let byNode = byCheck.get(name);
  if (!byNode) byCheck.set(name, (byNode = new WeakMap()));
  const node = params ?? NO_PARAMS;
  if (!byNode.has(node)) byNode.set(node, withTrustedAccounts(check.params.parse(params ?? {}), options.trustedAccounts));
  return byNode.get(node);
}

function conditionContext(options: EngineOptions, lookup: CheckContext["lookup"], resource: Resource): ConditionContext {
  return {
    now: options.now,
    runCheck(name, params, subject) {
      const parsed = paramsFor(options, name, params);
      return options.checks.get(name)!.evaluate((subject ?? resource) as Resource, parsed, { now: options.now, lookup });
    },
  };
}

function withTrustedAccounts(params: unknown, trusted: readonly string[] | undefined): unknown {
  if (!trusted?.length || typeof params !== "object" || params === null) return params;
  const own = (params as { trustedAccounts?: unknown }).trustedAccounts;
  if (!Array.isArray(own)) return params;
  return { ...params, trustedAccounts: [...new Set([...own, ...trusted])] };
}

function toResult(rule: Rule, resource: Resource, outcome: Outcome, options: EngineOptions): RuleResult {
  const status: EvaluationStatus = outcome.status === "unknown" ? "not_evaluated" : outcome.status;
  const effective = options.severityOf?.(rule, resource);
  const result: RuleResult = { rule, resource, status, severity: effective?.severity ?? rule.severity, evidence: status === "pass" ? [] : outcome.evidence };
  if (effective?.override) result.severityOverride = effective.override;
  if (outcome.reason !== undefined && status === "not_evaluated") result.reason = outcome.reason;
  if (outcome.qualifiers) result.qualifiers = outcome.qualifiers;
  return result;
}

export function indexRulesByType(rules: readonly Rule[]): Map<ResourceType, Rule[]> {
  const byType = new Map<ResourceType, Rule[]>();
  for (const rule of rules) {
    const list = byType.get(rule.resource) ?? [];
    list.push(rule);
    byType.set(rule.resource, list);
  }
  return byType;
}

export function indexResources(resources: readonly Resource[]): Map<string, Resource> {
  const byArn = new Map<string, Resource>();
  for (const resource of resources) byArn.set(resource.arn, resource);
  return byArn;
}

/**
 * Evaluates every rule against every resource of its type, streaming results to `onResult` so
 * that a 400,000-resource snapshot never holds millions of result objects at once.
 */
export function evaluateSnapshot(rules: readonly Rule[], snapshot: Pick<Snapshot, "resources">, options: EngineOptions, onResult: (result: RuleResult) => void): void {
  const byType = indexRulesByType(rules);
  const byArn = indexResources(snapshot.resources);
  const lookup = (arn: string) => byArn.get(arn);
  for (const resource of snapshot.resources) {
    for (const rule of byType.get(resource.type) ?? []) {
      const result = evaluateRule(rule, resource, options, lookup);
      if (result) onResult(result);
    }
  }
}
