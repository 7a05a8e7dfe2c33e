import type { z } from "zod";
import type { Outcome } from "../condition.js";
import type { Resource, ResourceType } from "../snapshot.js";

export interface CheckContext {
  now: Date;
  /** Another resource of the same snapshot by ARN (a user's groups, an attached managed policy). */
  lookup(arn: string): Resource | undefined;
}

/**
 * A named, pure, table-tested check that a rule references with `use:`. It declares the resource
 * types it understands and the top-level attributes it reads, so collectors fetch only what enabled
 * rules need and the invariant tests can prove that an unknown attribute never yields a pass.
 */
export interface NamedCheck<P = Record<string, unknown>> {
  name: string;
  description: string;
  resourceTypes: readonly ResourceType[];
  reads: readonly string[];
  params: z.ZodType<P>;
  evaluate(resource: Resource, params: P, ctx: CheckContext): Outcome;
}

// The registry stores checks with their own parameter types erased; parameters are validated with
// `params` at catalog load, so `evaluate` only ever sees parsed values.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyNamedCheck = NamedCheck<any>;

export function defineCheck<P>(check: NamedCheck<P>): NamedCheck<P> {
  return check;
}
