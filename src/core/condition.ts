import { z } from "zod";
import { isUnknown } from "./unknown.js";

/**
 * The closed set of rule operators (DESIGN section 4). A condition states when a resource PASSES.
 * Evaluation is three-valued (Kleene): `unknown` never becomes a pass. `all` fails as soon as one
 * known part fails (the verdict cannot change whatever the unknown part holds), otherwise an unknown
 * part makes it unknown; `any` dually. Harder logic lives in named checks (`use:`).
 */
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type Scalar = z.infer<typeof scalar>;

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { use: string; with?: Record<string, unknown> }
  | Leaf;

export interface Leaf {
  path?: string;
  equals?: Scalar;
  in?: Scalar[];
  exists?: boolean;
  matches?: string;
  gte?: number;
  lte?: number;
  olderThanDays?: number;
  newerThanDays?: number;
  every?: Condition;
  some?: Condition;
  count?: { where?: Condition; gte?: number; lte?: number };
}

export const LEAF_OPERATORS = [
  "equals", "in", "exists", "matches", "gte", "lte", "olderThanDays", "newerThanDays", "every", "some", "count",
] as const;

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(conditionSchema).min(1) }),
    z.strictObject({ any: z.array(conditionSchema).min(1) }),
    z.strictObject({ not: conditionSchema }),
    z.strictObject({ use: z.string().min(1), with: z.record(z.string(), z.unknown()).optional() }),
    leafSchema,
  ]),
);

const leafSchema = z
  .strictObject({
    path: z.string().optional(),
    equals: scalar.optional(),
    in: z.array(scalar).min(1).optional(),
    exists: z.boolean().optional(),
    matches: z.string().refine(isValidRegex, "must be a valid regular expression").optional(),
    gte: z.number().optional(),
    lte: z.number().optional(),
    olderThanDays: z.number().nonnegative().optional(),
    newerThanDays: z.number().nonnegative().optional(),
    every: z.lazy(() => conditionSchema).optional(),
    some: z.lazy(() => conditionSchema).optional(),
    count: z.lazy(() => z.strictObject({
      where: conditionSchema.optional(),
      gte: z.number().int().optional(),
      lte: z.number().int().optional(),
    })).optional(),
  })
  .refine((leaf) => LEAF_OPERATORS.filter((op) => leaf[op] !== undefined).length === 1, {
    message: `a condition needs exactly one operator: all, any, not, use, or a path with one of ${LEAF_OPERATORS.join(", ")}`,
  });

function isValidRegex(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

export type Status = "pass" | "fail" | "unknown";

export interface Evidence {
  path: string;
  expected: string;
  observed: unknown;
}

export interface Outcome {
  status: Status;
  evidence: Evidence[];
  /** Why the outcome is unknown (the attribute and the collector's reason). */
  reason?: string;
  /** Facts that qualify a verdict without changing it, such as "only with MFA". */
  qualifiers?: string[];
}

export const pass = (evidence: Evidence[] = []): Outcome => ({ status: "pass", evidence });
export const fail = (evidence: Evidence[]): Outcome => ({ status: "fail", evidence });
export const undecided = (reason: string): Outcome => ({ status: "unknown", evidence: [], reason });

/** Resolution of a dotted path: a known value (possibly absent = undefined) or an unknown with its reason. */
export type Resolved = { known: true; value: unknown } | { known: false; reason: string };

/**
 * At the top of a resource an `undefined` attribute was not collected (unknown); below it, a missing
 * key is a known absence (a password policy without `maxPasswordAge` has no expiry).
 */
// Memoised per path and pattern: the same few dozen strings are read millions of times in a big scan.
const splitPaths = new Map<string, readonly string[]>();
const compiledPatterns = new Map<string, RegExp>();

function splitPath(path: string | undefined): readonly string[] {
  if (!path || path === ".") return [];
  let parts = splitPaths.get(path);
  if (!parts) splitPaths.set(path, (parts = path.split(".")));
  return parts;
}

function compiled(pattern: string): RegExp {
  let regex = compiledPatterns.get(pattern);
  if (!regex) compiledPatterns.set(pattern, (regex = new RegExp(pattern)));
  return regex;
}

export function resolvePath(root: unknown, path: string | undefined, topLevel: boolean): Resolved {
  const parts = splitPath(path);
  let value: unknown = root;
  for (const [index, part] of parts.entries()) {
    if (isUnknown(value)) return { known: false, reason: `${parts.slice(0, index).join(".")}: ${value.$unknown}` };
    if (value === null || value === undefined || typeof value !== "object") return { known: true, value: undefined };
    value = (value as Record<string, unknown>)[part];
    if (value === undefined && topLevel && index === 0) return { known: false, reason: `${part}: not collected` };
  }
  if (isUnknown(value)) return { known: false, reason: `${path ?? "value"}: ${value.$unknown}` };
  return { known: true, value };
}

export interface ConditionContext {
  now: Date;
  /** Evaluates a named check (`use:`); supplied by the engine from the check registry. */
  runCheck(name: string, params: Record<string, unknown> | undefined, subject: unknown): Outcome;
}

const DAY_MS = 86_400_000;

export function evaluateCondition(condition: Condition, subject: unknown, ctx: ConditionContext, topLevel = true, prefix = ""): Outcome {
  if ("all" in condition) return combineAll(condition.all.map((c) => evaluateCondition(c, subject, ctx, topLevel, prefix)));
  if ("any" in condition) return combineAny(condition.any.map((c) => evaluateCondition(c, subject, ctx, topLevel, prefix)));
  if ("not" in condition) return negate(evaluateCondition(condition.not, subject, ctx, topLevel, prefix));
  if ("use" in condition) return ctx.runCheck(condition.use, condition.with, subject);
  return evaluateLeaf(condition, subject, ctx, topLevel, prefix);
}

function evaluateLeaf(leaf: Leaf, subject: unknown, ctx: ConditionContext, topLevel: boolean, prefix: string): Outcome {
  const path = joinPath(prefix, leaf.path);
  const resolved = resolvePath(subject, leaf.path, topLevel);
  if (!resolved.known) return undecided(prefix ? `${prefix}.${resolved.reason}` : resolved.reason);
  const value = resolved.value;
  if (leaf.every !== undefined || leaf.some !== undefined || leaf.count !== undefined) {
    return evaluateQuantifier(leaf, value, path, ctx);
  }
  const [ok, expected] = compareLeaf(leaf, value, ctx.now);
  const evidence = [{ path, expected, observed: value === undefined ? null : value }];
  return ok ? pass(evidence) : fail(evidence);
}

function compareLeaf(leaf: Leaf, value: unknown, now: Date): [boolean, string] {
  if (leaf.equals !== undefined) return [value === leaf.equals || (value === undefined && leaf.equals === null), `equals ${JSON.stringify(leaf.equals)}`];
  if (leaf.in !== undefined) return [leaf.in.includes((value ?? null) as Scalar), `one of ${JSON.stringify(leaf.in)}`];
  if (leaf.exists !== undefined) return [(value !== undefined && value !== null) === leaf.exists, leaf.exists ? "present" : "absent"];
  if (leaf.matches !== undefined) return [typeof value === "string" && compiled(leaf.matches).test(value), `matches /${leaf.matches}/`];
  if (leaf.gte !== undefined) return [typeof value === "number" && value >= leaf.gte, `>= ${leaf.gte}`];
  if (leaf.lte !== undefined) return [typeof value === "number" && value <= leaf.lte, `<= ${leaf.lte}`];
  const age = ageInDays(value, now);
  if (leaf.olderThanDays !== undefined) return [age !== undefined && age > leaf.olderThanDays, `older than ${leaf.olderThanDays} days`];
  if (leaf.newerThanDays !== undefined) return [age !== undefined && age <= leaf.newerThanDays, `within ${leaf.newerThanDays} days`];
  throw new Error("condition without operator (rejected by conditionSchema)");
}

export function ageInDays(value: unknown, now: Date): number | undefined {
  if (typeof value !== "string") return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : (now.getTime() - time) / DAY_MS;
}

function evaluateQuantifier(leaf: Leaf, value: unknown, path: string, ctx: ConditionContext): Outcome {
  if (value !== undefined && value !== null && !Array.isArray(value)) {
    return fail([{ path, expected: "a list", observed: value }]);
  }
  const items = (value ?? []) as unknown[];
  const inner = leaf.every ?? leaf.some ?? leaf.count?.where;
  const outcomes = items.map((item, index) =>
    inner ? evaluateCondition(inner, item, ctx, false, `${path}[${index}]`) : pass());
  if (leaf.every !== undefined) return combineAll(outcomes);
  if (leaf.some !== undefined) {
    const combined = combineAny(outcomes);
    return items.length === 0 ? fail([{ path, expected: "at least one matching item", observed: [] }]) : combined;
  }
  return evaluateCount(leaf.count!, outcomes, path);
}

function evaluateCount(count: NonNullable<Leaf["count"]>, outcomes: Outcome[], path: string): Outcome {
  const unknownOutcome = outcomes.find((o) => o.status === "unknown");
  const matched = outcomes.filter((o) => o.status === "pass").length;
  const undecidedCount = outcomes.filter((o) => o.status === "unknown").length;
  const within = (n: number) => (count.gte === undefined || n >= count.gte) && (count.lte === undefined || n <= count.lte);
  const expected = [count.gte !== undefined ? `>= ${count.gte}` : "", count.lte !== undefined ? `<= ${count.lte}` : ""].filter(Boolean).join(" and ");
  const evidence = [{ path, expected: `matching items ${expected}`, observed: matched }];
  if (undecidedCount === 0) return within(matched) ? pass(evidence) : fail(evidence);
  // Some items are unknown: decided only if every possible count agrees.
  const low = within(matched);
  const high = within(matched + undecidedCount);
  if (low === high && [...Array(undecidedCount + 1).keys()].every((k) => within(matched + k) === low)) {
    return low ? pass(evidence) : fail(evidence);
  }
  return undecided(unknownOutcome?.reason ?? `${path}: unknown`);
}

export function combineAll(outcomes: Outcome[]): Outcome {
  const failed = outcomes.filter((o) => o.status === "fail");
  if (failed.length > 0) return { status: "fail", evidence: failed.flatMap((o) => o.evidence), qualifiers: qualifiersOf(failed) };
  const unknownOutcome = outcomes.find((o) => o.status === "unknown");
  if (unknownOutcome) return undecided(unknownOutcome.reason ?? "unknown");
  return { status: "pass", evidence: outcomes.flatMap((o) => o.evidence), qualifiers: qualifiersOf(outcomes) };
}

export function combineAny(outcomes: Outcome[]): Outcome {
  const passed = outcomes.filter((o) => o.status === "pass");
  if (passed.length > 0) return { status: "pass", evidence: passed.flatMap((o) => o.evidence), qualifiers: qualifiersOf(passed) };
  const unknownOutcome = outcomes.find((o) => o.status === "unknown");
  if (unknownOutcome) return undecided(unknownOutcome.reason ?? "unknown");
  return { status: "fail", evidence: outcomes.flatMap((o) => o.evidence), qualifiers: qualifiersOf(outcomes) };
}

function negate(outcome: Outcome): Outcome {
  if (outcome.status === "unknown") return outcome;
  const evidence = outcome.evidence.map((e) => ({ ...e, expected: `not (${e.expected})` }));
  return { status: outcome.status === "pass" ? "fail" : "pass", evidence, qualifiers: outcome.qualifiers };
}

function qualifiersOf(outcomes: Outcome[]): string[] | undefined {
  const all = outcomes.flatMap((o) => o.qualifiers ?? []);
  return all.length > 0 ? [...new Set(all)] : undefined;
}

function joinPath(prefix: string, path: string | undefined): string {
  if (!path || path === ".") return prefix || "value";
  return prefix ? `${prefix}.${path}` : path;
}

/** Every top-level attribute a condition reads through paths (named checks declare their own). */
export function topLevelPaths(condition: Condition): { paths: string[]; checks: string[] } {
  const paths = new Set<string>();
  const checks = new Set<string>();
  const visit = (c: Condition, nested: boolean) => {
    if ("all" in c) return c.all.forEach((x) => visit(x, nested));
    if ("any" in c) return c.any.forEach((x) => visit(x, nested));
    if ("not" in c) return visit(c.not, nested);
    if ("use" in c) return void checks.add(c.use);
    if (!nested && c.path && c.path !== ".") paths.add(c.path.split(".")[0]!);
    for (const inner of [c.every, c.some, c.count?.where]) if (inner) visit(inner, true);
  };
  visit(condition, false);
  return { paths: [...paths], checks: [...checks] };
}
