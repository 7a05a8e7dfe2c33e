import { describe, expect, it } from "vitest";
import type { Db } from "../../src/db/open.js";
import { bucket, reconcile, snapshotOf, tempDbsPerTest } from "./fixtures.js";

const fresh = tempDbsPerTest();
const DAY1 = "2026-11-01T08:00:00.000Z";
const DAY2 = "2026-11-02T08:00:00.000Z";
const DAY3 = "2026-11-03T08:00:00.000Z";
const OTHER = "444455556666";

const seen = (db: Db, name: string) => db.prepare("SELECT last_seen, last_scan_id, first_seen, deleted_at FROM resource_sightings WHERE arn = ?").get(`arn:aws:s3:::${name}`);
const row = (db: Db, name: string) => db.prepare("SELECT tags, team, last_seen, content_hash, unseen FROM resources WHERE arn = ?").get(`arn:aws:s3:::${name}`) as Record<string, unknown>;

describe("resources are written only when they change; last seen comes from the account's sighting", () => {
  it("an unchanged resource is not rewritten, yet its last seen moves with each scan", async () => {
    const db = fresh();
    await reconcile(db, snapshotOf([bucket("a"), bucket("b")]), DAY1);
    const before = row(db, "a");
    await reconcile(db, snapshotOf([bucket("a"), bucket("b", { tags: { team: "data" } })]), DAY2);
    expect(row(db, "a")).toEqual(before);
    expect(seen(db, "a")).toEqual({ last_seen: DAY2, last_scan_id: `scan-${DAY2}`, first_seen: DAY1, deleted_at: null });
    expect(row(db, "b")).toMatchObject({ tags: '{"team":"data"}', team: "data", last_seen: DAY2, unseen: 0 });
    expect(row(db, "b").content_hash).not.toBe(before.content_hash);
  });

  it("a resource missing from a partial collection keeps its own last seen until it is seen again", async () => {
    const db = fresh();
    await reconcile(db, snapshotOf([bucket("a", { account: OTHER }), bucket("b", { account: OTHER })]), DAY1);
    await reconcile(db, snapshotOf([bucket("b", { account: OTHER })], { [OTHER]: "partial" }), DAY2);
    expect(seen(db, "a")).toEqual({ last_seen: DAY1, last_scan_id: `scan-${DAY1}`, first_seen: DAY1, deleted_at: null });
    expect(seen(db, "b")).toMatchObject({ last_seen: DAY2 });
    await reconcile(db, snapshotOf([bucket("b", { account: OTHER })], { [OTHER]: "partial" }), DAY3);
    expect(seen(db, "a")).toMatchObject({ last_seen: DAY1, deleted_at: null });
    await reconcile(db, snapshotOf([bucket("a", { account: OTHER }), bucket("b", { account: OTHER })]), "2026-11-04T08:00:00.000Z");
    expect(seen(db, "a")).toMatchObject({ last_seen: "2026-11-04T08:00:00.000Z", deleted_at: null });
    expect(row(db, "a")).toMatchObject({ unseen: 0 });
  });

  it("a failed collection moves nothing; a complete one deletes what it did not see; a deleted resource can come back", async () => {
    const db = fresh();
    await reconcile(db, snapshotOf([bucket("a", { account: OTHER }), bucket("b")]), DAY1);
    await reconcile(db, snapshotOf([bucket("b")], { [OTHER]: "failed" }), DAY2);
    expect(seen(db, "a")).toMatchObject({ last_seen: DAY1, deleted_at: null });
    await reconcile(db, snapshotOf([], { [OTHER]: "ok" }), DAY3);
    expect(seen(db, "a")).toMatchObject({ last_seen: DAY1, deleted_at: DAY3 });
    expect(seen(db, "b")).toMatchObject({ last_seen: DAY2, deleted_at: DAY3 });
    await reconcile(db, snapshotOf([bucket("a", { account: OTHER })]), "2026-11-04T08:00:00.000Z");
    expect(seen(db, "a")).toEqual({ last_seen: "2026-11-04T08:00:00.000Z", last_scan_id: "scan-2026-11-04T08:00:00.000Z", first_seen: DAY1, deleted_at: null });
  });
});
