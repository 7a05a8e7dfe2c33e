import { afterEach, describe, expect, it } from "vitest";
import { approvalsChannelOf, decideMute, expireMutes, listMutes, mutePolicyOf, requestMute, revokeMute, type MuteDeps, type MuteRequestInput } from "../../src/app/mutes.js";
import { loadConfig } from "../../src/config.js";
import type { MutePolicy } from "../../src/core/mutes.js";
import { createSqliteMuteStore, loadMute } from "../../src/db/mutes-repo.js";
import type { Db } from "../../src/db/open.js";
import { bucket, reconcile, snapshotOf, tempDb } from "../db/fixtures.js";

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((fn) => fn()));

const DAY1 = "2026-11-01T08:00:00.000Z";
const DAY2 = "2026-11-02T08:00:00.000Z";
const at = (iso: string) => new Date(iso);
const plusDays = (iso: string, n: number) => new Date(Date.parse(iso) + n * 86_400_000);

const policy: MutePolicy = {
  teams: [{ handle: "payments", members: ["U0PAYMENTS1", "U0PAYMENTS2"] }, { handle: "data", members: ["U0DATA0001"] }],
  securityTeam: { members: ["U0SECURITY1"] },
  approvers: { members: ["U0APPROVER1", "U0APPROVER2", "U0PAYMENTS2"] },
  maxDays: 90,
  allowPermanent: false,
};

function setup(): { db: Db; deps: MuteDeps } {
  const t = tempDb();
  cleanups.push(t.cleanup);
  let n = 0;
  return { db: t.db, deps: { store: createSqliteMuteStore(t.db), policy, newId: () => `mute-${++n}` } };
}

const findingRow = (db: Db, ruleId: string, name: string) =>
  db.prepare("SELECT id, status, mute_id, last_result FROM findings WHERE rule_id = ? AND resource_arn = ?").get(ruleId, `arn:aws:s3:::${name}`) as { id: number; status: string; mute_id: string | null; last_result: string };
const orgCounts = (db: Db, scanId: string, ruleId: string) => db.prepare("SELECT pass, fail FROM scan_counts WHERE scan_id = ? AND scope = 'org' AND rule_id = ?").get(scanId, ruleId);
const actions = (db: Db) => (db.prepare("SELECT action FROM audit_log WHERE action LIKE 'mute.%' OR action IN ('finding.muted', 'finding.unmuted') ORDER BY id").all() as { action: string }[]).map((r) => r.action);

const request = (findingId: number, extra: Partial<MuteRequestInput> = {}): MuteRequestInput => ({
  actor: { id: "U0PAYMENTS1", name: "pat", permalink: "https://slack.test/p1" }, findingId, reason: "risk_accepted",
  justification: "Ledger bucket versioning is replaced by backups", scope: { kind: "finding" }, ...extra,
});

describe("mute configuration", () => {
  it("defaults: no approvers, 90 days at most, no permanent mutes, requests in the security channel", () => {
    const config = loadConfig({}, { path: "posture.config.yml", text: "securityChannel: \"#sec\"\n" });
    expect(mutePolicyOf(config)).toEqual({ teams: [], securityTeam: { members: [] }, approvers: { members: [] }, maxDays: 90, allowPermanent: false });
    expect(approvalsChannelOf(config)).toBe("#sec");
  });

  it("reads approvers, bounds and the approvals channel", () => {
    const text = "mutes:\n  approvers: { members: [U0APPROVER1] }\n  maxDays: 30\n  allowPermanent: true\n  approvalsChannel: \"#approvals\"\n";
    const config = loadConfig({}, { path: "posture.config.yml", text });
    expect(mutePolicyOf(config)).toMatchObject({ approvers: { members: ["U0APPROVER1"] }, maxDays: 30, allowPermanent: true });
    expect(approvalsChannelOf(config)).toBe("#approvals");
  });

  it("refuses a maximum of 0 days, naming the field", () => {
    expect(() => loadConfig({}, { path: "posture.config.yml", text: "mutes: { maxDays: 0 }\n" })).toThrow(/posture.config.yml: mutes.maxDays/);
  });
});

describe("mute use cases on SQLite", () => {
  it("request -> approve -> muted and out of the score -> a scan keeps it muted -> expiry -> it counts again", async () => {
    const { db, deps } = setup();
    await reconcile(db, snapshotOf([bucket("pay-ledger", { versioning: false }), bucket("misc")]), DAY1);
    const finding = findingRow(db, "versioning", "pay-ledger");

    const requested = await requestMute(deps, request(finding.id, { expiresAt: plusDays(DAY1, 10).toISOString() }), at(DAY1));
    expect(requested).toMatchObject({ ok: true, mute: { id: "mute-1", state: "pending", team: "payments", requestedBy: "U0PAYMENTS1" } });
    expect(findingRow(db, "versioning", "pay-ledger").status).toBe("open");

    const approved = await decideMute(deps, { actor: { id: "U0APPROVER1", name: "ada" }, muteId: "mute-1", decision: "approve", comment: "ok for now" }, at(DAY1));
    expect(approved).toMatchObject({ ok: true, mute: { state: "approved", decidedBy: "U0APPROVER1", decisionComment: "ok for now" }, findings: [{ findingId: finding.id, from: "open", to: "muted", muteId: "mute-1" }] });
    expect(findingRow(db, "versioning", "pay-ledger")).toMatchObject({ status: "muted", mute_id: "mute-1" });

    await reconcile(db, snapshotOf([bucket("pay-ledger", { versioning: false }), bucket("misc")]), DAY2);
    expect(findingRow(db, "versioning", "pay-ledger")).toMatchObject({ status: "muted", mute_id: "mute-1", last_result: "fail" });
    expect(orgCounts(db, `scan-${DAY2}`, "versioning")).toEqual({ pass: 1, fail: 0 });

    expect((await listMutes(deps, { team: "payments", now: plusDays(DAY1, 4) })).expiring.map((m) => m.id)).toEqual(["mute-1"]);
    expect(await expireMutes(deps, plusDays(DAY1, 9))).toMatchObject({ expired: [] });
    const expired = await expireMutes(deps, plusDays(DAY1, 10));
    expect(expired.expired).toMatchObject([{ mute: { id: "mute-1", state: "expired" }, findings: [{ findingId: finding.id, from: "muted", to: "open", muteId: null }] }]);
    expect(findingRow(db, "versioning", "pay-ledger")).toMatchObject({ status: "open", mute_id: null });

    const later = plusDays(DAY1, 11).toISOString();
    await reconcile(db, snapshotOf([bucket("pay-ledger", { versioning: false }), bucket("misc")]), later);
    expect(orgCounts(db, `scan-${later}`, "versioning")).toEqual({ pass: 1, fail: 1 });
    expect(actions(db)).toEqual(["mute.requested", "mute.approved", "finding.muted", "mute.expired", "finding.unmuted"]);
    const approval = db.prepare("SELECT actor, finding_id, team, details FROM audit_log WHERE action = 'mute.approved'").get() as { actor: string; finding_id: number; team: string; details: string };
    expect(approval).toMatchObject({ actor: "U0APPROVER1", finding_id: finding.id, team: "payments" });
    expect(JSON.parse(approval.details)).toMatchObject({ comment: "ok for now", requestedBy: "U0PAYMENTS1", actorName: "ada" });
  });

  it("a muted finding that passes is resolved; expiry then leaves it resolved", async () => {
    const { db, deps } = setup();
    await reconcile(db, snapshotOf([bucket("pay-ledger", { versioning: false })]), DAY1);
    const { id } = findingRow(db, "versioning", "pay-ledger");
    await requestMute(deps, request(id, { expiresAt: plusDays(DAY1, 5).toISOString() }), at(DAY1));
    await decideMute(deps, { actor: { id: "U0APPROVER1" }, muteId: "mute-1", decision: "approve" }, at(DAY1));
    await reconcile(db, snapshotOf([bucket("pay-ledger")]), DAY2);
    expect(findingRow(db, "versioning", "pay-ledger")).toMatchObject({ status: "resolved", mute_id: null });
    expect((await expireMutes(deps, plusDays(DAY1, 6))).expired[0]!.findings).toEqual([]);
  });

  it("deny: the finding stays open and the requester's request is closed with the comment", async () => {
    const { db, deps } = setup();
    await reconcile(db, snapshotOf([bucket("pay-ledger", { versioning: false })]), DAY1);
    const { id } = findingRow(db, "versioning", "pay-ledger");
    await requestMute(deps, request(id), at(DAY1));
    const denied = await decideMute(deps, { actor: { id: "U0APPROVER2" }, muteId: "mute-1", decision: "deny", comment: "fix it instead" }, at(DAY1));
    expect(denied).toMatchObject({ ok: true, mute: { state: "denied", decisionComment: "fix it instead" }, findings: [] });
    expect(findingRow(db, "versioning", "pay-ledger").status).toBe("open");
    expect(actions(db)).toEqual(["mute.requested", "mute.denied"]);
  });

  it("revoke by the security team returns the findings; others are refused and audited", async () => {
    const { db, deps } = setup();
    await reconcile(db, snapshotOf([bucket("pay-ledger", { versioning: false })]), DAY1);
    const { id } = findingRow(db, "versioning", "pay-ledger");
    await requestMute(deps, request(id), at(DAY1));
    await decideMute(deps, { actor: { id: "U0APPROVER1" }, muteId: "mute-1", decision: "approve" }, at(DAY1));
    expect(await revokeMute(deps, { actor: { id: "U0APPROVER1" }, muteId: "mute-1", reason: "human_error" }, at(DAY2))).toMatchObject({ ok: false, code: "not_security_team" });
    const revoked = await revokeMute(deps, { actor: { id: "U0SECURITY1" }, muteId: "mute-1", reason: "no_longer_accepted", comment: "audit finding" }, at(DAY2));
    expect(revoked).toMatchObject({ ok: true, mute: { state: "revoked", revokedBy: "U0SECURITY1", revokeReason: "no_longer_accepted" }, findings: [{ to: "open" }] });
    expect(findingRow(db, "versioning", "pay-ledger")).toMatchObject({ status: "open", mute_id: null });
    expect(await revokeMute(deps, { actor: { id: "U0SECURITY1" }, muteId: "mute-1", reason: "other" }, at(DAY2))).toMatchObject({ ok: false, code: "not_active" });
    expect(actions(db)).toEqual(["mute.requested", "mute.approved", "finding.muted", "mute.refused", "mute.revoked", "finding.unmuted", "mute.refused"]);
  });

  it("a double click (or a Slack retry) creates one decision, and the second is refused politely and audited", async () => {
    const { db, deps } = setup();
    await reconcile(db, snapshotOf([bucket("pay-ledger", { versioning: false })]), DAY1);
    await requestMute(deps, request(findingRow(db, "versioning", "pay-ledger").id), at(DAY1));
    const click = { actor: { id: "U0APPROVER1" }, muteId: "mute-1", decision: "approve" as const };
    const [first, second] = await Promise.all([decideMute(deps, click, at(DAY1)), decideMute(deps, click, at(DAY1))]);
    expect([first.ok, second.ok].sort()).toEqual([false, true]);
    expect(second.ok ? first : second).toMatchObject({ code: "already_decided" });
    const third = await decideMute(deps, { ...click, actor: { id: "U0APPROVER2" }, decision: "deny" }, at(DAY2));
    expect(third).toMatchObject({ ok: false, code: "already_decided", reason: "This request was already approved by <@U0APPROVER1>: nothing changed." });
    expect(loadMute(db, "mute-1")).toMatchObject({ state: "approved", decidedBy: "U0APPROVER1" });
    expect(actions(db).filter((a) => a === "mute.approved")).toHaveLength(1);
    expect(actions(db).filter((a) => a === "mute.refused")).toHaveLength(2);
  });

  it.each<[string, Partial<MuteRequestInput>, string]>([
    ["another team's member", { actor: { id: "U0DATA0001" } }, "not_allowed_to_request"],
    ["an empty justification", { justification: " " }, "justification_required"],
    ["a justification over 280 characters", { justification: "x".repeat(281) }, "justification_too_long"],
    ["an expiry past the maximum", { expiresAt: plusDays(DAY1, 91).toISOString() }, "expiry_too_far"],
    ["a permanent mute when not allowed", { expiresAt: null }, "permanent_not_allowed"],
    ["an unknown finding (a tampered button value)", { findingId: 999_999 }, "unknown_finding"],
  ])("a request from or with %s is refused and audited", async (_name, override, code) => {
    const { db, deps } = setup();
    await reconcile(db, snapshotOf([bucket("pay-ledger", { versioning: false })]), DAY1);
    const outcome = await requestMute(deps, request(findingRow(db, "versioning", "pay-ledger").id, override), at(DAY1));
    expect(outcome).toMatchObject({ ok: false, code });
    expect(db.prepare("SELECT count(*) AS n FROM mutes").get()).toEqual({ n: 0 });
    const audit = db.prepare("SELECT action, details FROM audit_log WHERE action = 'mute.refused'").all() as { details: string }[];
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ action: "mute.request", code });
  });

  it.each<[string, string, string]>([
    ["self-approval, even by an approver", "U0PAYMENTS2", "self_approval"],
    ["a non-approver", "U0PAYMENTS1", "not_an_approver"],
  ])("a decision by %s is refused and audited; the request stays pending", async (_name, user, code) => {
    const { db, deps } = setup();
    await reconcile(db, snapshotOf([bucket("pay-ledger", { versioning: false })]), DAY1);
    await requestMute(deps, request(findingRow(db, "versioning", "pay-ledger").id, { actor: { id: "U0PAYMENTS2" } }), at(DAY1));
    expect(await decideMute(deps, { actor: { id: user }, muteId: "mute-1", decision: "approve" }, at(DAY1))).toMatchObject({ ok: false, code });
    expect(loadMute(db, "mute-1")?.state).toBe("pending");
    expect(actions(db)).toEqual(["mute.requested", "mute.refused"]);
  });

  it("a decision or revocation of an unknown mute id (a tampered button value) is refused and audited", async () => {
    const { db, deps } = setup();
    expect(await decideMute(deps, { actor: { id: "U0APPROVER1" }, muteId: "forged", decision: "approve" }, at(DAY1))).toMatchObject({ ok: false, code: "unknown_mute" });
    expect(await revokeMute(deps, { actor: { id: "U0SECURITY1" }, muteId: "forged", reason: "other" }, at(DAY1))).toMatchObject({ ok: false, code: "unknown_mute" });
    expect(db.prepare("SELECT actor, subject_type, subject_id FROM audit_log ORDER BY id").all()).toEqual([
      { actor: "U0APPROVER1", subject_type: "mute", subject_id: "forged" }, { actor: "U0SECURITY1", subject_type: "mute", subject_id: "forged" },
    ]);
  });

  it("a second request for a finding with one pending is refused", async () => {
    const { db, deps } = setup();
    await reconcile(db, snapshotOf([bucket("pay-ledger", { versioning: false })]), DAY1);
    const { id } = findingRow(db, "versioning", "pay-ledger");
    await requestMute(deps, request(id), at(DAY1));
    expect(await requestMute(deps, request(id), at(DAY1))).toMatchObject({ ok: false, code: "already_pending" });
  });

  it("two submits of the same request racing create one pending mute", async () => {
    const { db, deps } = setup();
    await reconcile(db, snapshotOf([bucket("pay-ledger", { versioning: false })]), DAY1);
    const { id } = findingRow(db, "versioning", "pay-ledger");
    const outcomes = await Promise.all([requestMute(deps, request(id), at(DAY1)), requestMute(deps, request(id), at(DAY1))]);
    expect(outcomes.map((o) => o.ok).sort()).toEqual([false, true]);
    expect(db.prepare("SELECT count(*) AS n FROM mutes").get()).toEqual({ n: 1 });
    expect(actions(db)).toEqual(["mute.requested", "mute.refused"]);
  });

  it("a rule + tag scope mutes the team's tagged findings now and in later scans, and nothing else", async () => {
    const { db, deps } = setup();
    const site = (name: string, tags: Record<string, string>) => bucket(name, { logging: false, tags });
    await reconcile(db, snapshotOf([site("pay-site", { public: "intended" }), site("pay-app", {}), site("data-site", { public: "intended" })]), DAY1);
    const { id } = findingRow(db, "logging", "pay-site");
    const requested = await requestMute(deps, request(id, { reason: "false_positive", scope: { kind: "rule_tag", tag: { key: "public", value: "intended" } } }), at(DAY1));
    expect(requested).toMatchObject({ ok: true, mute: { scope: { kind: "rule_tag", ruleId: "logging", team: "payments", tag: { key: "public", value: "intended" } } } });
    const approved = await decideMute(deps, { actor: { id: "U0APPROVER1" }, muteId: "mute-1", decision: "approve" }, at(DAY1));
    expect(approved.ok && approved.findings.map((f) => f.findingId)).toEqual([id]);
    expect(findingRow(db, "logging", "pay-app").status).toBe("open");
    expect(findingRow(db, "logging", "data-site").status).toBe("open");

    const outcome = await reconcile(db, snapshotOf([site("pay-site", { public: "intended" }), site("pay-app", { public: "intended" }), site("pay-new", { public: "intended" }), site("data-site", { public: "intended" })]), DAY2);
    expect(findingRow(db, "logging", "pay-app")).toMatchObject({ status: "muted", mute_id: "mute-1" });
    expect(findingRow(db, "logging", "pay-new")).toMatchObject({ status: "muted", mute_id: "mute-1" });
    expect(findingRow(db, "logging", "data-site").status).toBe("open");
    // The new finding is born muted: audited, never announced.
    expect(outcome.persisted.outboxQueued).toBe(0);
    expect(orgCounts(db, `scan-${DAY2}`, "logging")).toEqual({ pass: 0, fail: 1 });
  });
});

describe("mute steps queue their Slack updates in the step's own transaction (issue 5: nothing lost if Slack is down)", () => {
  const queued = (db: Db) => (db.prepare("SELECT idempotency_key AS key, finding_id AS findingId, payload FROM outbox WHERE kind = 'mute.step' ORDER BY id").all() as { key: string; findingId: number | null; payload: string }[])
    .map((r) => ({ key: r.key, findingId: r.findingId, payload: JSON.parse(r.payload) as unknown }));

  it("approve, revoke and deny each queue the request update and one thread row per finding told; a lost race queues nothing", async () => {
    const { db, deps: base } = setup();
    const deps = { ...base, approvalsChannel: "#approvals" };
    await reconcile(db, snapshotOf([bucket("pay-ledger", { versioning: false })]), DAY1);
    const finding = findingRow(db, "versioning", "pay-ledger");
    await requestMute(deps, request(finding.id), at(DAY1));
    // The request itself: its message for the approvals channel, and the finding thread's reply.
    expect(queued(db)).toEqual([
      { key: "mute:mute-1:requested:request", findingId: null, payload: { muteId: "mute-1", step: "requested", target: "request", channel: "#approvals" } },
      { key: `mute:mute-1:requested:${finding.id}`, findingId: finding.id, payload: { muteId: "mute-1", step: "requested", target: "thread", findingId: finding.id, status: "open" } },
    ]);

    await decideMute(deps, { actor: { id: "U0APPROVER1" }, muteId: "mute-1", decision: "approve" }, at(DAY1));
    expect(await decideMute(deps, { actor: { id: "U0APPROVER2" }, muteId: "mute-1", decision: "approve" }, at(DAY1))).toMatchObject({ ok: false, code: "already_decided" });
    await revokeMute(deps, { actor: { id: "U0SECURITY1" }, muteId: "mute-1", reason: "human_error", comment: "wrong bucket" }, at(DAY2));
    expect(loadMute(db, "mute-1")).toMatchObject({ state: "revoked", revokeReason: "human_error", revokeComment: "wrong bucket" });
    await requestMute(deps, request(finding.id), at(DAY2));
    await decideMute(deps, { actor: { id: "U0APPROVER1" }, muteId: "mute-2", decision: "deny", comment: "turn versioning on" }, at(DAY2));

    expect(queued(db).filter((r) => !r.key.includes(":requested:"))).toEqual([
      { key: "mute:mute-1:approved:request", findingId: null, payload: { muteId: "mute-1", step: "approved", target: "request" } },
      { key: `mute:mute-1:approved:${finding.id}`, findingId: finding.id, payload: { muteId: "mute-1", step: "approved", target: "thread", findingId: finding.id, status: "muted" } },
      { key: "mute:mute-1:revoked:request", findingId: null, payload: { muteId: "mute-1", step: "revoked", target: "request" } },
      { key: `mute:mute-1:revoked:${finding.id}`, findingId: finding.id, payload: { muteId: "mute-1", step: "revoked", target: "thread", findingId: finding.id, status: "open" } },
      { key: "mute:mute-2:denied:request", findingId: null, payload: { muteId: "mute-2", step: "denied", target: "request" } },
      { key: `mute:mute-2:denied:${finding.id}`, findingId: finding.id, payload: { muteId: "mute-2", step: "denied", target: "thread", findingId: finding.id, status: "open" } },
    ]);
  });

  it("expiry queues its rows with the mute's end, and a second run of the job queues nothing", async () => {
    const { db, deps } = setup();
    await reconcile(db, snapshotOf([bucket("pay-ledger", { versioning: false })]), DAY1);
    const finding = findingRow(db, "versioning", "pay-ledger");
    await requestMute(deps, request(finding.id, { expiresAt: plusDays(DAY1, 2).toISOString() }), at(DAY1));
    await decideMute(deps, { actor: { id: "U0APPROVER1" }, muteId: "mute-1", decision: "approve" }, at(DAY1));
    await expireMutes(deps, plusDays(DAY1, 3));
    await expireMutes(deps, plusDays(DAY1, 4));
    // Without an approvals channel a request queues its thread reply only.
    expect(queued(db).map((r) => r.key)).toEqual([`mute:mute-1:requested:${finding.id}`, "mute:mute-1:approved:request", `mute:mute-1:approved:${finding.id}`, "mute:mute-1:expired:request", `mute:mute-1:expired:${finding.id}`]);
  });
});
