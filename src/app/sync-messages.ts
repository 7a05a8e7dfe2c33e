import type { FindingStatus } from "../core/findings.js";
import { SEVERITIES, type Severity } from "../core/rule.js";
import { errorText, findingViewOf, nextAttemptAt, runPerChannel, withRateLimitWaits, type DeliveryClock, type DeliveryOptions, type RuleInfo } from "./delivery-policy.js";
import { DeliveryError, type DeliveryStore, type FindingView, type MessageRef, type Notice, type Notifier, type StatusChange, type TransitionNotice } from "./slack-ports.js";

interface SyncDeps {
  store: DeliveryStore;
  notifier: Notifier;
  rules: ReadonlyMap<string, RuleInfo>;
  clock: DeliveryClock;
}

/** Slack errors after which editing that message can never work: stop trying (the db still has the truth). */
export const PERMANENT = new Set(["message_not_found", "cant_update_message", "edit_window_closed", "channel_not_found", "is_archived", "not_in_channel"]);

/**
 * Edits every message whose findings changed status or effective severity since it was drawn (one
 * chat.update per message: the channel shows the current state) and replies in its thread once per
 * finding that changed status, and once per message for a severity change (the history; a new override
 * on a rule must not post a reply per resource). Level-triggered on slack_messages.shown_status and
 * shown_severity, so it also catches up after a crash or an outage.
 */
export async function syncMessages(deps: SyncDeps, options: DeliveryOptions): Promise<{ updated: number; replies: number }> {
  const result = { updated: 0, replies: 0 };
  const now = deps.clock.now().toISOString();
  const changes = await deps.store.loadStatusChanges(now, options.batchSize * 10);
  const byMessage = new Map<string, { ref: MessageRef; channel: string; changes: StatusChange[] }>();
  for (const change of changes) {
    const key = `${change.ref.channel}:${change.ref.ts}`;
    const entry = byMessage.get(key) ?? { ref: change.ref, channel: change.ref.channel, changes: [] };
    entry.changes.push(change);
    byMessage.set(key, entry);
  }
  await runPerChannel([...byMessage.values()], options, async (message) => {
    const done = await syncMessage(deps, options, message.ref, message.changes);
    result.updated += done === undefined ? 0 : 1;
    result.replies += done ?? 0;
  });
  return result;
}

/** The number of thread replies when the message was edited; undefined when it was not. */
async function syncMessage(deps: SyncDeps, options: DeliveryOptions, ref: MessageRef, changes: StatusChange[]): Promise<number | undefined> {
  const wait = <T>(call: () => Promise<T>) => withRateLimitWaits(call, deps.clock, options.maxInlineWaitMs);
  const drawn = await messageNoticeOf(deps, ref);
  if (!drawn) return undefined;
  const { notice, views } = drawn;
  const at = deps.clock.now().toISOString();
  const synced = changes.map((c) => ({ id: c.findingId, status: c.status, severity: c.severity }));
  try {
    await wait(() => deps.notifier.update(ref, notice));
    let replies = 0;
    for (const change of changes) {
      const finding = views.find((view) => view.id === change.findingId);
      if (!finding || change.status === change.shownStatus) continue;
      await wait(() => deps.notifier.reply(ref, transitionNotice(change, finding, at)));
      replies += 1;
    }
    for (const reply of severityNotices(changes, views, at)) {
      await wait(() => deps.notifier.reply(ref, reply));
      replies += 1;
    }
    await deps.store.recordSynced(synced, at);
    return replies;
  } catch (error) {
    if (error instanceof DeliveryError && PERMANENT.has(error.slackError)) {
      await deps.store.recordSynced(synced, at);
      return undefined;
    }
    const attempts = Math.max(...changes.map((c) => c.attempts));
    const retryAfterMs = error instanceof DeliveryError ? error.retryAfterMs : undefined;
    await deps.store.recordSyncFailure(changes.map((c) => c.findingId), errorText(error), nextAttemptAt(deps.clock.now(), attempts, options.backoff, retryAfterMs));
    if (error instanceof DeliveryError && error.kind === "auth") throw error;
    return undefined;
  }
}

/** One reply per message and kind of severity move (from, to, why): a rule-wide override is one reply, not one per resource. */
function severityNotices(changes: readonly StatusChange[], views: readonly FindingView[], at: string): TransitionNotice[] {
  const moves = new Map<string, { finding: FindingView; from: Severity; count: number }>();
  for (const change of changes) {
    const finding = views.find((view) => view.id === change.findingId);
    if (!finding || change.severity === change.shownSeverity) continue;
    const key = `${change.shownSeverity}>${finding.severity}:${finding.severityOverride?.reason ?? ""}`;
    const move = moves.get(key);
    if (move) move.count += 1;
    else moves.set(key, { finding, from: change.shownSeverity, count: 1 });
  }
  return [...moves.values()].map((move) => ({ transition: "severity", ...move, at }));
}

/** The most severe of a group's findings: a group re-drawn after an override split it heads with its worst. */
function worstSeverity(views: readonly FindingView[]): Severity {
  return SEVERITIES[Math.min(...views.map((view) => SEVERITIES.indexOf(view.severity)))] ?? views[0]!.severity;
}

/** A message re-drawn from the stored state of every finding it shows (one finding, or a group of one rule). */
export async function messageNoticeOf(deps: Pick<SyncDeps, "store" | "rules">, ref: MessageRef): Promise<{ notice: Notice; views: FindingView[] } | undefined> {
  const ids = await deps.store.findingsOfMessage(ref);
  const stored = await deps.store.loadFindingViews(ids);
  const views = ids.flatMap((id) => {
    const view = stored.get(id);
    return view ? [findingViewOf(view, deps.rules.get(view.ruleId))] : [];
  });
  const first = views[0];
  if (!first) return undefined;
  const notice: Notice = views.length === 1 ? { kind: "finding", finding: first } : { kind: "group", ruleId: first.ruleId, title: first.title, severity: worstSeverity(views), findings: views };
  return { notice, views };
}

function transitionNotice(change: StatusChange, finding: FindingView, at: string): TransitionNotice {
  return { transition: transitionOf(change.shownStatus, change.status), finding, at: change.status === "resolved" ? (finding.resolvedAt ?? at) : at };
}

function transitionOf(shown: FindingStatus, now: FindingStatus): "resolved" | "reopened" | "muted" | "unmuted" {
  if (now === "resolved") return "resolved";
  if (now === "muted") return "muted";
  return shown === "muted" ? "unmuted" : "reopened";
}
