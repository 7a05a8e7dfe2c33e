import type { Db } from "./open.js";

/**
 * Fix run ids are decimal integers as text: the *Undo* button's typed value (`fixRun`) carries a
 * positive integer. Called synchronously right before the insert, so one process never hands out an
 * id twice; another process racing for the same id fails the primary key instead of overwriting.
 */
export function createFixRunIds(db: Db): () => string {
  const next = db.prepare("SELECT COALESCE(MAX(CAST(id AS INTEGER)), 0) + 1 AS next FROM fix_runs");
  return () => String((next.get() as { next: number }).next);
}
