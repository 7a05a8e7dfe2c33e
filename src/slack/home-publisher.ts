import type { webApi } from "@slack/bolt";
import type { Logger } from "pino";
import { loadDashboard } from "../app/command-answers.js";
import type { PostureReadModel } from "../app/posture-command.js";
import type { HomeViewers } from "../app/slack-ports.js";
import { renderHomeView } from "./blocks/home.js";
import type { HomePublisher } from "./listeners/deps.js";

export interface HomeDeps {
  client: webApi.WebClient;
  readModel: PostureReadModel;
  viewers: HomeViewers;
  ruleTitles: ReadonlyMap<string, string>;
  /** The viewer's team handle from the configured members, null when in none. */
  teamOf(userId: string): string | null;
  clock: () => Date;
  logger: Logger;
}

/** App Home: published when a user opens it (app_home_opened) and for every known viewer after each scan. */
export function createHomePublisher(deps: HomeDeps): HomePublisher & { publishAll(): Promise<number> } {
  const publishFor = async (userId: string) => {
    const now = deps.clock();
    await deps.viewers.remember(userId, now.toISOString());
    const dashboard = await loadDashboard(deps.readModel, deps.ruleTitles, deps.teamOf(userId), now);
    await deps.client.views.publish({ user_id: userId, view: renderHomeView(dashboard, now) });
  };
  return {
    publishFor,
    async publishAll() {
      let published = 0;
      for (const userId of await deps.viewers.list()) {
        try {
          await publishFor(userId);
          published += 1;
        } catch (error) {
          deps.logger.warn({ err: error, userId }, "App Home refresh failed for one user");
        }
      }
      return published;
    },
  };
}
