import { z } from "zod";
import { conditionSchema } from "./condition.js";
import { RESOURCE_TYPES, type ResourceType } from "./snapshot.js";

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

const ruleTestSchema = z.strictObject({
  name: z.string().min(1),
  expect: z.enum(["pass", "fail", "not_evaluated", "not_applicable"]),
  /** Evaluated at this time (ISO); defaults to the catalog's fixed test clock. */
  now: z.string().optional(),
  resource: z.record(z.string(), z.unknown()),
  /** Other resources of the snapshot that the check looks up (groups, managed policies). */
  related: z.array(z.record(z.string(), z.unknown())).optional(),
});

export const ruleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "kebab-case, equal to the file name"),
  title: z.string().min(5).max(150),
  severity: z.enum(SEVERITIES),
  resource: z.enum(RESOURCE_TYPES as [string, ...string[]]),
  description: z.string().min(10),
  risk: z.string().min(10),
  applies: conditionSchema.optional(),
  check: conditionSchema,
  compliance: z.record(z.string(), z.array(z.string().min(1)).min(1)).refine((c) => Object.keys(c).length > 0, "map the rule to at least one framework"),
  remediation: z.strictObject({
    console: z.string().min(10),
    cli: z.string().min(5),
    terraform: z.string().min(5),
    references: z.array(z.url()).min(1),
  }),
  fix: z.string().optional(),
  tests: z.array(ruleTestSchema).min(2),
});

export type RuleDefinition = z.infer<typeof ruleSchema>;
export type RuleTest = z.infer<typeof ruleTestSchema>;

export interface Rule extends Omit<RuleDefinition, "resource"> {
  resource: ResourceType;
  /** Where the rule came from, for error messages ("rules/s3/x.yaml"). */
  file: string;
  /** Content hash: a finding records the rule version that raised it. */
  version: string;
  /** Top-level resource attributes the rule reads (paths and named checks). */
  reads: string[];
}

export const frameworksSchema = z.strictObject({
  frameworks: z.record(
    z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, "lower-case framework id such as cis-aws-3.0"),
    z.strictObject({
      name: z.string(),
      version: z.string(),
      url: z.url().optional(),
      controls: z.record(z.string(), z.string().min(3)),
    }),
  ),
});

export type Frameworks = z.infer<typeof frameworksSchema>["frameworks"];
