import type { webApi } from "@slack/bolt";
import { DeliveryError, type DeliveryErrorKind, type DigestChart, type DigestPosted, type MessageRef, type Notifier } from "../app/slack-ports.js";
import type { Block } from "./blocks/kit.js";
import { messageLink, renderMuteRequestNotice, renderMuteStepReply } from "./render-mute-notice.js";
import { renderNotice, renderTransition } from "./render-notice.js";

type WebClient = webApi.WebClient;

/** Slack errors that mean "this channel will not take the bot's message": fall back to the security channel. */
const CHANNEL_UNAVAILABLE = new Set(["not_in_channel", "channel_not_found", "is_archived", "restricted_action", "ekm_access_denied"]);
const AUTH = new Set(["invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "missing_scope", "no_permission"]);

/**
 * The Notifier port on Bolt's WebClient. The client is built with `rejectRateLimitedCalls: true`
 * (see create-app.ts): a 429 comes back here at once with its Retry-After, and the delivery use case
 * waits it out for that channel only, where the WebClient's own retry would pause every call.
 */
export function createSlackNotifier(client: WebClient, clock: () => Date): Notifier {
  return {
    async post(channel, notice) {
      const message = renderNotice(notice, clock());
      const result = await call(() => client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false }));
      if (typeof result.ts !== "string") throw new DeliveryError("rejected", "no_ts_in_response");
      return { channel: typeof result.channel === "string" ? result.channel : channel, ts: result.ts } satisfies MessageRef;
    },
    async update(ref, notice) {
      const message = renderNotice(notice, clock());
      await call(() => client.chat.update({ channel: ref.channel, ts: ref.ts, text: message.text, blocks: message.blocks }));
    },
    async reply(ref, notice) {
      const message = renderTransition(notice);
      if (!message) return;
      await call(() => client.chat.postMessage({ channel: ref.channel, thread_ts: ref.ts, text: message.text, blocks: message.blocks, unfurl_links: false }));
    },
    async postMuteRequest(channel, notice) {
      const message = renderMuteRequestNotice(notice);
      const result = await call(() => client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false }));
      if (typeof result.ts !== "string") throw new DeliveryError("rejected", "no_ts_in_response");
      const ref = { channel: typeof result.channel === "string" ? result.channel : channel, ts: result.ts };
      return { ref, permalink: await permalinkOf(client, ref) };
    },
    async updateMuteRequest(ref, notice) {
      const message = renderMuteRequestNotice(notice);
      await call(() => client.chat.update({ channel: ref.channel, ts: ref.ts, text: message.text, blocks: message.blocks }));
    },
    async replyMuteStep(ref, notice) {
      const message = renderMuteStepReply(notice);
      await call(() => client.chat.postMessage({ channel: ref.channel, thread_ts: ref.ts, text: message.text, blocks: message.blocks, unfurl_links: false }));
    },
    async postDigest(channel, message, chart) {
      // The blocks come from renderDigestMessage (src/slack/blocks/digest.ts): Block Kit already.
      const blocks = message.blocks as Block[];
      const result = await call(() => client.chat.postMessage({ channel, text: message.text, blocks, unfurl_links: false, unfurl_media: false }));
      if (typeof result.ts !== "string") throw new DeliveryError("rejected", "no_ts_in_response");
      const ref = { channel: typeof result.channel === "string" ? result.channel : channel, ts: result.ts } satisfies MessageRef;
      return { ref, chart: chart ? await uploadChart(client, ref, chart) : "none" } satisfies DigestPosted;
    },
  };
}

/**
 * files.uploadV2 (getUploadURLExternal, the upload, completeUploadExternal) shares the image in the digest's
 * thread: channel_id + thread_ts. Needs the files:write scope. https://docs.slack.dev/reference/methods/files.completeUploadExternal
 */
async function uploadChart(client: WebClient, ref: MessageRef, chart: DigestChart): Promise<DigestPosted["chart"]> {
  try {
    await client.files.uploadV2({ channel_id: ref.channel, thread_ts: ref.ts, file: Buffer.from(chart.png), filename: chart.filename, title: chart.title });
    return "uploaded";
  } catch (error) {
    return { error: deliveryErrorOf(error).slackError };
  }
}

/** The message's permalink for the audit log; built from channel and ts when Slack gives none (a link beats none). */
async function permalinkOf(client: WebClient, ref: MessageRef): Promise<string> {
  try {
    const answer = await client.chat.getPermalink({ channel: ref.channel, message_ts: ref.ts });
    if (typeof answer.permalink === "string" && answer.permalink) return answer.permalink;
  } catch {
    // The post succeeded: a failed permalink lookup must not make it look failed (and be posted again).
  }
  return messageLink(ref.channel, ref.ts);
}

async function call<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw deliveryErrorOf(error);
  }
}

/** Classifies @slack/web-api v8 errors by their stable `code` (the classes may come from another copy of the package). */
export function deliveryErrorOf(error: unknown): DeliveryError {
  const e = error as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number; message?: string };
  if (e.code === "slack_webapi_rate_limited_error") return new DeliveryError("rate_limited", "ratelimited", { cause: error, retryAfterMs: (e.retryAfter ?? 1) * 1000 });
  if (e.code === "slack_webapi_platform_error") {
    const slackError = e.data?.error ?? "unknown_error";
    return new DeliveryError(kindOf(slackError), slackError, { cause: error });
  }
  if (e.code === "slack_webapi_http_error") return new DeliveryError("transient", `http_${e.statusCode ?? "error"}`, { cause: error });
  return new DeliveryError("transient", e.message ?? String(error), { cause: error });
}

function kindOf(slackError: string): DeliveryErrorKind {
  if (CHANNEL_UNAVAILABLE.has(slackError)) return "channel_unavailable";
  if (AUTH.has(slackError)) return "auth";
  if (slackError === "ratelimited") return "rate_limited";
  if (["internal_error", "fatal_error", "service_unavailable", "request_timeout"].includes(slackError)) return "transient";
  return "rejected";
}
