import { describe, expect, it } from "vitest";
import { loadFindings, loadFindingTimeline } from "../../src/db/finding-queries.js";
import type { Db } from "../../src/db/open.js";
import { persistOwnershipOverride } from "../../src/db/resources-repo.js";
import { bucket, reconcile, snapshotOf, tempDbsPerTest } from "../db/fixtures.js";

const fresh = tempDbsPerTest();
const DAY1 = "2026-11-01T08:00:00.000Z";
const DAY2 = "2026-11-02T08:00:00.000Z";
const DAY3 = "2026-11-04T08:00:00.000Z";

const finding = (db: Db, ruleId: string, name: string) => db.prepare("SELECT * FROM findings WHERE rule_id = ? AND resource_arn = ?").get(ruleId, `arn:aws:s3:::${name}`) as Record<string, unknown>;
const count = (db: Db, sql: string, ...params: unknown[]) => (db.prepare(sql).get(...params) as { n: number }).n;

describe("reconcile a scan into SQLite", () => {
  it("new -> resolved -> reopened, with reopen count, exposure time, audit entries and outbox rows", async () => {
    const db = fresh();
    const first = await reconcile(db, snapshotOf([bucket("pay-ledger", { versioning: false, encryption: false }), bucket("misc")]), DAY1);
    expect(first.persisted).toMatchObject({ written: true, transitions: { new: 2, reopened: 0, resolved: 0, deleted: 0 }, outboxQueued: 1 });
    expect(finding(db, "versioning", "pay-ledger")).toMatchObject({ status: "open", team: "payments", owner_reason: "name matches pay-*", first_seen: DAY1, reopen_count: 0 });

    const second = await reconcile(db, snapshotOf([bucket("pay-ledger", { encryption: false }), bucket("misc")]), DAY2);
    expect(second.persisted.transitions).toEqual({ new: 0, reopened: 0, resolved: 1, deleted: 0 });
    expect(finding(db, "versioning", "pay-ledger")).toMatchObject({ status: "resolved", resolved_at: DAY2, resolved_reason: "passed", exposure_seconds: 86_400, last_result: "pass" });
    expect(finding(db, "encryption", "pay-ledger")).toMatchObject({ status: "open", last_seen: DAY2, first_seen: DAY1 });

    const third = await reconcile(db, snapshotOf([bucket("pay-ledger", { versioning: false, encryption: false }), bucket("misc")]), DAY3);
    expect(third.persisted).toMatchObject({ transitions: { new: 0, reopened: 1, resolved: 0, deleted: 0 }, outboxQueued: 1 });
    const reopened = finding(db, "versioning", "pay-ledger");
    expect(reopened).toMatchObject({ status: "open", reopen_count: 1, opened_at: DAY3, resolved_at: null, exposure_seconds: 86_400, first_seen: DAY1 });

    const timeline = loadFindingTimeline(db, reopened.id as number);
    expect(timeline.map((e) => e.action)).toEqual(["finding.new", "finding.resolved", "finding.reopened"]);
    expect(timeline[2]!.details).toMatchObject({ reopenCount: 1, exposureSeconds: 86_400, resolvedForSeconds: 2 * 86_400 });
    const outbox = db.prepare("SELECT idempotency_key, channel, payload FROM outbox ORDER BY id").all() as { idempotency_key: string; channel: string; payload: string }[];
    expect(outbox.map((o) => o.idempotency_key)).toEqual([`finding:${reopened.id}:new:scan-${DAY1}`, `finding:${reopened.id}:reopened:scan-${DAY3}`]);
    expect(outbox.every((o) => o.channel === "#payments")).toBe(true);
    expect(JSON.parse(outbox[1]!.payload)).toMatchObject({ transition: "reopened", severity: "critical", reopenCount: 1, ownerReason: "name matches pay-*" });
  });

  it("not evaluated never changes a status, and is recorded as coverage", async () => {
    const db = fresh();
    await reconcile(db, snapshotOf([bucket("a", { versioning: false }), bucket("b")]), DAY1);
    const outcome = await reconcile(db, snapshotOf([bucket("a", { versioning: "unknown" }), bucket("b", { versioning: "unknown" })]), DAY2);
    expect(outcome.persisted.transitions).toEqual({ new: 0, reopened: 0, resolved: 0, deleted: 0 });
    expect(finding(db, "versioning", "a")).toMatchObject({ status: "open", last_seen: DAY1 });
    expect(finding(db, "versioning", "b")).toBeUndefined();
    expect(db.prepare("SELECT not_evaluated_count AS n FROM scan_accounts WHERE scan_id = ?").get(`scan-${DAY2}`)).toEqual({ n: 2 });
  });

  it("resolves the findings of deleted resources only when the account was collected completely", async () => {
    const db = fresh();
    const other = "444455556666";
    await reconcile(db, snapshotOf([bucket("gone", { logging: false }), bucket("data-gone", { logging: false, account: other }), bucket("kept")]), DAY1);
    const outcome = await reconcile(db, snapshotOf([bucket("kept")], { [other]: "failed" }), DAY2);
    expect(outcome.persisted.transitions.deleted).toBe(1);
    expect(finding(db, "logging", "gone")).toMatchObject({ status: "resolved", resolved_reason: "resource deleted", last_result: "deleted" });
    expect(finding(db, "logging", "data-gone")).toMatchObject({ status: "open" });
    expect(db.prepare("SELECT arn FROM resources WHERE deleted_at IS NOT NULL").all()).toEqual([{ arn: "arn:aws:s3:::gone" }]);
  });

  it("muted findings that keep failing stay muted and leave the score; one that passes is resolved and counts", async () => {
    const db = fresh();
    await reconcile(db, snapshotOf([bucket("a", { versioning: false }), bucket("b")]), DAY1);
    db.prepare("UPDATE findings SET status = 'muted' WHERE rule_id = 'versioning'").run();
    await reconcile(db, snapshotOf([bucket("a", { versioning: false }), bucket("b")]), DAY2);
    expect(finding(db, "versioning", "a")).toMatchObject({ status: "muted", last_result: "fail", last_seen: DAY2 });
    const counts = (scanId: string) => db.prepare("SELECT pass, fail FROM scan_counts WHERE scan_id = ? AND scope = 'org' AND rule_id = 'versioning'").get(scanId);
    expect(counts(`scan-${DAY2}`)).toEqual({ pass: 1, fail: 0 });
    await reconcile(db, snapshotOf([bucket("a"), bucket("b")]), DAY3);
    expect(finding(db, "versioning", "a")).toMatchObject({ status: "resolved", last_result: "pass", resolved_reason: "passed" });
    expect(counts(`scan-${DAY3}`)).toEqual({ pass: 2, fail: 0 });
  });

  it("is idempotent: the same scan id again writes nothing; the same results again queue nothing", async () => {
    const db = fresh();
    const snapshot = snapshotOf([bucket("a", { versioning: false, logging: false })]);
    await reconcile(db, snapshot, DAY1, "scan-1");
    const tables = ["findings", "audit_log", "outbox", "scans", "scan_counts"];
    const before = tables.map((t) => count(db, `SELECT COUNT(*) AS n FROM ${t}`));
    const rerun = await reconcile(db, snapshot, DAY1, "scan-1");
    expect(rerun.persisted.written).toBe(false);
    expect(tables.map((t) => count(db, `SELECT COUNT(*) AS n FROM ${t}`))).toEqual(before);
    const again = await reconcile(db, snapshot, DAY2, "scan-2");
    expect(again.persisted).toMatchObject({ written: true, outboxQueued: 0, transitions: { new: 0, reopened: 0, resolved: 0, deleted: 0 } });
    expect(count(db, "SELECT COUNT(*) AS n FROM outbox")).toBe(2);
    expect(count(db, "SELECT COUNT(DISTINCT idempotency_key) AS n FROM outbox")).toBe(2);
  });

  it("routes by the stored override, tags and the security channel, keeping the reason", async () => {
    const db = fresh();
    await reconcile(db, snapshotOf([bucket("seed")]), DAY1);
    persistOwnershipOverride(db, { resourceArn: "arn:aws:s3:::misc", team: "data", setBy: "U0123ABCD", setAt: "2026-11-01T10:00:00.000Z" });
    await reconcile(db, snapshotOf([bucket("misc", { versioning: false }), bucket("tagged", { versioning: false, tags: { owner: "PAY" } }), bucket("nobody", { versioning: false })]), DAY2);
    const rows = loadFindings(db, { ruleId: "versioning" }).findings.map((f) => [f.resource.name, f.team, f.ownerReason]);
    expect(rows).toEqual([
      ["misc", "data", "override by U0123ABCD on 2026-11-01"],
      ["tagged", "payments", "tag owner=PAY"],
      ["nobody", null, "no team matched: routed to the security channel"],
    ]);
    expect((db.prepare("SELECT channel FROM outbox ORDER BY id").all() as { channel: string }[]).map((r) => r.channel)).toEqual(["#data", "#payments", "#security"]);
  });
});
