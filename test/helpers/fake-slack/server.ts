import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One recorded Web API call (or response_url POST): the method and its decoded arguments. */
export interface RecordedCall {
  method: string;
  body: Record<string, unknown>;
  at: number;
  /** The HTTP status answered (429 when rate limited); set once the answer is chosen. */
  status?: number;
  /** The answer's `ok`, and its `ts` when it has one. */
  ok?: boolean;
  ts?: string;
}

export interface RateLimit {
  /** Messages per second per channel for chat.postMessage (Slack: about 1). */
  perSecond: number;
  /** Burst tolerated before 429. */
  burst: number;
}

export interface FakeSlackOptions {
  rateLimit?: RateLimit;
  /** Retry-After seconds sent with a 429 (Slack sends whole seconds). */
  retryAfterSeconds?: number;
  /** Granted scopes, sent as the x-oauth-scopes header on every answer (as Slack does). */
  scopes?: string[];
  /** When given, conversations.info and conversations.list answer from these (unknown id: channel_not_found). */
  channels?: { id: string; name: string; is_member: boolean; is_private?: boolean }[];
  /** When given, usergroups.users.list answers from these (unknown id: no_such_subteam). */
  userGroups?: Record<string, string[]>;
}

export interface FakeSlack {
  url: string;
  /** The base URL to give the WebClient (`clientOptions.slackApiUrl`). */
  apiUrl: string;
  calls: RecordedCall[];
  callsOf(method: string): RecordedCall[];
  /** Answer `ok:false, error` for this method (optionally only for one channel), `times` times (default always). */
  failWith(method: string, error: string, options?: { channel?: string; times?: number }): void;
  /** Answer the next `times` calls of a method with HTTP 429 and Retry-After. */
  rateLimitNext(method: string, times: number, retryAfterSeconds?: number): void;
  /** A response_url pointing here; POSTs to it are recorded as method `response_url`. */
  responseUrl(id: string): string;
  count429: number;
  /** users.info answers this IANA time zone as `user.tz` for the user (unset: a user without tz). */
  setUserTimeZone(userId: string, timeZone: string): void;
  /** Bytes uploaded through files.uploadV2 (getUploadURLExternal, POST to its upload_url), by file id. */
  uploads: Map<string, Buffer>;
  close(): Promise<void>;
}

interface Failure { method: string; error: string; channel?: string; times: number }

export const FAKE_BOT = { user_id: "UBOT00001", bot_id: "BBOT00001", team_id: "T00000001", team: "Posture Test", user: "posture" };

/**
 * A local fake of Slack's Web API on 127.0.0.1 (reference E): answers like Slack (`ok: true` with
 * `ts` and `channel`, `ok: false` with an error string, HTTP 429 with Retry-After), enforces the
 * chat.postMessage per-channel rate when asked, and records every call with its arguments.
 */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const calls: RecordedCall[] = [];
  const failures: Failure[] = [];
  const forced429 = new Map<string, { times: number; retryAfter: number }>();
  const buckets = new Map<string, { tokens: number; at: number }>();
  let sequence = 0;
  const state = { count429: 0 };
  const uploads = new Map<string, Buffer>();
  const userTimeZones = new Map<string, string>();

  const limited = (channel: string): boolean => {
    const limit = options.rateLimit;
    if (!limit) return false;
    const now = Date.now();
    const bucket = buckets.get(channel) ?? { tokens: limit.burst, at: now };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond);
    bucket.at = now;
    buckets.set(channel, bucket);
    if (bucket.tokens < 1) return true;
    bucket.tokens -= 1;
    return false;
  };

  const answer = (method: string, body: Record<string, unknown>): { status: number; json: unknown; headers?: Record<string, string> } => {
    const forced = forced429.get(method);
    const channel = typeof body.channel === "string" ? body.channel : "";
    if (forced && forced.times > 0) {
      forced.times -= 1;
      state.count429 += 1;
      return { status: 429, json: { ok: false, error: "ratelimited" }, headers: { "retry-after": String(forced.retryAfter) } };
    }
    if (method === "chat.postMessage" && limited(channel)) {
      state.count429 += 1;
      return { status: 429, json: { ok: false, error: "ratelimited" }, headers: { "retry-after": String(options.retryAfterSeconds ?? 1) } };
    }
    const failure = failures.find((f) => f.method === method && f.times > 0 && (f.channel === undefined || f.channel === channel));
    if (failure) {
      failure.times -= 1;
      return { status: 200, json: { ok: false, error: failure.error } };
    }
    const directory = directoryAnswer(method, body, options);
    if (directory) return { status: 200, json: directory };
    if (method === "users.info") {
      const tz = userTimeZones.get(String(body.user));
      return { status: 200, json: { ok: true, user: { id: body.user, ...(tz ? { tz } : {}) } } };
    }
    if (method === "files.getUploadURLExternal") {
      const fileId = `F${String(++sequence).padStart(8, "0")}`;
      return { status: 200, json: { ok: true, file_id: fileId, upload_url: `${url}/upload/${fileId}` } };
    }
    return { status: 200, json: okAnswer(method, body, () => `1700000000.${String(++sequence).padStart(6, "0")}`) };
  };

  /** The upload step of files.uploadV2: the WebClient posts the bytes as multipart field `body`. */
  async function receiveUpload(req: IncomingMessage, res: ServerResponse, fileId: string, raw: Buffer): Promise<void> {
    const form = await new Request("http://upload", { method: "POST", headers: { "content-type": req.headers["content-type"] ?? "" }, body: raw }).formData();
    const file = form.get("body");
    const bytes = file instanceof Blob ? Buffer.from(await file.arrayBuffer()) : Buffer.from(String(file ?? ""));
    uploads.set(fileId, bytes);
    calls.push({ method: "upload", body: { file_id: fileId, bytes: bytes.length }, at: Date.now() });
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("OK");
  }

  let url = "";
  const server = createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = req.url ?? "/";
    if (path.startsWith("/upload/")) return receiveUpload(req, res, path.slice("/upload/".length), raw);
    const body = parseBody(req.headers["content-type"] ?? "", raw.toString("utf8"));
    const method = path.startsWith("/respond/") ? "response_url" : path.replace(/^\/api\//, "").split("?")[0]!;
    const call: RecordedCall = { method, body, at: Date.now() };
    calls.push(call);
    const reply = method === "response_url" ? { status: 200, json: { ok: true } } : answer(method, body);
    const json = reply.json as { ok?: unknown; ts?: unknown };
    Object.assign(call, { status: reply.status, ok: json.ok === true }, typeof json.ts === "string" ? { ts: json.ts } : {});
    res.writeHead(reply.status, { "content-type": "application/json", ...(options.scopes ? { "x-oauth-scopes": options.scopes.join(",") } : {}), ...(reply.headers ?? {}) });
    res.end(JSON.stringify(reply.json));
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    apiUrl: `${url}/api/`,
    calls,
    callsOf: (method) => calls.filter((c) => c.method === method),
    failWith: (method, error, o = {}) => void failures.push({ method, error, channel: o.channel, times: o.times ?? Number.POSITIVE_INFINITY }),
    rateLimitNext: (method, times, retryAfter = 1) => void forced429.set(method, { times, retryAfter }),
    responseUrl: (id) => `${url}/respond/${id}`,
    setUserTimeZone: (userId, timeZone) => void userTimeZones.set(userId, timeZone),
    uploads,
    get count429() {
      return state.count429;
    },
    close: () => closeServer(server),
  };
}

/** Channels and user groups, only when the test described them (other tests keep the plain `ok: true`). */
function directoryAnswer(method: string, body: Record<string, unknown>, options: FakeSlackOptions): Record<string, unknown> | undefined {
  if (method === "conversations.info" && options.channels) {
    const channel = options.channels.find((c) => c.id === body.channel);
    return channel ? { ok: true, channel } : { ok: false, error: "channel_not_found" };
  }
  if (method === "conversations.list" && options.channels) return { ok: true, channels: options.channels, response_metadata: { next_cursor: "" } };
  if (method === "usergroups.users.list" && options.userGroups) {
    const users = options.userGroups[String(body.usergroup)];
    return users ? { ok: true, users } : { ok: false, error: "no_such_subteam" };
  }
  return undefined;
}

function okAnswer(method: string, body: Record<string, unknown>, nextTs: () => string): Record<string, unknown> {
  switch (method) {
    case "auth.test":
      return { ok: true, url: "https://posture-test.slack.com/", ...FAKE_BOT };
    case "chat.postMessage":
    case "chat.update":
      return { ok: true, channel: body.channel, ts: method === "chat.update" ? body.ts : nextTs(), message: { text: body.text } };
    case "views.open":
    case "views.publish":
    case "views.update":
      return { ok: true, view: { id: `V${String(Date.now()).slice(-8)}`, ...(typeof body.view === "object" ? body.view : {}) } };
    case "files.completeUploadExternal":
      return { ok: true, files: Array.isArray(body.files) ? body.files : [] };
    default:
      return { ok: true };
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The WebClient posts form-encoded arguments with nested values (blocks, view) as JSON strings. */
function parseBody(contentType: string, text: string): Record<string, unknown> {
  if (text.length === 0) return {};
  if (contentType.includes("application/json")) return JSON.parse(text) as Record<string, unknown>;
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    body[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return body;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
