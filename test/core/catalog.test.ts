import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CatalogError, parseCatalog, type SourceFile } from "../../src/core/catalog.js";
import { defineCheck, type AnyNamedCheck } from "../../src/core/checks/check.js";
import { pass } from "../../src/core/condition.js";

const frameworks: SourceFile = {
  path: "rules/frameworks.yaml",
  text: `frameworks:
  cis-aws-3.0:
    name: CIS AWS Foundations Benchmark
    version: "3.0.0"
    controls:
      "2.1.1": Ensure S3 Bucket Policy is set to deny HTTP requests
`,
};

const bucketCheck = defineCheck({
  name: "bucketThing",
  description: "test check",
  resourceTypes: ["aws:s3:bucket"],
  reads: ["policy"],
  params: z.strictObject({ level: z.number().default(1) }),
  evaluate: () => pass(),
});
const checks = new Map<string, AnyNamedCheck>([[bucketCheck.name, bucketCheck]]);

const validRule = `id: s3-bucket-versioning
title: S3 bucket has versioning enabled
severity: medium
resource: aws:s3:bucket
description: Versioning keeps every version of every object.
risk: Without versioning, an overwrite or delete cannot be undone.
check:
  all:
    - { path: versioning.status, equals: Enabled }
    - { use: bucketThing }
compliance:
  cis-aws-3.0: ["2.1.1"]
remediation:
  console: "1. Open the bucket {{resource.name}}"
  cli: aws s3api put-bucket-versioning --bucket {{resource.name}}
  terraform: resource "aws_s3_bucket_versioning" "x" {}
  references: [https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html]
tests:
  - name: enabled
    expect: pass
    resource: { name: b, versioning: { status: Enabled, mfaDelete: Disabled } }
  - name: suspended
    expect: fail
    resource: { name: b, versioning: { status: Suspended, mfaDelete: Disabled } }
`;

const load = (rules: SourceFile[]) => parseCatalog({ frameworks, rules, checks, fixers: new Set(["enable-versioning"]) });
const problemsOf = (rules: SourceFile[]): string[] => {
  try {
    load(rules);
  } catch (error) {
    if (error instanceof CatalogError) return error.problems;
    throw error;
  }
  return [];
};

describe("parseCatalog", () => {
  it("loads a valid rule with its version hash and the attributes it reads", () => {
    const { rules } = load([{ path: "rules/s3/s3-bucket-versioning.yaml", text: validRule }]);
    expect(rules).toHaveLength(1);
    expect(rules[0]!.reads).toEqual(["policy", "versioning"]);
    expect(rules[0]!.version).toMatch(/^[0-9a-f]{12}$/);
    expect(rules[0]!.file).toBe("rules/s3/s3-bucket-versioning.yaml");
  });

  it.each<[string, (text: string) => string, string, RegExp]>([
    ["id differs from the file name", (t) => t, "rules/s3/other-name.yaml", /rules\/s3\/other-name\.yaml: id: expected "other-name"/],
    ["unknown severity", (t) => t.replace("severity: medium", "severity: urgent"), "rules/s3/s3-bucket-versioning.yaml", /s3-bucket-versioning\.yaml: severity: /],
    ["misspelt attribute", (t) => t.replace("versioning.status", "versionning.status"), "rules/s3/s3-bucket-versioning.yaml", /check: "versionning" is not an attribute of aws:s3:bucket/],
    ["unknown named check", (t) => t.replace("use: bucketThing", "use: nope"), "rules/s3/s3-bucket-versioning.yaml", /check: use: no named check "nope"/],
    ["bad named check parameters", (t) => t.replace("{ use: bucketThing }", "{ use: bucketThing, with: { level: high } }"), "rules/s3/s3-bucket-versioning.yaml", /use: bucketThing: with: level: /],
    ["unknown framework", (t) => t.replace("cis-aws-3.0:", "cis-aws-9.9:"), "rules/s3/s3-bucket-versioning.yaml", /compliance\.cis-aws-9\.9: unknown framework/],
    ["unknown control", (t) => t.replace('["2.1.1"]', '["9.9"]'), "rules/s3/s3-bucket-versioning.yaml", /control "9\.9" is not in rules\/frameworks\.yaml/],
    ["unknown fixer", (t) => t.replace("tests:", "fix: delete-everything\ntests:"), "rules/s3/s3-bucket-versioning.yaml", /fix: no fixer "delete-everything"/],
    ["no failing test", (t) => t.replace("expect: fail", "expect: pass"), "rules/s3/s3-bucket-versioning.yaml", /tests: needs at least one case with expect: fail/],
    ["fixture that the collector schema rejects", (t) => t.replace("status: Suspended", "status: Sometimes"), "rules/s3/s3-bucket-versioning.yaml", /tests\[1\] \(suspended\): resource: versioning/],
    ["invalid YAML", () => "id: [unclosed", "rules/s3/s3-bucket-versioning.yaml", /s3-bucket-versioning\.yaml: not valid YAML/],
    ["unknown top-level field", (t) => t.replace("severity: medium", "severity: medium\nseverty: low"), "rules/s3/s3-bucket-versioning.yaml", /Unrecognized key.*severty/],
  ])("names the file and field when %s", (_name, mutate, path, expected) => {
    const problems = problemsOf([{ path, text: mutate(validRule) }]);
    expect(problems.join("\n")).toMatch(expected);
  });

  it("reports every problem of every file at once", () => {
    const problems = problemsOf([
      { path: "rules/s3/a.yaml", text: validRule },
      { path: "rules/s3/b.yaml", text: validRule.replace("severity: medium", "severity: urgent") },
    ]);
    expect(problems.some((p) => p.startsWith("rules/s3/a.yaml"))).toBe(true);
    expect(problems.some((p) => p.startsWith("rules/s3/b.yaml"))).toBe(true);
  });

  it("rejects a duplicate id", () => {
    const problems = problemsOf([
      { path: "rules/s3/s3-bucket-versioning.yaml", text: validRule },
      { path: "rules/iam/s3-bucket-versioning.yaml", text: validRule },
    ]);
    expect(problems.join("\n")).toMatch(/also defined in rules\/s3\/s3-bucket-versioning\.yaml/);
  });
});
