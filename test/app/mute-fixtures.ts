import { decideMute, requestMute, type MuteDeps, type MuteRequestInput } from "../../src/app/mutes.js";
import { frameworksOfRules } from "../../src/core/mute-score.js";
import type { MutePolicy } from "../../src/core/mutes.js";
import type { Scope } from "../../src/core/scope-counts.js";
import { createSqliteMuteStore, type MuteStoreOptions } from "../../src/db/mutes-repo.js";
import type { Db } from "../../src/db/open.js";
import { catalog } from "../db/fixtures.js";

/** Payments and data teams, a security team and one approver, as the mute use cases check them. */
export const MUTE_POLICY: MutePolicy = {
  teams: [{ handle: "payments", members: ["U0PAYMENTS1"] }, { handle: "data", members: ["U0DATA0001"] }],
  securityTeam: { members: ["U0SECURITY1"] },
  approvers: { members: ["U0APPROVER1"] },
  maxDays: 90,
  allowPermanent: false,
};

/** A fresh database and the mute use cases' deps on its SQLite store (the catalog's frameworks by default). */
export function muteSetup(newDb: () => Db, options: MuteStoreOptions = { frameworksOf: frameworksOfRules(catalog.rules) }): { db: Db; deps: MuteDeps } {
  const db = newDb();
  let n = 0;
  return { db, deps: { store: createSqliteMuteStore(db, options), policy: MUTE_POLICY, newId: () => `mute-${++n}` } };
}

/** Payments requests a mute of the finding (10 days), the approver approves it; returns the mute id. */
export async function approvedMute(deps: MuteDeps, findingId: number, now: string, extra: Partial<MuteRequestInput> = {}): Promise<string> {
  const at = new Date(now);
  const requested = await requestMute(deps, {
    actor: { id: "U0PAYMENTS1" }, findingId, reason: "risk_accepted", justification: "Replaced by nightly backups", scope: { kind: "finding" },
    expiresAt: new Date(Date.parse(now) + 10 * 86_400_000).toISOString(), ...extra,
  }, at);
  if (!requested.ok) throw new Error(requested.reason);
  const approved = await decideMute(deps, { actor: { id: "U0APPROVER1" }, muteId: requested.mute.id, decision: "approve" }, at);
  if (!approved.ok) throw new Error(approved.reason);
  return requested.mute.id;
}

/** The current counts without their scan id: what a scan of the same resources would store. */
export const currentCounts = (db: Db) => db.prepare(`SELECT c.account_id, c.scope, c.rule_id, c.severity, c.pass, c.fail FROM account_latest a
  JOIN scan_counts c ON c.scan_id = a.scan_id AND c.account_id = a.account_id ORDER BY c.account_id, c.scope, c.rule_id, c.severity`).all();

export const SCORE_SCOPES: Scope[] = ["org", "team:payments", "team:data", "unowned", "framework:fw-a", "framework:fw-b"];
