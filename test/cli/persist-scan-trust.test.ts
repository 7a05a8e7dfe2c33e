import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/context.js";
import { runScanWithState } from "../../src/cli/state/persist-scan.js";
import { loadConfig } from "../../src/config.js";
import type { Bucket, Snapshot } from "../../src/core/snapshot.js";
import { openDatabase } from "../../src/db/open.js";
import { loadCatalog } from "../../src/rules-files.js";
import { ACCOUNT, bucket, snapshotOf, tempDb } from "../db/fixtures.js";

const catalog = loadCatalog();

const SIBLING = "444444444444"; // an account of the organisation, seen by an earlier scan, not configured
const STRANGER = "999988887777";
const CONFIG = `accounts:\n  - { id: "${ACCOUNT}" }\nrules:\n  disabled: [${catalog.rules.map((r) => r.id).filter((id) => id !== "s3-bucket-cross-account-policy").join(", ")}]\n`;

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((fn) => fn()));

const grantingTo = (name: string, account: string): Bucket => ({
  ...bucket(name),
  policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${name}/*` }] },
});

describe("posture scan --account trusts what the scan worker trusts", () => {
  it("a grant to a sibling account of the latest scans is not cross-account; a stranger still is", async () => {
    const { dir, cleanup, db } = tempDb();
    db.close();
    cleanups.push(cleanup);
    writeFileSync(join(dir, "posture.config.yml"), CONFIG);
    const io: CliIo = { out: () => {}, err: () => {}, color: false, env: { POSTURE_DB_PATH: "posture.db" }, cwd: dir, clock: () => new Date("2026-11-02T09:00:00.000Z") };
    const config = loadConfig(io.env, { path: "posture.config.yml", text: CONFIG });
    const request = (snapshot: Snapshot, accounts?: string[]) => ({
      rules: catalog.rules, now: io.clock(), filters: { disabled: config.rules.disabled }, trustedAccounts: config.accounts.map((a) => a.id),
      source: { kind: "collector" as const, collector: { collect: async () => snapshot }, ...(accounts ? { accounts } : {}) },
    });

    await runScanWithState(request(snapshotOf([], { [SIBLING]: "ok" })), config, io);
    const outcome = await runScanWithState(request(snapshotOf([grantingTo("to-sibling", SIBLING), grantingTo("to-stranger", STRANGER)]), [ACCOUNT]), config, io, `cli accounts=${ACCOUNT}`);

    expect(outcome.report.findings.map((f) => f.resource.name)).toEqual(["to-stranger"]);
    const { db: check } = openDatabase(join(dir, "posture.db"));
    try {
      expect(check.prepare("SELECT resource_name FROM findings WHERE status = 'open'").pluck().all()).toEqual(["to-stranger"]);
    } finally {
      check.close();
    }
  });
});
