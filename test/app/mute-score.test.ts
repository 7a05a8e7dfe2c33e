import { describe, expect, it } from "vitest";
import { expireMutes, revokeMute } from "../../src/app/mutes.js";
import type { Scope } from "../../src/core/scope-counts.js";
import type { Db } from "../../src/db/open.js";
import { loadScore } from "../../src/db/score-queries.js";
import { bucket, reconcile, snapshotOf, tempDbsPerTest, type BucketSpec } from "../db/fixtures.js";
import { approvedMute, currentCounts, muteSetup, SCORE_SCOPES } from "./mute-fixtures.js";

// Issue 5 / DESIGN 5: muted findings are out of the score from the approval on, and count again as soon
// as the mute ends. Invariant: current counts = the latest scan's evaluations minus the findings muted now,
// so the next scan (which recounts from scratch) never moves the score.

const newDb = tempDbsPerTest();
const DAY1 = "2026-11-01T08:00:00.000Z";
const DAY1_LATER = "2026-11-01T10:00:00.000Z";
const DAY2 = "2026-11-02T08:00:00.000Z";
const DAY2_LATER = "2026-11-02T10:00:00.000Z";
const DAY3 = "2026-11-03T08:00:00.000Z";
const at = (iso: string) => new Date(iso);


const findingId = (db: Db, ruleId: string, name: string) =>
  (db.prepare("SELECT id FROM findings WHERE rule_id = ? AND resource_arn = ?").get(ruleId, `arn:aws:s3:::${name}`) as { id: number }).id;

const scores = (db: Db, now: string) => Object.fromEntries(SCORE_SCOPES.map((scope) => [scope, loadScore(db, scope, at(now)).score]));
const todaysPoint = (db: Db, scope: Scope, day: string) =>
  (db.prepare("SELECT score FROM score_snapshots WHERE scope = ? AND day = ?").get(scope, day.slice(0, 10)) as { score: number | null } | undefined)?.score;

const ledger = (spec: BucketSpec = {}) => bucket("pay-ledger", { versioning: false, ...spec });

describe("an approved mute leaves the score at once, an ended mute counts again at once", () => {
  it("approve -> score up; next scan -> unchanged; revoke -> back down; next scan -> unchanged", async () => {
    const { db, deps } = muteSetup(newDb);
    const resources = () => snapshotOf([ledger(), bucket("pay-app", { encryption: false }), bucket("misc", { versioning: false })]);
    await reconcile(db, resources(), DAY1);
    const counted = currentCounts(db);
    const before = scores(db, DAY1_LATER);

    const muteId = await approvedMute(deps, findingId(db, "versioning", "pay-ledger"), DAY1_LATER);
    const muted = scores(db, DAY1_LATER);
    expect(muted.org!).toBeGreaterThan(before.org!);
    expect(muted["team:payments"]!).toBeGreaterThan(before["team:payments"]!);
    expect(muted["framework:fw-a"]!).toBeGreaterThan(before["framework:fw-a"]!);
    // Rules and scopes the finding is not counted in do not move.
    expect(muted.unowned).toBe(before.unowned);
    expect(muted["framework:fw-b"]).toBe(before["framework:fw-b"]);
    expect(loadScore(db, "team:payments", at(DAY1_LATER)).tally.critical).toEqual({ pass: 1, fail: 0 });
    // Today's trend point (a scan wrote it this morning) follows.
    expect(todaysPoint(db, "org", DAY1)).toBe(muted.org);
    expect(todaysPoint(db, "team:payments", DAY1)).toBe(muted["team:payments"]);
    const mutedCounts = currentCounts(db);

    await reconcile(db, resources(), DAY2);
    expect(scores(db, DAY2)).toEqual(muted);
    expect(currentCounts(db)).toEqual(mutedCounts);

    const revoked = await revokeMute(deps, { actor: { id: "U0SECURITY1" }, muteId, reason: "no_longer_accepted" }, at(DAY2_LATER));
    expect(revoked).toMatchObject({ ok: true, findings: [{ from: "muted", to: "open" }] });
    expect(scores(db, DAY2_LATER)).toEqual(before);
    expect(currentCounts(db)).toEqual(counted);
    expect(todaysPoint(db, "org", DAY2)).toBe(before.org);

    await reconcile(db, resources(), DAY3);
    expect(scores(db, DAY3)).toEqual(before);
    expect(currentCounts(db)).toEqual(counted);
  });

  it("the rule's only evaluation in the account muted: its rows go, and come back (every framework, the finding's severity) at expiry", async () => {
    const { db, deps } = muteSetup(newDb);
    await reconcile(db, snapshotOf([ledger()]), DAY1);
    const counted = currentCounts(db);
    const before = scores(db, DAY1_LATER);
    expect(before.org).toBeLessThan(100);

    await approvedMute(deps, findingId(db, "versioning", "pay-ledger"), DAY1_LATER);
    expect(scores(db, DAY1_LATER)).toMatchObject({ org: 100, "team:payments": 100, "framework:fw-a": 100 });
    // No zero rows left behind: exactly what a scan with the finding muted stores.
    const mutedCounts = currentCounts(db);
    expect(mutedCounts.filter((row) => (row as { rule_id: string }).rule_id === "versioning")).toEqual([]);
    await reconcile(db, snapshotOf([ledger()]), DAY2);
    expect(currentCounts(db)).toEqual(mutedCounts);

    // The latest scan has no versioning row at all: the rows are created again from the finding.
    const expired = await expireMutes(deps, at("2026-11-12T08:00:00.000Z"));
    expect(expired.expired).toMatchObject([{ findings: [{ from: "muted", to: "open" }] }]);
    expect(currentCounts(db)).toEqual(counted);
    expect(scores(db, "2026-11-12T08:00:00.000Z")).toEqual(before);
    await reconcile(db, snapshotOf([ledger()]), "2026-11-12T09:00:00.000Z");
    expect(currentCounts(db)).toEqual(counted);
  });

  it("without the catalog's mapping, a mute ending before the next scan finds the rule's frameworks in the stored counts", async () => {
    const { db, deps } = muteSetup(newDb, {});
    await reconcile(db, snapshotOf([ledger(), bucket("pay-app", { versioning: false, account: "444455556666" })]), DAY1);
    const counted = currentCounts(db);
    const muteId = await approvedMute(deps, findingId(db, "versioning", "pay-ledger"), DAY1_LATER);
    await revokeMute(deps, { actor: { id: "U0SECURITY1" }, muteId, reason: "human_error" }, at(DAY1_LATER));
    // The account's own versioning rows went with the mute: the other account's name fw-a.
    expect(currentCounts(db)).toEqual(counted);
  });

  it("a rule + tag mute takes every finding it mutes out of the score, and a scan agrees", async () => {
    const { db, deps } = muteSetup(newDb);
    const site = (name: string, tags: Record<string, string>) => bucket(name, { logging: false, tags });
    const resources = () => snapshotOf([site("pay-site", { public: "intended" }), site("pay-blog", { public: "intended" }), site("pay-app", {}), bucket("pay-docs"), site("data-site", { public: "intended" })]);
    await reconcile(db, resources(), DAY1);
    const before = scores(db, DAY1_LATER);
    expect(loadScore(db, "team:payments", at(DAY1_LATER)).tally.high).toEqual({ pass: 1, fail: 3 });

    await approvedMute(deps, findingId(db, "logging", "pay-site"), DAY1_LATER, { scope: { kind: "rule_tag", tag: { key: "public", value: "intended" } } });
    expect(loadScore(db, "team:payments", at(DAY1_LATER)).tally.high).toEqual({ pass: 1, fail: 1 });
    expect(loadScore(db, "org", at(DAY1_LATER)).tally.high).toEqual({ pass: 1, fail: 2 });
    const muted = scores(db, DAY1_LATER);
    expect(muted["team:payments"]!).toBeGreaterThan(before["team:payments"]!);
    expect(muted["team:data"]).toBe(before["team:data"]);
    const mutedCounts = currentCounts(db);

    await reconcile(db, resources(), DAY2);
    expect(currentCounts(db)).toEqual(mutedCounts);
    expect(scores(db, DAY2)).toEqual(muted);
  });

  it("a finding the latest scan could not evaluate changes nothing at approval; the next scan leaves the score where it was", async () => {
    const { db, deps } = muteSetup(newDb);
    await reconcile(db, snapshotOf([ledger(), bucket("misc")]), DAY1);
    // The second scan cannot read versioning: the finding keeps its last result of the first scan.
    await reconcile(db, snapshotOf([ledger({ versioning: "unknown" }), bucket("misc")]), DAY2);
    const counts = currentCounts(db);
    const before = scores(db, DAY2_LATER);

    await approvedMute(deps, findingId(db, "versioning", "pay-ledger"), DAY2_LATER);
    expect(currentCounts(db)).toEqual(counts);
    expect(scores(db, DAY2_LATER)).toEqual(before);
    await reconcile(db, snapshotOf([ledger({ versioning: "unknown" }), bucket("misc")]), DAY3);
    expect(scores(db, DAY3)).toEqual(before);
  });

  it("a mute step on a day no scan ran yet writes no trend point: the day's first scan does", async () => {
    const { db, deps } = muteSetup(newDb);
    await reconcile(db, snapshotOf([ledger(), bucket("misc")]), DAY1);
    await approvedMute(deps, findingId(db, "versioning", "pay-ledger"), DAY2);
    expect(todaysPoint(db, "org", DAY2)).toBeUndefined();
    expect(loadScore(db, "org", at(DAY2)).delta1d!).toBeGreaterThan(0);
  });
});
