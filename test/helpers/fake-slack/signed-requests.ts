import { createHmac } from "node:crypto";

/**
 * Requests as Slack sends them to an HTTP-mode app, signed the way Slack signs: `v0=` + hex
 * HMAC-SHA256(signing secret, `v0:<timestamp>:<raw body>`) (docs.slack.dev/authentication/verifying-requests-from-slack).
 */
export interface SlackRequestTarget {
  url: string;
  secret: string;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  /** Send no signature headers at all. */
  unsigned?: boolean;
}

export function signatureOf(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export async function sendSigned(target: SlackRequestTarget, body: string, contentType: string): Promise<Response> {
  const timestamp = target.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { "content-type": contentType };
  if (!target.unsigned) {
    headers["x-slack-request-timestamp"] = String(timestamp);
    headers["x-slack-signature"] = signatureOf(target.secret, timestamp, body);
  }
  return fetch(target.url, { method: "POST", headers, body });
}

export interface SlashCommand {
  text: string;
  userId?: string;
  channelId?: string;
  responseUrl: string;
  triggerId?: string;
}

/** A slash command: application/x-www-form-urlencoded, exactly (reference E4: a charset suffix gets 400). */
export function sendSlashCommand(target: SlackRequestTarget, command: SlashCommand): Promise<Response> {
  const form = new URLSearchParams({
    token: "legacy-verification-token", team_id: "T00000001", team_domain: "posture-test", channel_id: command.channelId ?? "C0SECURITY1",
    channel_name: "security", user_id: command.userId ?? "U0ALICE001", user_name: "alice", command: "/posture", text: command.text,
    api_app_id: "A00000001", response_url: command.responseUrl, trigger_id: command.triggerId ?? "1.2.trigger",
  });
  return sendSigned(target, form.toString(), "application/x-www-form-urlencoded");
}

/** block_actions and view_submission: the JSON payload in a `payload` form field. */
export function sendInteraction(target: SlackRequestTarget, payload: Record<string, unknown>): Promise<Response> {
  return sendSigned(target, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), "application/x-www-form-urlencoded");
}

export function blockActionsPayload(options: { actionId: string; value?: string; selectedOption?: string; blockId?: string; userId?: string; channel?: string; messageTs?: string; responseUrl: string; triggerId?: string }): Record<string, unknown> {
  return {
    type: "block_actions", team: { id: "T00000001", domain: "posture-test" }, user: { id: options.userId ?? "U0ALICE001", username: "alice", team_id: "T00000001" },
    api_app_id: "A00000001", token: "legacy-verification-token", trigger_id: options.triggerId ?? "1.2.trigger",
    container: { type: "message", message_ts: options.messageTs ?? "1700000000.000001", channel_id: options.channel ?? "C0PAYMENTS1", is_ephemeral: false },
    channel: { id: options.channel ?? "C0PAYMENTS1", name: "payments" }, message: { ts: options.messageTs ?? "1700000000.000001", type: "message", text: "" },
    response_url: options.responseUrl,
    actions: [options.selectedOption === undefined
      ? { type: "button", action_id: options.actionId, block_id: options.blockId ?? "posture.finding.actions", value: options.value, action_ts: "1700000001.000001", text: { type: "plain_text", text: "x" } }
      : { type: "overflow", action_id: options.actionId, block_id: options.blockId ?? "posture.group.resource", selected_option: { text: { type: "plain_text", text: "x" }, value: options.selectedOption }, action_ts: "1700000001.000001" }],
  };
}

export function viewSubmissionPayload(callbackId: string, privateMetadata = ""): Record<string, unknown> {
  return {
    type: "view_submission", team: { id: "T00000001", domain: "posture-test" }, user: { id: "U0ALICE001", username: "alice", team_id: "T00000001" },
    api_app_id: "A00000001", token: "legacy-verification-token", trigger_id: "1.3.trigger",
    view: { id: "V0000001", type: "modal", callback_id: callbackId, private_metadata: privateMetadata, state: { values: {} }, hash: "1.abc", title: { type: "plain_text", text: "x" }, blocks: [] },
  };
}

/** Events API: JSON body (url_verification included). */
export function sendEvent(target: SlackRequestTarget, body: Record<string, unknown>): Promise<Response> {
  return sendSigned(target, JSON.stringify(body), "application/json");
}

export function appHomeOpenedEvent(userId: string): Record<string, unknown> {
  return {
    token: "legacy-verification-token", team_id: "T00000001", api_app_id: "A00000001", type: "event_callback", event_id: `Ev${Date.now()}`, event_time: Math.floor(Date.now() / 1000),
    event: { type: "app_home_opened", user: userId, channel: "D0HOME0001", tab: "home", event_ts: `${Date.now() / 1000}` },
  };
}
