import { errorText, findingViewOf, nextAttemptAt, withRateLimitWaits, type DeliveryClock, type DeliveryOptions, type RuleInfo } from "./delivery-policy.js";
import { DeliveryError, type DeliveryStore, type MessageRef, type MuteStepItem, type Notifier } from "./slack-ports.js";
import { messageNoticeOf, PERMANENT } from "./sync-messages.js";

interface MuteStepDeps {
  store: DeliveryStore;
  notifier: Notifier;
  rules: ReadonlyMap<string, RuleInfo>;
  clock: DeliveryClock;
}

export interface MuteStepReport {
  /** Request messages re-drawn, and finding messages re-drawn with their thread reply. */
  delivered: number;
  /** Rows left for a later attempt (Slack failed or is unreachable). */
  deferred: number;
  /** Rows done without a Slack call (no message to update, or one Slack will never accept an edit of). */
  skipped: number;
}

type Outcome = { done: true; note?: string } | { done: false; error: unknown };

/**
 * Delivers the Slack updates mute steps queued in the outbox (issue 5): the request message in the
 * approvals channel re-drawn with the decision, and each finding's message re-drawn with one thread reply
 * saying who did what and why. A failure leaves the row for the next delivery (backoff, Retry-After);
 * a row is marked sent only after its calls succeeded, so a second run posts nothing again.
 */
export async function deliverMuteSteps(deps: MuteStepDeps, options: DeliveryOptions): Promise<MuteStepReport> {
  const report: MuteStepReport = { delivered: 0, deferred: 0, skipped: 0 };
  for (;;) {
    const items = await deps.store.loadDueMuteSteps(deps.clock.now().toISOString(), options.batchSize);
    if (items.length === 0) return report;
    for (const item of items) {
      const outcome = await deliverStep(deps, options, item).catch((error: unknown): Outcome => ({ done: false, error }));
      const at = deps.clock.now();
      if (outcome.done) {
        await deps.store.recordOutboxDone([item.id], at.toISOString(), outcome.note);
        if (outcome.note) report.skipped += 1;
        else report.delivered += 1;
        continue;
      }
      const { error } = outcome;
      if (error instanceof DeliveryError && PERMANENT.has(error.slackError)) {
        await deps.store.recordOutboxDone([item.id], at.toISOString(), `skipped: ${error.slackError}`);
        report.skipped += 1;
        continue;
      }
      const retryAfterMs = error instanceof DeliveryError ? error.retryAfterMs : undefined;
      await deps.store.recordOutboxFailure([item.id], errorText(error), nextAttemptAt(at, item.attempts, options.backoff, retryAfterMs));
      report.deferred += 1;
      if (error instanceof DeliveryError && error.kind === "auth") throw error;
    }
  }
}

async function deliverStep(deps: MuteStepDeps, options: DeliveryOptions, item: MuteStepItem): Promise<Outcome> {
  const wait = <T>(call: () => Promise<T>) => withRateLimitWaits(call, deps.clock, options.maxInlineWaitMs);
  const { notice } = item;
  const mute = await deps.store.loadMute(notice.muteId);
  if (!mute) return { done: true, note: "skipped: mute no longer stored" };
  if (notice.target === "request") {
    const ref = await deps.store.muteRequestRef(mute.id);
    const stored = (await deps.store.loadFindingViews([mute.findingId])).get(mute.findingId);
    if (!stored) return { done: true, note: "skipped: finding no longer stored" };
    const findingMessage = await deps.store.messageOf(mute.findingId);
    const request = { mute, finding: findingViewOf(stored, deps.rules.get(stored.ruleId)), ...(findingMessage ? { findingMessage } : {}) };
    // Posted already (a retry after a crash between Slack's answer and marking the row done): re-draw it instead.
    if (ref) await wait(() => deps.notifier.updateMuteRequest(ref, request));
    else if (notice.step === "requested" && notice.channel) {
      const channel = notice.channel;
      const posted = await wait(() => deps.notifier.postMuteRequest(channel, request));
      await deps.store.recordMuteRequestPosted(mute.id, posted.ref, posted.permalink);
    } else return { done: true, note: "skipped: the request was never posted" };
    return { done: true };
  }
  // The thread's "requested" reply links to the request message: it waits until that is posted.
  if (notice.step === "requested" && (await deps.store.hasPendingMuteRequest(mute.id))) {
    return { done: false, error: new DeliveryError("transient", "waiting for the request message to be posted") };
  }
  const ref: MessageRef | undefined = await deps.store.messageOf(notice.findingId);
  const drawn = ref ? await messageNoticeOf(deps, ref) : undefined;
  const finding = drawn?.views.find((view) => view.id === notice.findingId);
  if (!ref || !drawn || !finding) return { done: true, note: "skipped: the finding has no message" };
  await wait(() => deps.notifier.update(ref, drawn.notice));
  await wait(() => deps.notifier.replyMuteStep(ref, { step: notice.step, mute, finding, status: notice.status }));
  // The message now says what the step did: the status sync has nothing to add (no second, generic reply).
  await deps.store.recordSynced([{ id: finding.id, status: notice.status }], deps.clock.now().toISOString());
  return { done: true };
}
