import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixerPolicyDocument } from "../src/aws/fixers/permissions.js";
import { scannerPolicyDocument } from "../src/aws/permissions.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

function jsonBlock(marker: string): unknown {
  const match = readme.match(new RegExp(`<!-- ${marker}:start -->\\s*\`\`\`json\\n([\\s\\S]*?)\`\`\`\\s*<!-- ${marker}:end -->`));
  if (!match) throw new Error(`README.md has no ${marker} block`);
  return JSON.parse(match[1]!);
}

describe("README", () => {
  it("gives the scanner's IAM policy exactly as the collectors declare it", () => {
    expect(jsonBlock("scanner-policy")).toEqual(scannerPolicyDocument());
  });

  it("gives the fixer role's IAM policy exactly as the fixers declare it", () => {
    expect(jsonBlock("fixer-policy")).toEqual(fixerPolicyDocument());
  });

  it("opens with the demo and the test commands", () => {
    const start = readme.slice(0, 600);
    expect(start).toContain("npm ci && npm run demo");
    expect(start).toContain("npm ci && npm test");
  });
});
