import { errorText, findingViewOf, nextAttemptAt, runPerChannel, withRateLimitWaits, type DeliveryClock, type DeliveryOptions, type RuleInfo } from "./delivery-policy.js";
import { DeliveryError, type DeliveryStore, type FindingView, type Notice, type Notifier, type OutboxItem } from "./slack-ports.js";
import { deliverMuteSteps } from "./deliver-mute-steps.js";
import { syncMessages } from "./sync-messages.js";

export interface DeliveryDeps {
  store: DeliveryStore;
  notifier: Notifier;
  rules: ReadonlyMap<string, RuleInfo>;
  clock: DeliveryClock;
}

export interface DeliveryReport {
  /** Findings now shown in a new message, and the messages posted for them. */
  posted: number;
  messages: number;
  grouped: number;
  /** Messages that went to the security channel because the team channel refused the bot. */
  fellBack: number;
  /** Outbox rows left for a later attempt (failed, or a Retry-After too long to wait). */
  deferred: number;
  /** Rows done without a post (severity not notified; an existing message updated by the status sync instead). */
  skipped: number;
  /** Existing messages edited, and thread replies, by the status sync. */
  updated: number;
  replies: number;
  /** Mute steps told in Slack (request message and finding thread), and those left for a retry. */
  muteSteps: number;
  muteStepsDeferred: number;
}

/** One message to post: the notice and the outbox rows (one per finding) it delivers. */
interface PlannedPost {
  channel: string;
  notice: Notice;
  items: OutboxItem[];
  views: FindingView[];
}

/**
 * Delivers the outbox (DESIGN section 2.2), then edits the messages of findings whose status moved.
 * Rows are marked sent in the transaction that stores the message ts, so a restart never reposts a
 * delivered row. Slack has no idempotency key on chat.postMessage: a crash between Slack's answer and
 * that COMMIT (milliseconds) posts the row again on restart. We accept that duplicate rather than mark
 * rows sent before posting, which would lose a critical finding on the same crash (at-least-once).
 */
export async function deliverOutbox(deps: DeliveryDeps, options: DeliveryOptions): Promise<DeliveryReport> {
  const report: DeliveryReport = { posted: 0, messages: 0, grouped: 0, fellBack: 0, deferred: 0, skipped: 0, updated: 0, replies: 0, muteSteps: 0, muteStepsDeferred: 0 };
  for (;;) {
    const items = await deps.store.loadDueOutbox(deps.clock.now().toISOString(), options.batchSize);
    if (items.length === 0) break;
    const posts = await planRound(deps, options, items, report);
    await runPerChannel(posts, options, (post) => deliverPost(deps, options, post, report));
  }
  const muted = await deliverMuteSteps(deps, options);
  report.muteSteps = muted.delivered;
  report.muteStepsDeferred = muted.deferred;
  const synced = await syncMessages(deps, options);
  report.updated = synced.updated;
  report.replies = synced.replies;
  return report;
}

async function planRound(deps: DeliveryDeps, options: DeliveryOptions, items: OutboxItem[], report: DeliveryReport): Promise<PlannedPost[]> {
  const stored = await deps.store.loadFindingViews(items.map((item) => item.findingId));
  const at = deps.clock.now().toISOString();
  const byChannel = new Map<string, { items: OutboxItem[]; views: FindingView[] }>();
  for (const item of items) {
    const finding = stored.get(item.findingId);
    const skip = !finding ? "finding no longer stored" : !options.severities.has(finding.severity) ? `severity ${finding.severity} is not notified`
      : (await deps.store.messageOf(item.findingId)) ? "already has a message: the status sync edits it" : undefined;
    if (skip || !finding) {
      await deps.store.recordOutboxDone([item.id], at, `skipped: ${skip}`);
      report.skipped += 1;
      continue;
    }
    const channel = item.channel ?? options.securityChannel;
    if (!channel) {
      await deps.store.recordOutboxFailure([item.id], "no channel: set securityChannel in posture.config.yml for unowned findings", nextAttemptAt(deps.clock.now(), item.attempts, options.backoff));
      report.deferred += 1;
      continue;
    }
    const entry = byChannel.get(channel) ?? { items: [], views: [] };
    entry.items.push(item);
    entry.views.push(findingViewOf(finding, deps.rules.get(finding.ruleId)));
    byChannel.set(channel, entry);
  }
  return [...byChannel].flatMap(([channel, entry]) => planChannel(channel, entry.items, entry.views, options));
}

/**
 * A few findings: one message each. More than the threshold: one message per rule and effective severity,
 * chunked to fit. A severity override can split a rule's findings over severities; a group has one, so its
 * header says the severity of every line in it.
 */
export function planChannel(channel: string, items: OutboxItem[], views: FindingView[], options: Pick<DeliveryOptions, "groupThreshold" | "maxGroupSize">): PlannedPost[] {
  const single = (i: number): PlannedPost => ({ channel, notice: { kind: "finding", finding: views[i]! }, items: [items[i]!], views: [views[i]!] });
  if (items.length <= options.groupThreshold) return items.map((_, i) => single(i));
  const byRule = new Map<string, number[]>();
  views.forEach((view, i) => {
    const key = `${view.ruleId}\u0000${view.severity}`;
    byRule.set(key, [...(byRule.get(key) ?? []), i]);
  });
  const posts: PlannedPost[] = [];
  for (const indexes of byRule.values()) {
    if (indexes.length === 1) {
      posts.push(single(indexes[0]!));
      continue;
    }
    for (let start = 0; start < indexes.length; start += options.maxGroupSize) {
      const chunk = indexes.slice(start, start + options.maxGroupSize);
      const chunkViews = chunk.map((i) => views[i]!);
      const first = chunkViews[0]!;
      posts.push({ channel, notice: { kind: "group", ruleId: first.ruleId, title: first.title, severity: first.severity, findings: chunkViews }, items: chunk.map((i) => items[i]!), views: chunkViews });
    }
  }
  return posts;
}

async function deliverPost(deps: DeliveryDeps, options: DeliveryOptions, post: PlannedPost, report: DeliveryReport): Promise<void> {
  const send = (channel: string, notice: Notice) => withRateLimitWaits(() => deps.notifier.post(channel, notice), deps.clock, options.maxInlineWaitMs);
  const ids = post.items.map((item) => item.id);
  try {
    let intendedChannel: string | null = null;
    let ref;
    try {
      ref = await send(post.channel, post.notice);
    } catch (error) {
      const security = options.securityChannel;
      if (!(error instanceof DeliveryError) || error.kind !== "channel_unavailable" || !security || security === post.channel) throw error;
      // The team channel refused the bot (not invited, archived, deleted): say so where someone will read it.
      ref = await send(security, { ...post.notice, hint: { intendedChannel: post.channel, reason: error.slackError } });
      intendedChannel = post.channel;
      report.fellBack += 1;
    }
    const findings = post.views.map((view) => ({ id: view.id, ruleId: view.ruleId, status: view.status, severity: view.severity }));
    await deps.store.recordPosted({ outboxIds: ids, ref, findings, grouped: post.notice.kind === "group", intendedChannel }, deps.clock.now().toISOString());
    report.posted += findings.length;
    report.messages += 1;
    if (post.notice.kind === "group") report.grouped += 1;
  } catch (error) {
    const attempts = Math.max(...post.items.map((item) => item.attempts));
    const retryAfterMs = error instanceof DeliveryError ? error.retryAfterMs : undefined;
    await deps.store.recordOutboxFailure(ids, errorText(error), nextAttemptAt(deps.clock.now(), attempts, options.backoff, retryAfterMs));
    report.deferred += ids.length;
    if (error instanceof DeliveryError && error.kind === "auth") throw error;
  }
}

/**
 * One delivery at a time: the scan, the mute listeners and the expiry job all ask for one, and two passes
 * reading the same due rows would post them twice. A request while one runs gets the pass after it.
 */
export function serializeDelivery<T>(run: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  let next: Promise<T> | undefined;
  return () => {
    if (!running) {
      running = run().finally(() => (running = undefined));
      return running;
    }
    next ??= running.catch(() => undefined).then(() => {
      next = undefined;
      running = run().finally(() => (running = undefined));
      return running;
    });
    return next;
  };
}
