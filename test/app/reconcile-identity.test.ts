import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runPersistedScan } from "../../src/app/persisted-scan.js";
import { runScan } from "../../src/app/scan.js";
import { reconcileScan } from "../../src/app/reconcile-scan.js";
import { snapshotSchema, type Bucket, type Snapshot } from "../../src/core/snapshot.js";
import type { Db } from "../../src/db/open.js";
import { persistOwnershipOverride } from "../../src/db/resources-repo.js";
import { createScanLock } from "../../src/db/scan-lock-repo.js";
import { createSqliteStateStore } from "../../src/db/state-store.js";
import { loadCatalog } from "../../src/rules-files.js";
import { ACCOUNT, bucket, ownership, reconcile, snapshotOf, teams, tempDbsPerTest } from "../db/fixtures.js";

const fresh = tempDbsPerTest();
const DAY1 = "2026-11-01T08:00:00.000Z";
const DAY2 = "2026-11-02T08:00:00.000Z";
const catalog = loadCatalog();
const demo = snapshotSchema.parse(JSON.parse(readFileSync(new URL("../../demo/demo-snapshot.json", import.meta.url), "utf8")));
const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";

const persist = (db: Db, snapshot: Snapshot, at: string, scanId = `scan-${at}`, trustedAccounts?: string[]) => reconcileScan(createSqliteStateStore(db), {
  scanId, trigger: "test", rules: catalog.rules, ruleScope: "all", snapshot, startedAt: new Date(at), now: new Date(at),
  ownership, teams, securityChannel: "#security", trustedAccounts,
});

describe("AWS managed policies (one ARN in every account) are one resource per account", () => {
  it("persists the demo's two accounts, with one AdministratorAccess finding per account", async () => {
    const db = fresh();
    const outcome = await persist(db, demo, DAY2);
    expect(outcome.persisted.written).toBe(true);
    const findings = db.prepare("SELECT resource_arn, account_id FROM findings WHERE rule_id = 'iam-aws-managed-policy-no-admin' AND resource_arn LIKE ? ORDER BY account_id")
      .all(`${ADMIN}@%`);
    expect(findings).toEqual([
      { resource_arn: `${ADMIN}@111122223333`, account_id: "111122223333" },
      { resource_arn: `${ADMIN}@444455556666`, account_id: "444455556666" },
    ]);
    expect(db.prepare("SELECT arn, account_id FROM resources WHERE arn LIKE ? ORDER BY arn").all(`${ADMIN}%`)).toEqual([
      { arn: `${ADMIN}@111122223333`, account_id: "111122223333" },
      { arn: `${ADMIN}@444455556666`, account_id: "444455556666" },
    ]);
    // Customer resources keep their plain ARN.
    expect(db.prepare("SELECT COUNT(*) AS n FROM resources WHERE arn LIKE '%@%' AND arn NOT LIKE 'arn:aws:iam::aws:%'").get()).toEqual({ n: 0 });

    // The same demo again is a new scan at the same evaluation time: nothing new, nothing resolved.
    const again = await persist(db, demo, DAY2, "scan-again");
    expect(again.persisted).toMatchObject({ written: true, transitions: { new: 0, reopened: 0, resolved: 0, deleted: 0 } });
  });

  it("an ownership override of a shared-ARN resource applies to its own account only", async () => {
    const db = fresh();
    await persist(db, demo, DAY1);
    persistOwnershipOverride(db, { resourceArn: `${ADMIN}@444455556666`, team: "data", setBy: "U0123ABCD", setAt: DAY1 });
    await persist(db, demo, DAY2);
    const teamsOf = db.prepare("SELECT account_id, team FROM resources WHERE arn LIKE ? ORDER BY account_id").all(`${ADMIN}@%`) as { account_id: string; team: string | null }[];
    expect(teamsOf).toEqual([{ account_id: "111122223333", team: null }, { account_id: "444455556666", team: "data" }]);
  });
});

describe("deletion only where the snapshot holds a complete inventory of the resource's type", () => {
  const user = (name: string) => ({
    type: "aws:iam:user" as const, arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, accountId: ACCOUNT, region: "global", name,
    userId: `AIDA${name.toUpperCase()}`, path: "/", createdAt: "2025-01-01T00:00:00.000Z", tags: {}, groups: [], attachedPolicies: [{ name: "AdministratorAccess", arn: ADMIN }],
    inlinePolicies: [], permissionsBoundary: null,
  });
  const withUsers = (buckets: Bucket[], users: ReturnType<typeof user>[]): Snapshot => {
    const snapshot = snapshotOf(buckets, {}, ["aws:s3:bucket", "aws:iam:user"]);
    return { ...snapshot, resources: [...snapshot.resources, ...users] };
  };
  const live = (db: Db) => (db.prepare("SELECT arn FROM resources WHERE deleted_at IS NULL ORDER BY arn").all() as { arn: string }[]).map((r) => r.arn);
  const rule = (id: string) => catalog.rules.find((r) => r.id === id)!;

  it("a scan narrowed to bucket rules (only buckets complete) deletes no user; a bucket missing from it is deleted", async () => {
    const db = fresh();
    const userRule = rule("iam-user-no-attached-policies");
    const bucketRule = rule("s3-bucket-versioning");
    const full = (snapshot: Snapshot, at: string, scanId: string, rules = [userRule, bucketRule], ruleScope: "all" | "subset" = "all") => reconcileScan(createSqliteStateStore(db), {
      scanId, trigger: "test", rules, ruleScope, snapshot, startedAt: new Date(at), now: new Date(at), ownership, teams, securityChannel: "#security",
    });
    await full(withUsers([bucket("kept", { versioning: false }), bucket("gone", { versioning: false })], [user("alice")]), DAY1, "s1");
    // `posture scan --rule s3-bucket-versioning-enabled`: the collector lists buckets only.
    const outcome = await full(snapshotOf([bucket("kept", { versioning: false })]), DAY2, "s2", [bucketRule], "subset");
    expect(outcome.persisted.transitions).toEqual({ new: 0, reopened: 0, resolved: 0, deleted: 1 });
    expect(live(db)).toEqual([`arn:aws:iam::${ACCOUNT}:user/alice`, "arn:aws:s3:::kept"]);
    expect(db.prepare("SELECT status FROM findings WHERE resource_arn = ?").get(`arn:aws:iam::${ACCOUNT}:user/alice`)).toEqual({ status: "open" });
    expect(db.prepare("SELECT status, resolved_reason FROM findings WHERE resource_arn = 'arn:aws:s3:::gone'").get()).toEqual({ status: "resolved", resolved_reason: "resource deleted" });
  });

  it("a snapshot without resourceTypes (an older file) deletes nothing and resolves nothing as deleted", async () => {
    const db = fresh();
    await reconcile(db, snapshotOf([bucket("a", { logging: false }), bucket("b", { logging: false })]), DAY1);
    const outcome = await reconcile(db, snapshotOf([bucket("a", { logging: false })], {}, null), DAY2);
    expect(outcome.persisted.transitions.deleted).toBe(0);
    expect(live(db)).toEqual(["arn:aws:s3:::a", "arn:aws:s3:::b"]);
    expect(db.prepare("SELECT status FROM findings WHERE resource_arn = 'arn:aws:s3:::b'").get()).toEqual({ status: "open" });
    expect(db.prepare("SELECT unseen FROM resources WHERE arn = 'arn:aws:s3:::b'").get()).toEqual({ unseen: 1 });
  });
});

describe("a persisted scan judges cross-account access as the plain scan does", () => {
  const PARTNER = "999988887777"; // configured in posture.config.yml, not in this snapshot
  const shared: Bucket = {
    ...bucket("shared"),
    policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${PARTNER}:root` }, Action: "s3:GetObject", Resource: "arn:aws:s3:::shared/*" }] },
  };
  const rules = catalog.rules.filter((r) => r.id === "s3-bucket-cross-account-policy");

  it.each<[string, string[], number]>([
    ["the configured partner account is trusted", [PARTNER], 0],
    ["an unknown account is not", [], 1],
  ])("%s", async (_name, configured, failing) => {
    const db = fresh();
    const source = { kind: "snapshot" as const, snapshot: snapshotOf([shared]) };
    const now = new Date(DAY2);
    const plain = await runScan({ rules, source, now, trustedAccounts: configured });
    const persisted = await runPersistedScan({
      rules, source, now, trustedAccounts: configured,
      state: {
        store: createSqliteStateStore(db), lock: createScanLock(db), holder: { holder: "h", pid: 1, host: "here" }, clock: () => now, newScanId: () => "scan-1",
        trigger: "test", ownership, teams, securityChannel: "#security", retentionDays: 90,
      },
    });
    expect(plain.report.findings).toHaveLength(failing);
    expect(persisted.report.findings).toEqual(plain.report.findings);
    expect(db.prepare("SELECT COUNT(*) AS n FROM findings").get()).toEqual({ n: failing });
  });
});
