import pLimit from "p-limit";
import type { Severity } from "../core/rule.js";
import { DeliveryError, type FindingView, type StoredFindingView } from "./slack-ports.js";

/** How the outbox is delivered; defaults follow DESIGN section 2.2 and Slack's limits (reference B1, B3). */
export interface DeliveryOptions {
  /** Severities that are posted (`notifications.severities`; the scanner queues critical, high and these). */
  severities: ReadonlySet<Severity>;
  /** More new findings than this for one channel in one delivery pass are grouped, one message per rule. */
  groupThreshold: number;
  /** Resources per grouped message: each takes a block, and a message holds at most 50. */
  maxGroupSize: number;
  /** Unowned findings, and the fallback when the bot cannot post to a team channel. */
  securityChannel: string | null;
  /** Outbox rows read per round; grouping happens within a round, so one round should hold a whole scan. */
  batchSize: number;
  /** Channels served at the same time (each channel is sequential: Slack allows ~1 message/s per channel). */
  channelConcurrency: number;
  /** A 429's Retry-After up to this long is waited out in place; longer defers the row to next_attempt_at. */
  maxInlineWaitMs: number;
  /** Exponential backoff of failed deliveries: base x 2^attempts, capped. */
  backoff: { baseMs: number; maxMs: number };
}

export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = {
  severities: new Set(["critical", "high"]),
  groupThreshold: 5,
  maxGroupSize: 20,
  securityChannel: null,
  batchSize: 5000,
  channelConcurrency: 20,
  maxInlineWaitMs: 60_000,
  backoff: { baseMs: 30_000, maxMs: 3_600_000 },
};

/** Catalog data of a rule that a message shows. */
export interface RuleInfo {
  title: string;
  compliance: Record<string, string[]>;
  fix?: string;
}

export interface DeliveryClock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

export function nextAttemptAt(now: Date, attempts: number, backoff: DeliveryOptions["backoff"], retryAfterMs?: number): string {
  const exponential = Math.min(backoff.baseMs * 2 ** Math.max(attempts, 0), backoff.maxMs);
  return new Date(now.getTime() + Math.max(exponential, retryAfterMs ?? 0)).toISOString();
}

/** The 50th consecutive 429 on one call means something is wrong beyond pacing: give the row back to the outbox. */
const MAX_INLINE_WAITS = 50;

/**
 * Runs one Slack call, waiting out 429s whose Retry-After is short (per channel: the other channels'
 * queues keep going, unlike the WebClient's own retry, which pauses every call of the client).
 */
export async function withRateLimitWaits<T>(call: () => Promise<T>, clock: DeliveryClock, maxInlineWaitMs: number): Promise<T> {
  for (let waits = 0; ; waits += 1) {
    try {
      return await call();
    } catch (error) {
      const wait = error instanceof DeliveryError && error.kind === "rate_limited" ? (error.retryAfterMs ?? 1000) : undefined;
      if (wait === undefined || wait > maxInlineWaitMs || waits >= MAX_INLINE_WAITS) throw error;
      await clock.sleep(wait);
    }
  }
}

export function findingViewOf(stored: StoredFindingView, rule: RuleInfo | undefined): FindingView {
  return { ...stored, title: rule?.title ?? stored.ruleId, compliance: rule?.compliance ?? {}, hasFix: rule?.fix !== undefined };
}

export function errorText(error: unknown): string {
  if (error instanceof DeliveryError) return error.slackError;
  return error instanceof Error ? error.message : String(error);
}

/** Channels in parallel (bounded), each channel's messages in order, one at a time. */
export async function runPerChannel<T extends { channel: string }>(work: T[], options: Pick<DeliveryOptions, "channelConcurrency">, run: (item: T) => Promise<void>): Promise<void> {
  const queues = new Map<string, T[]>();
  for (const item of work) queues.set(item.channel, [...(queues.get(item.channel) ?? []), item]);
  const limit = pLimit(options.channelConcurrency);
  await Promise.all([...queues.values()].map((queue) => limit(async () => {
    for (const item of queue) await run(item);
  })));
}
