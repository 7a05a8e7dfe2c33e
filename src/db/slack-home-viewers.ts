import type { HomeViewers } from "../app/slack-ports.js";
import type { Db } from "./open.js";

export function createSqliteHomeViewers(db: Db): HomeViewers {
  const upsert = db.prepare("INSERT INTO slack_home_viewers (user_id, last_opened_at) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET last_opened_at = excluded.last_opened_at");
  const all = db.prepare("SELECT user_id AS id FROM slack_home_viewers ORDER BY last_opened_at DESC LIMIT 1000");
  return {
    remember: async (userId, at) => void upsert.run(userId, at),
    list: async () => (all.all() as { id: string }[]).map((r) => r.id),
  };
}
