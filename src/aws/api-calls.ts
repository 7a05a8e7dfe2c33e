import type { FinalizeRequestMiddleware, MetadataBearer, Pluggable, RelativeMiddlewareOptions } from "@smithy/types";

/**
 * Counts HTTP attempts per operation ("s3:GetBucketAcl") into `counts`. Placed in the finalizeRequest
 * step below the retry middleware, so every retried attempt is counted: that is what AWS bills and throttles.
 */
export function countApiCalls(service: string, counts: Map<string, number>): Pluggable<object, MetadataBearer> {
  const middleware: FinalizeRequestMiddleware<object, MetadataBearer> = (next, context) => async (args) => {
    const operation = String(context.commandName ?? "Unknown").replace(/Command$/, "");
    const key = `${service}:${operation}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    return next(args);
  };
  // After the retry middleware (finalizeRequest, high priority) so each attempt passes through here.
  const options: RelativeMiddlewareOptions = { relation: "after", toMiddleware: "retryMiddleware", name: "postureCountApiCalls" };
  return { applyToStack: (stack) => stack.addRelativeTo(middleware, options) };
}

export function apiCallsRecord(counts: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
