import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/rules-files.js";
import { withFixtureDefaults } from "../../src/core/catalog.js";
import { evaluateRule } from "../../src/core/engine.js";
import { namedChecks } from "../../src/core/checks/index.js";
import { renderRemediation, unresolvedPlaceholders } from "../../src/core/remediation.js";
import { resourceSchema, type Resource } from "../../src/core/snapshot.js";
import type { Rule, RuleTest } from "../../src/core/rule.js";

// Loading also validates every rule file (schema, attributes, controls, fixtures): a broken catalog
// fails here with the file and field of each problem.
const catalog = loadCatalog();

/** The fixed clock of the embedded cases, so that date-based cases ("older than 90 days") stay stable. */
const TEST_CLOCK = "2026-06-01T00:00:00Z";

function fixture(raw: Record<string, unknown>, type: string): Resource {
  return resourceSchema.parse(withFixtureDefaults(raw, type));
}

function runCase(rule: Rule, test: RuleTest) {
  const resource = fixture(test.resource, rule.resource);
  // Related resources (groups, managed policies) carry their own `type`; they satisfy the collector schema too.
  const related = (test.related ?? []).map((raw) => fixture(raw, String(raw.type)));
  const byArn = new Map<string, Resource>([resource, ...related].map((r) => [r.arn, r]));
  const now = new Date(test.now ?? TEST_CLOCK);
  return evaluateRule(rule, resource, { now, checks: namedChecks }, (arn) => byArn.get(arn));
}

const cases = catalog.rules.flatMap((rule) => rule.tests.map((test) => [`${rule.id}: ${test.name}`, rule, test] as const));

describe("embedded rule cases", () => {
  it.each(cases)("%s", (_title, rule, test) => {
    const result = runCase(rule, test);
    if (test.expect === "not_applicable") {
      expect(result, "the rule should not apply to this resource").toBeUndefined();
      return;
    }
    expect(result, "the rule should apply to this resource").toBeDefined();
    expect({ status: result!.status, reason: result!.reason }).toMatchObject({ status: test.expect });
    if (result!.status === "fail") expect(result!.evidence.length, "a failure carries evidence").toBeGreaterThan(0);
    if (result!.status === "not_evaluated") expect(result!.reason, "not evaluated says why").toBeTruthy();
  });
});

describe("catalog coverage", () => {
  it("has at least 40 rules", () => {
    expect(catalog.rules.length).toBeGreaterThanOrEqual(40);
  });

  it("maps every rule to at least one framework control", () => {
    const unmapped = catalog.rules.filter((rule) => Object.values(rule.compliance).flat().length === 0).map((r) => r.id);
    expect(unmapped).toEqual([]);
  });

  it.each(["cis-aws-3.0", "cis-aws-7.0"])("covers every %s control that frameworks.yaml lists", (frameworkId) => {
    const listed = Object.keys(catalog.frameworks[frameworkId]?.controls ?? {});
    expect(listed.length).toBeGreaterThan(0);
    const covered = new Set(catalog.rules.flatMap((rule) => rule.compliance[frameworkId] ?? []));
    expect(listed.filter((control) => !covered.has(control))).toEqual([]);
  });

  it("uses every framework it lists", () => {
    const used = new Set(catalog.rules.flatMap((rule) => Object.keys(rule.compliance)));
    expect(Object.keys(catalog.frameworks).filter((id) => !used.has(id))).toEqual([]);
  });

  it.each(catalog.rules.map((rule) => ({ id: rule.id, rule })))("$id: remediation placeholders resolve", ({ rule }) => {
    expect(unresolvedPlaceholders(rule)).toEqual([]);
    const resource = fixture(rule.tests[0]!.resource, rule.resource);
    const rendered = renderRemediation(rule, resource);
    for (const text of [rendered.console, rendered.cli, rendered.terraform]) expect(text).not.toMatch(/\{\{/);
    expect(rendered.console).toMatch(/^1\. /m);
  });

  it.each(catalog.rules.map((rule) => ({ id: rule.id, rule })))("$id: has a not_evaluated case when an attribute it reads can be unknown", ({ rule }) => {
    const unknownable = rule.reads.filter((attr) => canBeUnknown(rule.resource, attr));
    if (unknownable.length === 0) return;
    const unknownCases = rule.tests.filter((t) => t.expect === "not_evaluated");
    expect(unknownCases.length, `a case where one of ${unknownable.join(", ")} is { $unknown }`).toBeGreaterThan(0);
  });
});

/** Whether the collector schema lets `attr` of `type` be `{ $unknown }` (AccessDenied and friends). */
function canBeUnknown(type: string, attr: string): boolean {
  const option = resourceSchema.options.find((o) => o.shape.type.value === type)!;
  const schema = (option.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>)[attr];
  return attr !== "tags" && schema !== undefined && schema.safeParse({ $unknown: "AccessDenied" }).success;
}
