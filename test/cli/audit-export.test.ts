import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { afterEach, describe, expect, it } from "vitest";
import { decideMute, expireMutes, requestMute, revokeMute, type MuteDeps } from "../../src/app/mutes.js";
import type { CliIo } from "../../src/cli/context.js";
import { registerAuditCommand } from "../../src/cli/state/audit-command.js";
import type { MutePolicy } from "../../src/core/mutes.js";
import { createSqliteMuteStore } from "../../src/db/mutes-repo.js";
import { bucket, reconcile, snapshotOf, tempDb } from "../db/fixtures.js";

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((fn) => fn()));

const DAY1 = "2026-11-01T08:00:00.000Z";
const DAY2 = "2026-11-02T08:00:00.000Z";
const DAY5 = "2026-11-05T08:00:00.000Z";
const policy: MutePolicy = {
  teams: [{ handle: "payments", members: ["U0PAY00001"] }, { handle: "data", members: ["U0DATA0001"] }],
  securityTeam: { members: ["U0SEC00001"] }, approvers: { members: ["U0SEC00001"] }, maxDays: 90, allowPermanent: false,
};

/**
 * A state database with a history of mutes for two teams, and `posture audit export` on it:
 * payments: risk accepted, approved, revoked (human error); data: false positive, denied, then a duplicate
 * approved that expires.
 */
async function history() {
  const t = tempDb();
  cleanups.push(t.cleanup);
  const { db } = t;
  await reconcile(db, snapshotOf([bucket("pay-ledger", { versioning: false }), bucket("data-lake", { versioning: false, account: "444455556666" })]), DAY1);
  const id = (name: string) => (db.prepare("SELECT id FROM findings WHERE rule_id = 'versioning' AND resource_arn = ?").get(`arn:aws:s3:::${name}`) as { id: number }).id;
  let n = 0;
  const deps: MuteDeps = { store: createSqliteMuteStore(db), policy, newId: () => String(++n) };
  const pay = { id: "U0PAY00001", name: "pat", permalink: "https://slack.com/archives/C0PAY/p1700000000000100" };
  const sec = { id: "U0SEC00001", name: "sam" };
  const dana = { id: "U0DATA0001", name: "dana" };
  const justification = "Reviewed with the owners";
  await requestMute(deps, { actor: pay, findingId: id("pay-ledger"), reason: "risk_accepted", justification, scope: { kind: "finding" }, expiresAt: "2026-11-20" }, new Date(DAY1));
  await decideMute(deps, { actor: sec, muteId: "1", decision: "approve" }, new Date(DAY1));
  await revokeMute(deps, { actor: sec, muteId: "1", reason: "human_error", comment: "wrong bucket" }, new Date(DAY2));
  await requestMute(deps, { actor: dana, findingId: id("data-lake"), reason: "false_positive", justification, scope: { kind: "finding" }, expiresAt: "2026-11-20" }, new Date(DAY1));
  await decideMute(deps, { actor: sec, muteId: "2", decision: "deny", comment: "it is real" }, new Date(DAY1));
  await requestMute(deps, { actor: dana, findingId: id("data-lake"), reason: "duplicate", justification, scope: { kind: "finding" }, expiresAt: "2026-11-04" }, new Date(DAY2));
  await decideMute(deps, { actor: sec, muteId: "3", decision: "approve" }, new Date(DAY2));
  await expireMutes(deps, new Date(DAY5));
  db.close();

  mkdirSync(join(t.dir, "state"), { recursive: true });
  writeFileSync(join(t.dir, "posture.config.yml"), "securityChannel: \"#security\"\n");
  const io: CliIo = { out: () => undefined, err: () => undefined, color: false, env: { POSTURE_DB_PATH: t.path }, cwd: t.dir, clock: () => new Date(DAY5) };
  return async (...flags: string[]) => {
    let out = "";
    const program = new Command("posture").option("-c, --config <file>").exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
    registerAuditCommand(program, { io: { ...io, out: (text) => void (out += text) }, globals: () => program.opts(), setExitCode: () => undefined });
    await program.parseAsync(["audit", "export", "--since", "2026-11-01", ...flags], { from: "user" });
    return out;
  };
}

type Entry = { action: string; actor: string; actorName: string | null; team: string | null; permalink: string | null; details: Record<string, unknown> };
const json = async (run: Awaited<ReturnType<typeof history>>, ...flags: string[]) => JSON.parse(await run("--format", "json", ...flags)) as Entry[];
const actionsOf = (entries: Entry[]) => entries.map((e) => e.action);

describe("posture audit export, filtered by team, reason, action and period", () => {
  it("--action takes an exact action or a family; --team keeps that team's entries", async () => {
    const run = await history();
    expect(actionsOf(await json(run, "--action", "mute.*", "--team", "payments"))).toEqual(["mute.requested", "mute.approved", "mute.revoked"]);
    expect(actionsOf(await json(run, "--action", "mute.*", "--team", "data"))).toEqual(["mute.requested", "mute.denied", "mute.requested", "mute.approved", "mute.expired"]);
    expect(actionsOf(await json(run, "--action", "finding.unmuted"))).toEqual(["finding.unmuted", "finding.unmuted"]);
  });

  it("--reason matches a mute's reason on every step of it, and a revocation's own reason", async () => {
    const run = await history();
    expect(actionsOf(await json(run, "--reason", "risk_accepted"))).toEqual(["mute.requested", "mute.approved", "finding.muted", "mute.revoked", "finding.unmuted"]);
    expect(actionsOf(await json(run, "--reason", "human_error"))).toEqual(["mute.revoked"]);
    expect(actionsOf(await json(run, "--reason", "duplicate", "--action", "mute.expired"))).toEqual(["mute.expired"]);
    await expect(run("--reason", "because")).rejects.toThrow(/--reason: expected one of false_positive, .*human_error.*; received "because"/);
  });

  it("--until bounds the period (entries before it)", async () => {
    const run = await history();
    const day1 = await json(run, "--until", "2026-11-02", "--action", "mute.*");
    expect(actionsOf(day1)).toEqual(["mute.requested", "mute.approved", "mute.requested", "mute.denied"]);
    await expect(run("--until", "2026-10-01")).rejects.toThrow(/--until: expected a time after --since/);
    await expect(run("--until", "soon")).rejects.toThrow(/--until: expected an ISO date/);
  });

  it("each entry carries the actor id and name and the Slack permalink, in JSON and CSV columns", async () => {
    const run = await history();
    const [requested] = await json(run, "--action", "mute.requested", "--team", "payments");
    expect(requested).toMatchObject({ actor: "U0PAY00001", actorName: "pat", permalink: "https://slack.com/archives/C0PAY/p1700000000000100" });
    const [expired] = await json(run, "--action", "mute.expired");
    expect(expired).toMatchObject({ actor: "posture-scheduler", actorName: "Posture (scheduled mute expiry)" });
    const csv = (await run("--action", "mute.revoked")).split("\r\n");
    expect(csv[0]).toBe("id,at,actor,actor_name,action,subject_type,subject_id,finding_id,scan_id,team,reason,permalink,details");
    expect(csv[1]).toMatch(/^\d+,2026-11-02T08:00:00.000Z,U0SEC00001,sam,mute.revoked,mute,1,\d+,,payments,human_error,,"\{/);
    expect(csv).toHaveLength(3);
  });
});
