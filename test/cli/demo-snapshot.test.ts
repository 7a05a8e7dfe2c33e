import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildDemoSnapshot } from "../../demo/build-demo.js";
import { RESOURCE_TYPES, snapshotSchema, type Resource } from "../../src/core/snapshot.js";

const committed = JSON.parse(readFileSync(new URL("../../demo/demo-snapshot.json", import.meta.url), "utf8"));

describe("the bundled demo snapshot", () => {
  it("is exactly what demo/generate-demo.ts produces (deterministic, regenerated after changes)", () => {
    expect(buildDemoSnapshot()).toEqual(committed);
    expect(buildDemoSnapshot()).toEqual(buildDemoSnapshot());
  });

  it("validates against the collector schema, every resource", () => {
    const parsed = snapshotSchema.safeParse(committed);
    expect(parsed.success ? [] : parsed.error.issues.slice(0, 5)).toEqual([]);
  });

  const resources = committed.resources as Resource[];
  const count = (type: Resource["type"]) => resources.filter((r) => r.type === type).length;

  it("is the size the demo promises: two accounts, ~50 buckets, ~40 IAM principals, four teams", () => {
    expect(new Set(resources.map((r) => r.accountId))).toEqual(new Set(["111122223333", "444455556666"]));
    expect(count("aws:s3:bucket")).toBeGreaterThanOrEqual(45);
    expect(count("aws:iam:user") + count("aws:iam:role") + count("aws:iam:group")).toBeGreaterThanOrEqual(38);
    const teams = new Set(resources.flatMap((r) => (r.tags && !("$unknown" in r.tags) && r.tags.team ? [r.tags.team] : [])));
    expect([...teams].sort()).toEqual(["data", "payments", "platform", "web"]);
  });

  it("declares each account's complete inventories (every listing succeeded), so that a persisted demo can detect deletions", () => {
    expect(committed.accounts.map((a: { resourceTypes?: string[] }) => a.resourceTypes)).toEqual([RESOURCE_TYPES, RESOURCE_TYPES]);
  });

  it("has unknown attributes so that coverage is shown", () => {
    expect(JSON.stringify(resources)).toContain("\"$unknown\":\"AccessDenied");
    expect(committed.accounts.some((a: { errors: unknown[] }) => a.errors.length > 0)).toBe(true);
  });
});
