import { createHash } from "node:crypto";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { topLevelPaths, type Condition } from "./condition.js";
import type { AnyNamedCheck } from "./checks/check.js";
import { frameworksSchema, ruleSchema, type Frameworks, type Rule, type RuleDefinition } from "./rule.js";
import { RESOURCE_TYPES, resourceSchemaFor, type ResourceType } from "./snapshot.js";

export interface SourceFile {
  path: string;
  text: string;
}

export interface CatalogInput {
  frameworks: SourceFile;
  rules: SourceFile[];
  checks: ReadonlyMap<string, AnyNamedCheck>;
  /** Fixer ids that exist; a rule's `fix` must name one of them. */
  fixers: ReadonlySet<string>;
}

export interface Catalog {
  rules: Rule[];
  frameworks: Frameworks;
}

/** Every problem of a catalog at once, each naming its file and field. */
export class CatalogError extends Error {
  readonly code = "POSTURE_INVALID_RULES";
  constructor(readonly problems: string[]) {
    super(`The rule catalog has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

export function parseCatalog(input: CatalogInput): Catalog {
  const problems: string[] = [];
  const frameworks = parseFrameworks(input.frameworks, problems);
  const rules: Rule[] = [];
  const seen = new Map<string, string>();
  for (const file of input.rules) {
    const rule = parseRuleFile(file, input, frameworks, problems);
    if (!rule) continue;
    const previous = seen.get(rule.id);
    if (previous) problems.push(`${file.path}: id: "${rule.id}" is also defined in ${previous}`);
    seen.set(rule.id, file.path);
    rules.push(rule);
  }
  if (problems.length > 0) throw new CatalogError(problems);
  rules.sort((a, b) => a.id.localeCompare(b.id));
  return { rules, frameworks: frameworks ?? {} };
}

function parseFrameworks(file: SourceFile, problems: string[]): Frameworks | undefined {
  const data = parseYamlFile(file, problems);
  if (data === undefined) return undefined;
  const parsed = frameworksSchema.safeParse(data);
  if (!parsed.success) {
    problems.push(...zodProblems(file.path, parsed.error));
    return undefined;
  }
  return parsed.data.frameworks;
}

function parseRuleFile(file: SourceFile, input: CatalogInput, frameworks: Frameworks | undefined, problems: string[]): Rule | undefined {
  const data = parseYamlFile(file, problems);
  if (data === undefined) return undefined;
  const parsed = ruleSchema.safeParse(data);
  if (!parsed.success) {
    problems.push(...zodProblems(file.path, parsed.error));
    return undefined;
  }
  const def = parsed.data;
  const before = problems.length;
  const fileId = file.path.split("/").pop()!.replace(/\.ya?ml$/, "");
  if (def.id !== fileId) problems.push(`${file.path}: id: expected "${fileId}" (the file name), received "${def.id}"`);
  const resource = def.resource as ResourceType;
  const reads = new Set<string>();
  checkCondition(def.check, "check", file.path, resource, input, reads, problems);
  if (def.applies) checkCondition(def.applies, "applies", file.path, resource, input, reads, problems);
  checkCompliance(def, file.path, frameworks, problems);
  if (def.fix !== undefined && !input.fixers.has(def.fix)) {
    problems.push(`${file.path}: fix: no fixer "${def.fix}" exists (known: ${[...input.fixers].join(", ") || "none"})`);
  }
  checkTests(def, file.path, resource, problems);
  if (problems.length > before) return undefined;
  const version = createHash("sha256").update(file.text).digest("hex").slice(0, 12);
  return { ...def, resource, file: file.path, version, reads: [...reads].sort() };
}

function checkCondition(condition: Condition, field: string, path: string, resource: ResourceType, input: CatalogInput, reads: Set<string>, problems: string[]): void {
  const attributes = Object.keys(resourceSchemaFor(resource).shape);
  const used = topLevelPaths(condition);
  for (const attr of used.paths) {
    if (!attributes.includes(attr)) {
      problems.push(`${path}: ${field}: "${attr}" is not an attribute of ${resource} (known: ${attributes.join(", ")})`);
    }
    reads.add(attr);
  }
  visitUses(condition, (name, params) => {
    const check = input.checks.get(name);
    if (!check) {
      problems.push(`${path}: ${field}: use: no named check "${name}" (known: ${[...input.checks.keys()].join(", ")})`);
      return;
    }
    if (!check.resourceTypes.includes(resource)) {
      problems.push(`${path}: ${field}: use: "${name}" works on ${check.resourceTypes.join(", ")}, not ${resource}`);
    }
    const parsedParams = check.params.safeParse(params ?? {});
    if (!parsedParams.success) problems.push(...zodProblems(`${path}: ${field}: use: ${name}: with`, parsedParams.error));
    check.reads.forEach((attr) => reads.add(attr));
  });
}

function visitUses(condition: Condition, visit: (name: string, params: Record<string, unknown> | undefined) => void): void {
  if ("all" in condition) return condition.all.forEach((c) => visitUses(c, visit));
  if ("any" in condition) return condition.any.forEach((c) => visitUses(c, visit));
  if ("not" in condition) return visitUses(condition.not, visit);
  if ("use" in condition) return visit(condition.use, condition.with);
  for (const inner of [condition.every, condition.some, condition.count?.where]) if (inner) visitUses(inner, visit);
}

function checkCompliance(def: RuleDefinition, path: string, frameworks: Frameworks | undefined, problems: string[]): void {
  if (!frameworks) return;
  for (const [frameworkId, controls] of Object.entries(def.compliance)) {
    const framework = frameworks[frameworkId];
    if (!framework) {
      problems.push(`${path}: compliance.${frameworkId}: unknown framework (known: ${Object.keys(frameworks).join(", ")})`);
      continue;
    }
    for (const control of controls) {
      if (!(control in framework.controls)) {
        problems.push(`${path}: compliance.${frameworkId}: control "${control}" is not in rules/frameworks.yaml`);
      }
    }
  }
}

function checkTests(def: RuleDefinition, path: string, resource: ResourceType, problems: string[]): void {
  const expects = new Set(def.tests.map((t) => t.expect));
  if (!expects.has("pass")) problems.push(`${path}: tests: needs at least one case with expect: pass`);
  if (!expects.has("fail")) problems.push(`${path}: tests: needs at least one case with expect: fail`);
  const schema = resourceSchemaFor(resource);
  def.tests.forEach((test, index) => {
    const fixture = withFixtureDefaults(test.resource, resource);
    const parsed = schema.safeParse(fixture);
    if (!parsed.success) problems.push(...zodProblems(`${path}: tests[${index}] (${test.name}): resource`, parsed.error));
    (test.related ?? []).forEach((related, relatedIndex) => {
      const where = `${path}: tests[${index}] (${test.name}): related[${relatedIndex}]`;
      const type = RESOURCE_TYPES.find((t) => t === related.type);
      if (!type) {
        problems.push(`${where}: type: expected one of ${RESOURCE_TYPES.join(", ")}, received ${JSON.stringify(related.type)}`);
        return;
      }
      const relatedParsed = resourceSchemaFor(type).safeParse(withFixtureDefaults(related, type));
      if (!relatedParsed.success) problems.push(...zodProblems(where, relatedParsed.error));
    });
  });
}

/** Identity fields that test fixtures may omit; everything a rule reads must be spelled out. */
export function withFixtureDefaults(fixture: Record<string, unknown>, type: string): Record<string, unknown> {
  const accountId = (fixture.accountId as string | undefined) ?? "111122223333";
  const name = (fixture.name as string | undefined) ?? "example";
  const global = type.startsWith("aws:iam:") || type === "aws:s3:account";
  return {
    type,
    accountId,
    name,
    region: global ? "global" : "us-east-1",
    arn: `arn:aws:test::${accountId}:${type}/${name}`,
    ...fixture,
  };
}

function parseYamlFile(file: SourceFile, problems: string[]): unknown {
  try {
    return parseYaml(file.text, { prettyErrors: true });
  } catch (error) {
    problems.push(`${file.path}: not valid YAML: ${(error as Error).message.split("\n")[0]}`);
    return undefined;
  }
}

function zodProblems(prefix: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const field = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
    return `${prefix}${field ? `: ${field}` : ""}: ${issue.message}`;
  });
}
