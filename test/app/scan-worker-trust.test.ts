import { describe, expect, it } from "vitest";
import type { Bucket, Snapshot } from "../../src/core/snapshot.js";
import { loadCatalog } from "../../src/rules-files.js";
import { runScan } from "../../src/scan-worker.js";
import { testConfig } from "../aws/nock-aws.js";
import { ACCOUNT, bucket, snapshotOf, tempDbsPerTest } from "../db/fixtures.js";

const catalog = loadCatalog();
const SIBLING = "444444444444"; // an account of the organisation, discovered by an earlier scan, not configured
const STRANGER = "999988887777";
const newDb = tempDbsPerTest();

const grantingTo = (name: string, account: string): Bucket => ({
  ...bucket(name),
  policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${name}/*` }] },
});

describe("the scan worker trusts every account of the latest scans", () => {
  const config = testConfig({
    accounts: [{ id: ACCOUNT }],
    rules: { disabled: catalog.rules.map((r) => r.id).filter((id) => id !== "s3-bucket-cross-account-policy") },
  });
  const scan = (db: ReturnType<typeof newDb>, snapshot: Snapshot, id: string, accounts?: string[]) => runScan(
    db, { kind: "collector", collector: { collect: async () => snapshot }, ...(accounts ? { accounts } : {}) },
    { config, rules: catalog.rules, trigger: "test", scanId: id, holder: { holder: id, pid: 1, host: "test" }, now: new Date("2026-11-02T08:00:00Z") },
    () => new Date("2026-11-02T08:00:00Z"),
  );

  it("a scan of one account does not call a grant to a sibling account cross-account; a stranger still is", async () => {
    const db = newDb();
    await scan(db, snapshotOf([], { [SIBLING]: "ok" }), "full-1");
    const one = snapshotOf([grantingTo("to-sibling", SIBLING), grantingTo("to-stranger", STRANGER)]);
    await scan(db, one, "targeted-2", [ACCOUNT]);
    const failing = db.prepare("SELECT resource_name FROM findings WHERE rule_id = 's3-bucket-cross-account-policy' AND status = 'open'").pluck().all();
    expect(failing).toEqual(["to-stranger"]);
    expect(db.prepare("SELECT trigger FROM scans WHERE id = 'targeted-2'").pluck().get()).toBe(`test accounts=${ACCOUNT}`);
  });
});
