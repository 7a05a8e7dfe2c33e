import { tz } from "@date-fns/tz";
import { format } from "date-fns";
import type { DigestDelivery } from "./digest.js";
import { DeliveryError, type DigestMessage, type DigestPosted, type MessageRef, type Notifier } from "./slack-ports.js";

/** Which digests went out, so a restart on the same day does not post them twice (src/db/schedule-queries.ts). */
export interface DigestLog {
  isPosted(key: string): Promise<boolean>;
  recordPosted(key: string, ref: MessageRef, at: string): Promise<void>;
}

export interface PostDigestsDeps {
  notifier: Notifier;
  log: DigestLog;
  now: () => Date;
  sleep(ms: number): Promise<void>;
}

export interface PostDigestsResult {
  posted: { scope: string; channel: string; ref: MessageRef; chart: DigestPosted["chart"] }[];
  /** Already posted today (a restart, or a second tick). */
  alreadyPosted: string[];
  failed: { scope: string; channel: string; error: string }[];
}

const RATE_LIMIT_RETRIES = 3;

/** The day a digest belongs to, in the digest's time zone: 08:30 in Tokyo is still yesterday in UTC. */
export function digestDay(now: Date, timeZone: string): string {
  return format(now, "yyyy-MM-dd", { in: tz(timeZone) });
}

export const digestKey = (scope: string, day: string): string => `digest:${scope}:${day}`;

/**
 * Posts each digest (message, then its chart in the thread) unless its `digest:<scope>:<day>` key is
 * recorded. A post is recorded right after Slack accepts it, so one failing channel neither stops the
 * others nor makes them post twice when the job runs again. A crash between Slack's answer and the record
 * could repeat one message: at least once, never silently lost.
 */
export async function postDailyDigests(deps: PostDigestsDeps, deliveries: readonly DigestDelivery<DigestMessage>[], day: string): Promise<PostDigestsResult> {
  const result: PostDigestsResult = { posted: [], alreadyPosted: [], failed: [] };
  for (const delivery of deliveries) {
    const key = digestKey(delivery.scope, day);
    if (await deps.log.isPosted(key)) {
      result.alreadyPosted.push(delivery.scope);
      continue;
    }
    try {
      const posted = await postWithRetry(deps, delivery);
      await deps.log.recordPosted(key, posted.ref, deps.now().toISOString());
      result.posted.push({ scope: delivery.scope, channel: delivery.channel, ref: posted.ref, chart: posted.chart });
    } catch (error) {
      if (!(error instanceof DeliveryError)) throw error;
      result.failed.push({ scope: delivery.scope, channel: delivery.channel, error: error.slackError });
    }
  }
  return result;
}

async function postWithRetry(deps: PostDigestsDeps, delivery: DigestDelivery<DigestMessage>): Promise<DigestPosted> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await deps.notifier.postDigest(delivery.channel, delivery.message, delivery.chart ?? undefined);
    } catch (error) {
      // Slack answers 429 with Retry-After per channel (the WebClient rejects rate-limited calls, see create-app.ts).
      if (!(error instanceof DeliveryError) || error.kind !== "rate_limited" || attempt >= RATE_LIMIT_RETRIES) throw error;
      await deps.sleep(error.retryAfterMs ?? 1000);
    }
  }
}
