import { describe, expect, it } from "vitest";
import { generateSnapshot } from "../../bench/generate.js";
import { snapshotSchema } from "../../src/core/snapshot.js";

// The evaluation benchmark is only meaningful if its synthetic resources are what collectors emit.
describe("bench/generate.ts", () => {
  const snapshot = generateSnapshot({ size: 3_000, resourcesPerAccount: 1_000 });

  it("produces exactly the requested number of schema-valid resources", () => {
    expect(snapshot.resources).toHaveLength(3_000);
    const parsed = snapshotSchema.safeParse(snapshot);
    expect(parsed.success ? [] : parsed.error.issues.slice(0, 3)).toEqual([]);
  });

  it("is mostly buckets and users, spread over accounts, and deterministic", () => {
    const share = (type: string) => snapshot.resources.filter((r) => r.type === type).length / snapshot.resources.length;
    expect(share("aws:s3:bucket")).toBeGreaterThan(0.5);
    expect(share("aws:iam:user")).toBeGreaterThan(0.2);
    expect(snapshot.accounts).toHaveLength(3);
    expect(generateSnapshot({ size: 3_000, resourcesPerAccount: 1_000 })).toEqual(snapshot);
  });
});
