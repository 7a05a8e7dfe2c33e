import type { Db } from "./open.js";

/**
 * Mute ids are decimal integers as text: the Approve / Deny buttons' typed value (`muteRequest`) carries
 * a positive integer. Called right before the insert; a racing process fails the primary key instead.
 */
export function createMuteIds(db: Db): () => string {
  const next = db.prepare("SELECT COALESCE(MAX(CAST(id AS INTEGER)), 0) + 1 AS next FROM mutes");
  return () => String((next.get() as { next: number }).next);
}
