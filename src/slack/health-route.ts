import type { ServerResponse } from "node:http";
import type { CustomRoute } from "@slack/bolt";
import { httpStatusOf, type HealthReport } from "../app/health.js";

/**
 * `/healthz` and `/readyz` on Bolt's own HTTPReceiver (custom routes skip Slack's signature check, so
 * probes need no secret). /healthz: is Posture doing its job (200 ok|degraded, 503 failing).
 * /readyz: can it answer Slack now (the database opens); a stale scan must not cut slash commands off.
 */
export function healthRoutes(loadHealth: () => HealthReport): CustomRoute[] {
  return [
    { path: "/healthz", method: ["GET", "HEAD"], handler: (_req, res) => answer(res, () => {
      const report = loadHealth();
      return { status: httpStatusOf(report), body: report };
    }) },
    { path: "/readyz", method: ["GET", "HEAD"], handler: (_req, res) => answer(res, () => {
      const { database } = loadHealth();
      return { status: database.reachable ? 200 : 503, body: { ready: database.reachable } };
    }) },
  ];
}

function answer(res: ServerResponse, build: () => { status: number; body: unknown }): void {
  let reply: { status: number; body: unknown };
  try {
    reply = build();
  } catch {
    // The report itself failed: say so without the error text (it could quote a path or a query).
    reply = { status: 503, body: { status: "failing", problems: ["health check failed"] } };
  }
  res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(reply.body));
}
