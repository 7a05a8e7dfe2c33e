import { describe, expect, it } from "vitest";
import { decideMute, expireMutes, requestMute, revokeMute, type MuteDeps, type MuteRequestInput } from "../../src/app/mutes.js";
import { reconcileScan } from "../../src/app/reconcile-scan.js";
import type { StateStore } from "../../src/app/state-ports.js";
import type { Snapshot } from "../../src/core/snapshot.js";
import type { Db } from "../../src/db/open.js";
import { loadScore } from "../../src/db/score-queries.js";
import { createSqliteStateStore } from "../../src/db/state-store.js";
import { bucket, catalog, ownership, reconcile, snapshotOf, teams, tempDbsPerTest } from "../db/fixtures.js";
import { approvedMute, currentCounts, muteSetup, SCORE_SCOPES } from "./mute-fixtures.js";

// A scan plans from the state it loaded before its write transaction; a mute step (approve, revoke,
// expiry) committed in between must neither be undone by the scan's write nor miscounted in its score.
// The step runs inside the store's persistReconcile, just before the real SQLite write: exactly between
// the scan's load and its transaction.

const newDb = tempDbsPerTest();
const DAY1 = "2026-11-01T08:00:00.000Z";
const DAY1_LATER = "2026-11-01T10:00:00.000Z";
const DAY2 = "2026-11-02T08:00:00.000Z";
const DAY2_LATER = "2026-11-02T09:30:00.000Z";
const DAY3 = "2026-11-03T08:00:00.000Z";
const at = (iso: string) => new Date(iso);


/** A full scan whose mute step `during` commits after the scan loaded its state and before it writes. */
function scanWithStepDuring(db: Db, snapshot: Snapshot, now: string, during: () => Promise<unknown>) {
  const sqlite = createSqliteStateStore(db);
  let stepped = false;
  const store: StateStore = { ...sqlite, persistReconcile: async (plan) => { await during(); stepped = true; return sqlite.persistReconcile(plan); } };
  return reconcileScan(store, {
    scanId: `scan-${now}`, trigger: "test", rules: catalog.rules, ruleScope: "all", snapshot, startedAt: at(now), now: at(now), ownership, teams, securityChannel: "#security",
  }).then((outcome) => {
    expect(stepped).toBe(true);
    return outcome;
  });
}

const arn = (name: string) => `arn:aws:s3:::${name}`;
const finding = (db: Db, ruleId: string, name: string) =>
  db.prepare("SELECT id, status, mute_id AS muteId, last_result AS lastResult FROM findings WHERE rule_id = ? AND resource_arn = ?").get(ruleId, arn(name)) as
    { id: number; status: string; muteId: string | null; lastResult: string } | undefined;
const outboxRowsOf = (db: Db, findingId: number) =>
  db.prepare("SELECT idempotency_key AS key FROM outbox WHERE kind = 'finding.transition' AND idempotency_key LIKE ?").all(`finding:${findingId}:%`) as { key: string }[];
const scores = (db: Db, now: string) => Object.fromEntries(SCORE_SCOPES.map((scope) => [scope, loadScore(db, scope, at(now)).tally]));
const statuses = (db: Db) => db.prepare("SELECT rule_id, resource_arn, status, mute_id FROM findings ORDER BY id").all();

async function requestPending(deps: MuteDeps, findingId: number, now: string, extra: Partial<MuteRequestInput> = {}): Promise<string> {
  const requested = await requestMute(deps, {
    actor: { id: "U0PAYMENTS1" }, findingId, reason: "risk_accepted", justification: "Public by design", scope: { kind: "finding" },
    expiresAt: new Date(Date.parse(now) + 10 * 86_400_000).toISOString(), ...extra,
  }, at(now));
  if (!requested.ok) throw new Error(requested.reason);
  return requested.mute.id;
}
const approve = (deps: MuteDeps, muteId: string, now: string) => decideMute(deps, { actor: { id: "U0APPROVER1" }, muteId, decision: "approve" }, at(now));

/**
 * The racing scan left what a scan after the step gives: the next scan of the same resources changes no
 * status, queues nothing and leaves the counts (a recount from scratch) and the score where they are.
 */
async function expectNextScanChangesNothing(db: Db, snapshot: Snapshot) {
  const counts = currentCounts(db);
  const score = scores(db, DAY2_LATER);
  const findings = statuses(db);
  const next = await reconcile(db, snapshot, DAY3);
  expect(next.persisted.transitions).toEqual({ new: 0, reopened: 0, resolved: 0, deleted: 0 });
  expect(next.persisted.outboxQueued).toBe(0);
  expect(statuses(db)).toEqual(findings);
  expect(currentCounts(db)).toEqual(counts);
  expect(scores(db, DAY3)).toEqual(score);
}

const ledger = () => bucket("pay-ledger", { versioning: false });
const site = (name: string) => bucket(name, { logging: false, tags: { public: "intended" } });

describe("a mute step committed while a scan runs is neither undone nor miscounted by the scan", () => {
  it("an approval during the scan: the finding stays muted and out of the score", async () => {
    const { db, deps } = muteSetup(newDb);
    const resources = () => snapshotOf([ledger(), bucket("misc", { versioning: false })]);
    await reconcile(db, resources(), DAY1);
    const ledgerId = finding(db, "versioning", "pay-ledger")!.id;
    const muteId = await requestPending(deps, ledgerId, DAY1_LATER);

    await scanWithStepDuring(db, resources(), DAY2, () => approve(deps, muteId, DAY2_LATER));
    expect(finding(db, "versioning", "pay-ledger")).toMatchObject({ status: "muted", muteId, lastResult: "fail" });
    // Counted iff not muted now: only misc fails versioning (critical) in the org.
    expect(loadScore(db, "org", at(DAY2_LATER)).tally.critical).toEqual({ pass: 0, fail: 1 });
    expect(loadScore(db, "team:payments", at(DAY2_LATER)).tally.critical).toEqual({ pass: 0, fail: 0 });
    await expectNextScanChangesNothing(db, resources());
  });

  it("a revoke during the scan: the finding is open again and counts as failing", async () => {
    const { db, deps } = muteSetup(newDb);
    const resources = () => snapshotOf([ledger(), bucket("misc", { versioning: false })]);
    await reconcile(db, resources(), DAY1);
    const muteId = await approvedMute(deps, finding(db, "versioning", "pay-ledger")!.id, DAY1_LATER);

    await scanWithStepDuring(db, resources(), DAY2, () => revokeMute(deps, { actor: { id: "U0SECURITY1" }, muteId, reason: "no_longer_accepted" }, at(DAY2_LATER)));
    expect(finding(db, "versioning", "pay-ledger")).toMatchObject({ status: "open", muteId: null });
    expect(loadScore(db, "org", at(DAY2_LATER)).tally.critical).toEqual({ pass: 0, fail: 2 });
    expect(loadScore(db, "team:payments", at(DAY2_LATER)).tally.critical).toEqual({ pass: 0, fail: 1 });
    await expectNextScanChangesNothing(db, resources());
  });

  it("an expiry during the scan (the mute was still active at its evaluation time): open again and counted", async () => {
    const { db, deps } = muteSetup(newDb);
    const resources = () => snapshotOf([ledger()]);
    await reconcile(db, resources(), DAY1);
    await approvedMute(deps, finding(db, "versioning", "pay-ledger")!.id, DAY1_LATER, { expiresAt: "2026-11-02T09:00:00.000Z" });

    await scanWithStepDuring(db, resources(), DAY2, async () => expect((await expireMutes(deps, at(DAY2_LATER))).expired).toHaveLength(1));
    expect(finding(db, "versioning", "pay-ledger")).toMatchObject({ status: "open", muteId: null });
    expect(loadScore(db, "team:payments", at(DAY2_LATER)).tally.critical).toEqual({ pass: 0, fail: 1 });
    await expectNextScanChangesNothing(db, resources());
  });

  it("a rule + tag mute approved during the scan holds the finding the scan creates: muted, not announced, not counted", async () => {
    const { db, deps } = muteSetup(newDb);
    await reconcile(db, snapshotOf([site("pay-site"), bucket("pay-app", { logging: false })]), DAY1);
    const muteId = await requestPending(deps, finding(db, "logging", "pay-site")!.id, DAY1_LATER, { scope: { kind: "rule_tag", tag: { key: "public", value: "intended" } } });
    const resources = () => snapshotOf([site("pay-site"), site("pay-blog"), bucket("pay-app", { logging: false })]);

    const scanned = await scanWithStepDuring(db, resources(), DAY2, () => approve(deps, muteId, DAY2_LATER));
    expect(finding(db, "logging", "pay-site")).toMatchObject({ status: "muted", muteId });
    const blog = finding(db, "logging", "pay-blog")!;
    expect(blog).toMatchObject({ status: "muted", muteId });
    expect(outboxRowsOf(db, blog.id)).toEqual([]);
    expect(scanned.persisted.transitions.new).toBe(1);
    // Only pay-app's logging failure counts for payments.
    expect(loadScore(db, "team:payments", at(DAY2_LATER)).tally.high).toEqual({ pass: 0, fail: 1 });
    await expectNextScanChangesNothing(db, resources());
  });

  it("a rule + tag mute approved during the scan holds the finding the scan reopens: muted, no reopened message", async () => {
    const { db, deps } = muteSetup(newDb);
    await reconcile(db, snapshotOf([site("pay-site"), site("pay-blog")]), DAY1);
    const blogId = finding(db, "logging", "pay-blog")!.id;
    await reconcile(db, snapshotOf([site("pay-site"), bucket("pay-blog", { tags: { public: "intended" } })]), DAY1_LATER);
    expect(finding(db, "logging", "pay-blog")).toMatchObject({ status: "resolved" });
    const muteId = await requestPending(deps, finding(db, "logging", "pay-site")!.id, DAY1_LATER, { scope: { kind: "rule_tag", tag: { key: "public", value: "intended" } } });
    const resources = () => snapshotOf([site("pay-site"), site("pay-blog")]);

    const scanned = await scanWithStepDuring(db, resources(), DAY2, () => approve(deps, muteId, DAY2_LATER));
    expect(finding(db, "logging", "pay-blog")).toMatchObject({ status: "muted", muteId });
    expect(scanned.persisted.transitions.reopened).toBe(0);
    expect(outboxRowsOf(db, blogId).map((row) => row.key)).toEqual([`finding:${blogId}:new:scan-${DAY1}`]);
    expect(loadScore(db, "team:payments", at(DAY2_LATER)).tally.high).toEqual({ pass: 0, fail: 0 });
    await expectNextScanChangesNothing(db, resources());
  });

  it("a rule + tag mute revoked during the scan does not hold the finding the scan creates: open, announced once, counted", async () => {
    const { db, deps } = muteSetup(newDb);
    await reconcile(db, snapshotOf([site("pay-site")]), DAY1);
    const muteId = await approvedMute(deps, finding(db, "logging", "pay-site")!.id, DAY1_LATER, { scope: { kind: "rule_tag", tag: { key: "public", value: "intended" } } });
    const resources = () => snapshotOf([site("pay-site"), site("pay-blog")]);

    await scanWithStepDuring(db, resources(), DAY2, () => revokeMute(deps, { actor: { id: "U0SECURITY1" }, muteId, reason: "no_longer_accepted" }, at(DAY2_LATER)));
    expect(finding(db, "logging", "pay-site")).toMatchObject({ status: "open", muteId: null });
    const blog = finding(db, "logging", "pay-blog")!;
    expect(blog).toMatchObject({ status: "open", muteId: null });
    expect(outboxRowsOf(db, blog.id).map((row) => row.key)).toEqual([`finding:${blog.id}:new:scan-${DAY2}`]);
    expect(loadScore(db, "team:payments", at(DAY2_LATER)).tally.high).toEqual({ pass: 0, fail: 2 });
    await expectNextScanChangesNothing(db, resources());
  });

  it("an approval during a scan that finds the finding fixed: resolved (a fixed risk needs no mute) and counted as passing, once", async () => {
    const { db, deps } = muteSetup(newDb);
    await reconcile(db, snapshotOf([ledger()]), DAY1);
    const ledgerId = finding(db, "versioning", "pay-ledger")!.id;
    const muteId = await requestPending(deps, ledgerId, DAY1_LATER);
    const fixed = () => snapshotOf([bucket("pay-ledger")]);

    const scanned = await scanWithStepDuring(db, fixed(), DAY2, () => approve(deps, muteId, DAY2_LATER));
    expect(scanned.persisted.transitions.resolved).toBe(1);
    expect(finding(db, "versioning", "pay-ledger")).toMatchObject({ status: "resolved", muteId: null, lastResult: "pass" });
    expect(loadScore(db, "team:payments", at(DAY2_LATER)).tally.critical).toEqual({ pass: 1, fail: 0 });
    await expectNextScanChangesNothing(db, fixed());
  });

  it("no mute step during the scan: the plan is written as computed", async () => {
    const { db } = muteSetup(newDb);
    const resources = () => snapshotOf([ledger()]);
    await reconcile(db, resources(), DAY1);
    const ledgerId = finding(db, "versioning", "pay-ledger")!.id;
    await scanWithStepDuring(db, resources(), DAY2, async () => undefined);
    expect(finding(db, "versioning", "pay-ledger")).toMatchObject({ id: ledgerId, status: "open" });
    await expectNextScanChangesNothing(db, resources());
  });
});
