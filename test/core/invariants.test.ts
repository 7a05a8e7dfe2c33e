import { describe, expect, it } from "vitest";
import { withFixtureDefaults } from "../../src/core/catalog.js";
import { namedChecks } from "../../src/core/checks/index.js";
import { evaluateRule } from "../../src/core/engine.js";
import type { Resource } from "../../src/core/snapshot.js";
import { loadCatalog } from "../../src/rules-files.js";

/**
 * The engine's invariant over the real catalog: whatever a rule reads, making that attribute unknown
 * (a failed call) or absent (not collected) never turns any embedded case into a pass.
 */
const { rules } = loadCatalog();
const DEFAULT_NOW = new Date("2026-06-01T00:00:00Z");

const cases = rules.flatMap((rule) =>
  rule.tests.flatMap((test) =>
    rule.reads
      .filter((attribute) => attribute in test.resource)
      .flatMap((attribute) => [
        { rule, test, attribute, replacement: { $unknown: "AccessDenied: injected by the invariant test" } as unknown },
        { rule, test, attribute, replacement: undefined as unknown },
      ])),
);

describe("unknown never passes", () => {
  it("covers every rule that reads an attribute", () => {
    const covered = new Set(cases.map((c) => c.rule.id));
    const uncovered = rules.filter((rule) => rule.reads.length > 0 && !covered.has(rule.id)).map((rule) => rule.id);
    expect(uncovered).toEqual([]);
  });

  it.each(cases.map((c) => [`${c.rule.id}: ${c.test.name}: ${c.attribute} ${c.replacement === undefined ? "not collected" : "unknown"}`, c] as const))("%s", (_name, c) => {
    const fixture = withFixtureDefaults({ ...c.test.resource, [c.attribute]: c.replacement }, c.rule.resource) as Resource;
    const related = (c.test.related ?? []).map((r) => withFixtureDefaults(r, String(r.type)) as Resource);
    const byArn = new Map(related.map((r) => [r.arn, r]));
    const now = c.test.now ? new Date(c.test.now) : DEFAULT_NOW;
    const result = evaluateRule(c.rule, fixture, { now, checks: namedChecks }, (arn) => byArn.get(arn));
    expect(result?.status).not.toBe("pass");
  });
});
