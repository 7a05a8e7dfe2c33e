import type { App } from "@slack/bolt";
import { appHomeOpenedSchema } from "../../payloads.js";
import type { SlackDeps } from "../deps.js";

export function register(app: App, deps: SlackDeps): void {
  // Events are acked by Bolt before the listener runs; publishing is idempotent, so Slack's retries are harmless.
  app.event("app_home_opened", async ({ event }) => {
    const parsed = appHomeOpenedSchema.safeParse(event);
    if (parsed.success && (parsed.data.tab ?? "home") === "home") await deps.home.publishFor(parsed.data.user);
  });
}
