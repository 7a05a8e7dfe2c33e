import type { RespondFn, webApi } from "@slack/bolt";
import type { Mute } from "../../core/mutes.js";
import { decodeValue } from "../ids.js";
import type { ButtonActionPayload } from "../payloads.js";
import type { SlackDeps } from "./deps.js";
import type { MuteActor } from "../../app/mutes.js";
import type { AuditEntry } from "../../core/finding-events.js";
import { messageLink } from "../render-mute-notice.js";
import type { MuteSlackDeps } from "./mute-deps.js";

/** An answer only the clicking user sees, leaving the message clicked on as it is. */
export const ephemeral = (respond: RespondFn, text: string) => respond({ response_type: "ephemeral", replace_original: false, text });

/**
 * The mute a request-message or finding button names, re-read from the database (the button value only
 * names it). Mutes not set up, or an unknown / unreadable id: answered, audited as `action` and undefined.
 */
export async function loadClickedMute(
  payload: ButtonActionPayload, respond: RespondFn, deps: SlackDeps, action: string, outOfDate: string,
): Promise<{ mutes: MuteSlackDeps; mute: Mute; now: Date } | undefined> {
  const mutes = deps.mutes;
  if (!mutes) return void (await ephemeral(respond, "Mutes are not set up on this Posture."));
  const now = deps.clock();
  const value = decodeValue("muteRequest", payload.actions[0]!.value);
  const mute = value.ok ? await mutes.mute.store.loadMute(String(value.value.muteId)) : undefined;
  if (mute) return { mutes, mute, now };
  const error = value.ok ? "unknown mute" : value.error;
  await mutes.mute.store.appendAudit(muteRefusalEntry(now, clickActor(payload), { type: "mute", id: value.ok ? String(value.value.muteId) : "unreadable" }, null, null, action, { code: "unknown_mute", reason: error }));
  deps.logger.warn({ user: payload.user.id, action, error }, "mute button refused: unknown mute");
  return void (await ephemeral(respond, outOfDate));
}

/** A refusal before the use case runs (opening a modal) is audited like the use case's own refusals. */
export function muteRefusalEntry(
  at: Date, actor: MuteActor, subject: { type: "finding" | "mute"; id: string }, findingId: number | null, team: string | null, action: string, refusal: { code: string; reason: string },
): AuditEntry {
  return {
    at: at.toISOString(), actor: actor.id, action: "mute.refused", subjectType: subject.type, subjectId: subject.id, findingId, scanId: null, team,
    details: { action, code: refusal.code, reason: refusal.reason, actorName: actor.name ?? null, permalink: actor.permalink ?? null },
  };
}

/**
 * Who clicked, for the audit log: the Slack user id (what is checked), their name as Slack sent it, and a
 * link to the message clicked on (built from channel and ts: chat.getPermalink would cost a call per click).
 */
export function clickActor(payload: { user: { id: string }; container?: { channel_id?: string; message_ts?: string }; channel?: { id?: string } }): MuteActor {
  const user = payload.user as { id: string; name?: unknown; username?: unknown };
  const name = typeof user.name === "string" ? user.name : typeof user.username === "string" ? user.username : undefined;
  const channel = payload.container?.channel_id ?? payload.channel?.id;
  const ts = payload.container?.message_ts;
  return { id: user.id, ...(name ? { name } : {}), ...(channel && ts ? { permalink: messageLink(channel, ts) } : {}) };
}

/** After a recorded step: deliver its queued Slack updates now; a failure stays in the outbox for the next pass. */
export async function kickDelivery(deps: { mutes?: MuteSlackDeps; logger: { warn(obj: object, msg: string): void } }, context: Record<string, unknown>): Promise<void> {
  try {
    await deps.mutes?.deliver();
  } catch (error) {
    deps.logger.warn({ ...context, err: error }, "mute step recorded; its Slack updates stay in the outbox for the next delivery");
  }
}

/** users.info may take this long: the modal must open (trigger_id) and the submission be acked within 3 s. */
const TIME_ZONE_LOOKUP_MS = 1000;

/**
 * The requester's Slack time zone (users.info -> user.tz, scope users:read), so a picked date ends at the end
 * of their day; the configured digest zone when Slack cannot tell (missing scope, Slack down or slow, no tz).
 */
export async function requesterTimeZone(client: webApi.WebClient, userId: string, fallback: string, logger: { warn(obj: object, msg: string): void }): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`users.info took over ${TIME_ZONE_LOOKUP_MS} ms`)), TIME_ZONE_LOOKUP_MS)));
  try {
    const answer = await Promise.race([client.users.info({ user: userId }), slow]);
    const tz = (answer.user as { tz?: unknown } | undefined)?.tz;
    if (typeof tz === "string" && tz.length > 0) return tz;
  } catch (error) {
    logger.warn({ user: userId, err: error }, `users.info failed: the mute expiry date is read in ${fallback}`);
  } finally {
    clearTimeout(timer);
  }
  return fallback;
}
