import type { App } from "@slack/bolt";
import * as actions from "./actions/index.js";
import * as commands from "./commands/index.js";
import type { SlackDeps } from "./deps.js";
import * as events from "./events/index.js";
import * as views from "./views/index.js";

/** One register(app, deps) per Slack surface (bolt-ts-starter-template layout). */
export function registerListeners(app: App, deps: SlackDeps): void {
  commands.register(app, deps);
  actions.register(app, deps);
  events.register(app, deps);
  views.register(app, deps);
}
