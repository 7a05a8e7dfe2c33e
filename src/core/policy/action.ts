import type { NormalizedStatement } from "./statement.js";

/**
 * IAM wildcards: `*` matches any run of characters, `?` exactly one; action names compare
 * case-insensitively (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
 */
const patternCache = new Map<string, RegExp>();

function toRegExp(pattern: string, literalStars: boolean): RegExp {
  const cacheKey = `${literalStars ? "L" : "M"}${pattern}`;
  const cached = patternCache.get(cacheKey);
  if (cached) return cached;
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, literalStars ? "[^*]" : ".");
  const regex = new RegExp(`^${escaped}$`, "is");
  patternCache.set(cacheKey, regex);
  return regex;
}

/** Whether the IAM pattern (`s3:Get*`, `*`) matches one concrete action or ARN. */
export function matchesPattern(pattern: string, value: string): boolean {
  return toRegExp(pattern, false).test(value);
}

/**
 * Whether `outer` matches everything `inner` matches. Sound for IAM globs: `outer` matching the
 * literal text of `inner` (its `*` absorbed by a `*` of `outer`) means every expansion of `inner`
 * is matched too (`s3:*` covers `s3:Get*`; `s3:Get*` does not cover `s3:G*`).
 */
export function coversPattern(outer: string, inner: string): boolean {
  return toRegExp(outer, true).test(inner);
}

/** Whether the statement's Action / NotAction applies to this concrete action. */
export function statementMatchesAction(statement: NormalizedStatement, action: string): boolean {
  if (statement.actions) return statement.actions.some((pattern) => matchesPattern(pattern, action));
  if (statement.notActions) return !statement.notActions.some((pattern) => matchesPattern(pattern, action));
  return false;
}

/** Whether the statement applies to every action matched by `pattern` (e.g. `s3:*`, `*`). */
export function statementCoversActions(statement: NormalizedStatement, pattern: string): boolean {
  if (statement.actions) return statement.actions.some((own) => coversPattern(own, pattern));
  if (statement.notActions) return !statement.notActions.some((excluded) => patternsOverlap(excluded, pattern));
  return false;
}

/** Whether two IAM globs can match a common action (non-empty intersection), case-insensitively. */
export function patternsOverlap(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const memo = new Map<number, boolean>();
  const overlap = (i: number, j: number): boolean => {
    const key = i * (y.length + 1) + j;
    const cached = memo.get(key);
    if (cached !== undefined) return cached;
    let result: boolean;
    if (i === x.length && j === y.length) result = true;
    else if (x[i] === "*") result = overlap(i + 1, j) || (j < y.length && overlap(i, j + 1));
    else if (y[j] === "*") result = overlap(i, j + 1) || (i < x.length && overlap(i + 1, j));
    else if (i === x.length || j === y.length) result = false;
    else result = (x[i] === y[j] || x[i] === "?" || y[j] === "?") && overlap(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return overlap(0, 0);
}

/** The statement's action list as written, for evidence. */
export function describeActions(statement: NormalizedStatement): string {
  if (statement.actions) return `Action ${statement.actions.join(", ")}`;
  return `NotAction ${(statement.notActions ?? []).join(", ")}`;
}

/** Whether the statement applies to at least one action matched by any of `patterns`. */
export function statementGrantsAnyOf(statement: NormalizedStatement, patterns: readonly string[]): boolean {
  if (statement.actions) return statement.actions.some((own) => patterns.some((pattern) => patternsOverlap(own, pattern)));
  if (statement.notActions) return patterns.some((pattern) => !statement.notActions!.some((excluded) => coversPattern(excluded, pattern)));
  return false;
}
