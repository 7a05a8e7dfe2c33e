import { randomUUID } from "node:crypto";
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

/** What the app sends back over the socket for an envelope: `{ envelope_id, payload? }` (the ack). */
export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
  at: number;
}

export type EnvelopeType = "slash_commands" | "interactive" | "events_api";

export interface FakeSocketMode {
  /** The Web API base URL to give the app (SLACK_API_URL): apps.connections.open is answered here, every other method is forwarded to the fake Web API. */
  apiUrl: string;
  /** Each apps.connections.open call, with the Authorization header it carried (the app-level token). */
  opens: { authorization: string; at: number }[];
  /** Sockets currently connected. */
  connections(): number;
  /** Resolves once `count` sockets have received their hello. */
  connected(count?: number, timeoutMs?: number): Promise<void>;
  /** Sends one envelope to the most recent connection; resolves with the app's ack (rejects after timeoutMs). */
  send(type: EnvelopeType, payload: Record<string, unknown>, options?: { timeoutMs?: number; acceptsResponsePayload?: boolean }): Promise<SocketAck & { elapsedMs: number }>;
  acks: SocketAck[];
  /** Sends Slack's `{type:"disconnect", reason}` (e.g. "refresh_requested" or "warning") to every connection. */
  disconnectAll(reason?: string): void;
  close(): Promise<void>;
}

/**
 * A local stand-in for Slack's Socket Mode endpoint (reference B5; https://api.slack.com/apis/socket-mode):
 * `apps.connections.open` (called with the app-level token) answers `{ ok: true, url: "ws://127.0.0.1:PORT/link/?ticket=…" }`;
 * on connect the server sends `{type:"hello", …}`; envelopes go out as
 * `{envelope_id, type, payload, accepts_response_payload}`; the app answers each with `{envelope_id, payload?}`.
 * Other Web API methods are forwarded untouched to `upstream` (the fake Web API, which records them).
 */
export async function startFakeSocketMode(upstream: string): Promise<FakeSocketMode> {
  const opens: FakeSocketMode["opens"] = [];
  const acks: SocketAck[] = [];
  const waiting = new Map<string, (ack: SocketAck) => void>();
  const sockets: WebSocket[] = [];
  const helloed: WebSocket[] = [];

  const http: Server = createServer((req, res) => {
    if ((req.url ?? "").split("?")[0] === "/api/apps.connections.open") {
      req.resume();
      opens.push({ authorization: String(req.headers.authorization ?? ""), at: Date.now() });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true, url: `ws://127.0.0.1:${port()}/link/?ticket=${randomUUID()}&app_id=A00000001` }));
      return;
    }
    forward(upstream, req, (status, headers, body) => {
      res.writeHead(status, headers);
      res.end(body);
    });
  });
  const wss = new WebSocketServer({ server: http, path: "/link/" });
  wss.on("connection", (socket) => {
    sockets.push(socket);
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as { envelope_id?: string; payload?: Record<string, unknown> };
      if (!message.envelope_id) return;
      const ack: SocketAck = { envelope_id: message.envelope_id, ...(message.payload ? { payload: message.payload } : {}), at: Date.now() };
      acks.push(ack);
      waiting.get(ack.envelope_id)?.(ack);
    });
    socket.on("close", () => {
      sockets.splice(sockets.indexOf(socket), 1);
      if (helloed.includes(socket)) helloed.splice(helloed.indexOf(socket), 1);
    });
    socket.send(JSON.stringify({ type: "hello", num_connections: sockets.length, debug_info: { host: "fake-socket-mode", approximate_connection_time: 18060 }, connection_info: { app_id: "A00000001" } }));
    helloed.push(socket);
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const port = () => (http.address() as AddressInfo).port;

  return {
    apiUrl: `http://127.0.0.1:${port()}/api/`,
    opens,
    acks,
    connections: () => sockets.length,
    async connected(count = 1, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (helloed.length < count) {
        if (Date.now() > deadline) throw new Error(`no Socket Mode connection after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    send(type, payload, options = {}) {
      const socket = helloed.at(-1);
      if (!socket) return Promise.reject(new Error("no Socket Mode connection"));
      const envelopeId = randomUUID();
      const sentAt = Date.now();
      const timeoutMs = options.timeoutMs ?? 5000;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(envelopeId);
          reject(new Error(`no ack for ${type} envelope within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(envelopeId, (ack) => {
          clearTimeout(timer);
          waiting.delete(envelopeId);
          resolve({ ...ack, elapsedMs: ack.at - sentAt });
        });
        socket.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: options.acceptsResponsePayload ?? type !== "events_api", retry_attempt: 0, retry_reason: "" }));
      });
    },
    disconnectAll(reason = "refresh_requested") {
      for (const socket of sockets) socket.send(JSON.stringify({ type: "disconnect", reason, debug_info: { host: "fake-socket-mode" } }));
    },
    async close() {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function forward(upstream: string, req: IncomingMessage, done: (status: number, headers: Record<string, string>, body: Buffer) => void): void {
  const target = new URL(req.url ?? "/", upstream);
  const out = request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
    const chunks: Buffer[] = [];
    answer.on("data", (chunk: Buffer) => chunks.push(chunk));
    answer.on("end", () => {
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(answer.headers)) if (typeof value === "string") headers[key] = value;
      done(answer.statusCode ?? 502, headers, Buffer.concat(chunks));
    });
  });
  out.on("error", () => done(502, { "content-type": "application/json" }, Buffer.from(JSON.stringify({ ok: false, error: "fake_upstream_unreachable" }))));
  req.pipe(out);
}
