import { describe, expect, it } from "vitest";
import { withFixtureDefaults } from "../../src/core/catalog.js";
import { namedChecks } from "../../src/core/checks/index.js";
import { evaluateRule } from "../../src/core/engine.js";
import type { Rule, RuleTest } from "../../src/core/rule.js";
import { resourceSchemaFor, type Resource } from "../../src/core/snapshot.js";
import { loadCatalog } from "../../src/rules-files.js";

/**
 * The engine's invariants over the real catalog, on every embedded case:
 * 1. Losing one attribute (a failed call, or not collected) can only turn a verdict into
 *    `not_evaluated`, never flip it: a pass that stays a pass was proven by the data still known
 *    (a bucket with all four Block Public Access flags set is protected whatever the account says).
 * 2. With every attribute the rule reads unknown, nothing passes.
 */
const { rules } = loadCatalog();
const DEFAULT_NOW = new Date("2026-06-01T00:00:00Z");
const UNKNOWN = { $unknown: "AccessDenied: injected by the invariant test" };

type Substitution = Record<string, unknown>;

function mutated(resource: Record<string, unknown>, type: string, substitution: Substitution): Record<string, unknown> {
  const copy = withFixtureDefaults({ ...resource }, type);
  for (const [attribute, replacement] of Object.entries(substitution)) {
    if (replacement === undefined) delete copy[attribute];
    else copy[attribute] = replacement;
  }
  return copy;
}

/** Attributes GetAccountAuthorizationDetails returns with the entity itself are never unknown alone. */
function schemaAllows(rule: Rule, test: RuleTest, substitution: Substitution): boolean {
  return resourceSchemaFor(rule.resource).safeParse(mutated(test.resource, rule.resource, substitution)).success;
}

function run(rule: Rule, test: RuleTest, substitution: Substitution): string {
  const fixture = mutated(test.resource, rule.resource, substitution) as Resource;
  const related = (test.related ?? []).map((r) => withFixtureDefaults(r, String(r.type)) as Resource);
  const byArn = new Map(related.map((r) => [r.arn, r]));
  const now = test.now ? new Date(test.now) : DEFAULT_NOW;
  return evaluateRule(rule, fixture, { now, checks: namedChecks }, (arn) => byArn.get(arn))?.status ?? "not_applicable";
}

const single = rules.flatMap((rule) =>
  rule.tests.flatMap((test) =>
    rule.reads
      .filter((attribute) => attribute in test.resource)
      .flatMap((attribute) => [{ [attribute]: UNKNOWN }, { [attribute]: undefined }])
      .filter((substitution) => schemaAllows(rule, test, substitution))
      .map((substitution) => ({ rule, test, substitution }))),
);

const everything = rules.flatMap((rule) =>
  rule.tests.flatMap((test) => {
    const substitution: Substitution = {};
    for (const attribute of rule.reads) {
      if (schemaAllows(rule, test, { ...substitution, [attribute]: UNKNOWN })) substitution[attribute] = UNKNOWN;
    }
    return Object.keys(substitution).length > 0 ? [{ rule, test, substitution }] : [];
  }),
);

const label = (s: Substitution) => Object.entries(s).map(([k, v]) => `${k} ${v === undefined ? "not collected" : "unknown"}`).join(", ");

describe("losing one attribute never flips a verdict", () => {
  it("exercises every rule that reads an attribute that can be unknown", () => {
    const covered = new Set(single.map((c) => c.rule.id));
    const uncovered = everything.filter((c) => !covered.has(c.rule.id)).map((c) => c.rule.id);
    expect(uncovered).toEqual([]);
    expect(single.length).toBeGreaterThan(100);
  });

  it.each(single.map((c) => [`${c.rule.id}: ${c.test.name}: ${label(c.substitution)}`, c] as const))("%s", (_name, c) => {
    expect([c.test.expect, "not_evaluated"]).toContain(run(c.rule, c.test, c.substitution));
  });
});

describe("with everything it reads unknown, no rule passes", () => {
  it.each(everything.map((c) => [`${c.rule.id}: ${c.test.name}`, c] as const))("%s", (_name, c) => {
    expect(run(c.rule, c.test, c.substitution)).not.toBe("pass");
  });
});
