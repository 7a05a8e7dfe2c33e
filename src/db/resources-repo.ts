import type { ResourceRecord, TeamRecord } from "../app/state-ports.js";
import type { OwnershipOverride } from "../core/ownership.js";
import type { Db } from "./open.js";

/** Upserts the scan's resources (first_seen kept, deleted_at cleared: a resource can come back). */
export function persistResources(db: Db, resources: Iterable<ResourceRecord>, scanId: string, at: string): void {
  const upsert = db.prepare(`INSERT INTO resources (arn, type, account_id, region, name, tags, team, owner_reason, first_seen, last_seen, last_scan_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (arn) DO UPDATE SET type = excluded.type, account_id = excluded.account_id, region = excluded.region, name = excluded.name,
      tags = excluded.tags, team = excluded.team, owner_reason = excluded.owner_reason, last_seen = excluded.last_seen,
      last_scan_id = excluded.last_scan_id, deleted_at = NULL`);
  for (const r of resources) {
    upsert.run(r.arn, r.type, r.accountId, r.region, r.name, r.tags === null ? null : JSON.stringify(r.tags), r.team, r.ownerReason, at, at, scanId);
  }
}

/** Resources of a completely collected account that this scan did not see are gone. Returns how many. */
export function markDeletedResources(db: Db, accountIds: readonly string[], scanId: string, at: string): number {
  const mark = db.prepare("UPDATE resources SET deleted_at = ? WHERE account_id = ? AND deleted_at IS NULL AND last_scan_id <> ?");
  return accountIds.reduce((sum, accountId) => sum + mark.run(at, accountId, scanId).changes, 0);
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
