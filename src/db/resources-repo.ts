import type { ResourceRecord, TeamRecord } from "../app/state-ports.js";
import { inventoryKey, type CompleteInventory } from "../core/lifecycle.js";
import type { OwnershipOverride } from "../core/ownership.js";
import type { Db } from "./open.js";

/** Where and when a scan was collected: what `persistResources` needs besides the resources. */
export interface ResourceScan {
  scanId: string;
  at: string;
  /** Every account listed in the snapshot, with its collection status. */
  accounts: readonly { accountId: string; status: "ok" | "partial" | "failed" }[];
  /** Account x type inventories collected completely: the only ones where a resource the scan did not see is deleted. */
  completeInventories: readonly CompleteInventory[];
}

/** Stands for "rewrite this row when seen" in the map of stored hashes (content hashes are >= 0). */
const REWRITE = -1;

/**
 * Writes the scan's resources, touching only the rows that change (migration 0003): new or changed
 * content (first_seen kept, deleted_at cleared: a resource can come back), resources the scan did not
 * see: deleted when their account x type inventory is complete, else unseen (a partial or narrowed
 * collection, or a snapshot that does not say which inventories are complete); then
 * the accounts' sightings, which make "last seen" of every unchanged resource. Returns how many were deleted.
 */
export function persistResources(db: Db, resources: Iterable<ResourceRecord>, scan: ResourceScan): number {
  const stored = loadStoredHashes(db, scan.accounts.map((a) => a.accountId));
  const upsert = db.prepare(`INSERT INTO resources (arn, type, account_id, region, name, tags, team, owner_reason, first_seen, last_seen, last_scan_id, content_hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (arn) DO UPDATE SET type = excluded.type, account_id = excluded.account_id, region = excluded.region, name = excluded.name,
      tags = excluded.tags, team = excluded.team, owner_reason = excluded.owner_reason, last_seen = excluded.last_seen,
      last_scan_id = excluded.last_scan_id, deleted_at = NULL, content_hash = excluded.content_hash, unseen = 0`);
  const sighted = new Set(scan.accounts.filter((a) => a.status !== "failed").map((a) => a.accountId));
  for (const r of resources) {
    const hash = contentHash(r);
    const before = stored.get(r.arn);
    stored.delete(r.arn);
    sighted.add(r.accountId);
    if (before === hash) continue;
    upsert.run(r.arn, r.type, r.accountId, r.region, r.name, r.tags === null ? null : JSON.stringify(r.tags), r.team, r.ownerReason, scan.at, scan.at, scan.scanId, hash);
  }
  const complete = new Set(scan.completeInventories.map((i) => inventoryKey(i.accountId, i.type)));
  const deleted = markMissing(db, stored.keys(), complete, sighted, scan.at);
  const sight = db.prepare(`INSERT INTO account_sightings (account_id, scan_id, seen_at) VALUES (?, ?, ?)
    ON CONFLICT (account_id) DO UPDATE SET scan_id = excluded.scan_id, seen_at = excluded.seen_at`);
  for (const accountId of sighted) sight.run(accountId, scan.scanId, scan.at);
  return deleted;
}

/**
 * Content hash per live resource of the listed accounts (REWRITE for unseen rows and rows from before
 * 0003). Read as two JSON arrays: one native parse is several times faster than a row per call.
 */
function loadStoredHashes(db: Db, accountIds: readonly string[]): Map<string, number> {
  const row = db.prepare(`SELECT json_group_array(arn) AS arns, json_group_array(CASE WHEN unseen = 1 OR content_hash IS NULL THEN ${REWRITE} ELSE content_hash END) AS hashes
    FROM resources WHERE deleted_at IS NULL AND account_id IN (SELECT value FROM json_each(?))`).get(JSON.stringify(accountIds)) as { arns: string; hashes: string };
  const arns = JSON.parse(row.arns) as string[];
  const hashes = JSON.parse(row.hashes) as number[];
  const stored = new Map<string, number>();
  for (let i = 0; i < arns.length; i++) stored.set(arns[i]!, hashes[i]!);
  return stored;
}

/**
 * Live resources the scan did not see: deleted when their account's inventory of their type is complete
 * (`complete`: `inventoryKey`s); otherwise unseen, keeping the account's previous sighting as their own
 * last seen, when the account was collected at all. Must run before the sightings move on. Returns how many were deleted.
 */
function markMissing(db: Db, arns: Iterable<string>, complete: ReadonlySet<string>, sighted: ReadonlySet<string>, at: string): number {
  const rowOf = db.prepare("SELECT account_id, type FROM resources WHERE arn = ?");
  // Both keep the account's previous sighting (the scan that last saw an unchanged row) as the row's own.
  const keep = (own: string, sighted: string) => `CASE WHEN unseen = 1 THEN ${own}
    ELSE COALESCE((SELECT a.${sighted} FROM account_sightings a WHERE a.account_id = resources.account_id), ${own}) END`;
  const stamp = `last_seen = ${keep("last_seen", "seen_at")}, last_scan_id = ${keep("last_scan_id", "scan_id")}`;
  const remove = db.prepare(`UPDATE resources SET deleted_at = ?, ${stamp} WHERE arn = ?`);
  const unsee = db.prepare(`UPDATE resources SET unseen = 1, ${stamp} WHERE arn = ? AND unseen = 0`);
  let deleted = 0;
  for (const arn of arns) {
    const { account_id: accountId, type } = rowOf.get(arn) as { account_id: string; type: string };
    if (complete.has(inventoryKey(accountId, type))) deleted += remove.run(at, arn).changes;
    else if (sighted.has(accountId)) unsee.run(arn);
  }
  return deleted;
}

/**
 * A 53-bit hash (cyrb53) of what a resource row stores, fed field by field without building a string;
 * each field ends with a 0 so that ("ab", "c") and ("a", "bc") differ.
 */
export function contentHash(r: ResourceRecord): number {
  const state = [0xdeadbeef, 0x41c6ce57] as [number, number];
  feed(state, r.type);
  feed(state, r.accountId);
  feed(state, r.region);
  feed(state, r.name);
  feed(state, r.team ?? "\u0001");
  feed(state, r.ownerReason);
  if (r.tags === null) feed(state, "\u0001");
  else for (const key in r.tags) { feed(state, key); feed(state, r.tags[key]!); }
  let [h1, h2] = state;
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

function feed(state: [number, number], text: string): void {
  let [h1, h2] = state;
  for (let i = 0; i <= text.length; i++) {
    const ch = i < text.length ? text.charCodeAt(i) : 0;
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  state[0] = h1;
  state[1] = h2;
}

export function loadOwnershipOverrides(db: Db): Map<string, OwnershipOverride> {
  const rows = db.prepare("SELECT resource_arn, team, set_by, set_at FROM ownership_overrides").all() as { resource_arn: string; team: string; set_by: string; set_at: string }[];
  return new Map(rows.map((r) => [r.resource_arn, { resourceArn: r.resource_arn, team: r.team, setBy: r.set_by, setAt: r.set_at }]));
}

/** Sets (or replaces) the owner of one resource; the next scan routes its findings accordingly. */
export function persistOwnershipOverride(db: Db, override: OwnershipOverride & { note?: string }): void {
  db.prepare(`INSERT INTO ownership_overrides (resource_arn, team, set_by, set_at, note) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (resource_arn) DO UPDATE SET team = excluded.team, set_by = excluded.set_by, set_at = excluded.set_at, note = excluded.note`)
    .run(override.resourceArn, override.team, override.setBy, override.setAt, override.note ?? null);
}

/** The configured teams, mirrored so that the Slack side can route without the config file. */
export function persistTeams(db: Db, teams: readonly TeamRecord[], at: string): void {
  const upsert = db.prepare(`INSERT INTO teams (handle, name, channel, members, user_group, updated_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (handle) DO UPDATE SET name = excluded.name, channel = excluded.channel, members = excluded.members,
      user_group = excluded.user_group, updated_at = excluded.updated_at`);
  for (const t of teams) upsert.run(t.handle, t.name ?? null, t.channel, JSON.stringify(t.members), t.userGroup ?? null, at);
  const keep = new Set(teams.map((t) => t.handle));
  const remove = db.prepare("DELETE FROM teams WHERE handle = ?");
  for (const { handle } of db.prepare("SELECT handle FROM teams").all() as { handle: string }[]) {
    if (!keep.has(handle)) remove.run(handle);
  }
}
