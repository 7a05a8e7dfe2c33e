import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FixRun } from "../../src/app/fix-ports.js";
import { createFixRunStore, recoverInterruptedFixRuns } from "../../src/db/fix-runs-repo.js";
import { openDatabase, type Db } from "../../src/db/open.js";

const ARN = "arn:aws:s3:::shared-reports";

function seedFinding(db: Db): void {
  db.prepare(`INSERT INTO resources (arn, type, account_id, region, name, tags, team, owner_reason, first_seen, last_seen, last_scan_id)
    VALUES (?, 'aws:s3:bucket', '123456789012', 'us-east-1', 'shared-reports', NULL, 'reporting', 'tag team=reporting', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'scan-1')`).run(ARN);
  db.prepare(`INSERT INTO findings (id, rule_id, resource_arn, account_id, resource_type, resource_name, region, team, owner_reason, severity, severity_rank,
    status, last_result, first_seen, last_seen, opened_at, evidence, qualifiers, rule_version, last_scan_id)
    VALUES (42, 's3-bucket-public-policy', ?, '123456789012', 'aws:s3:bucket', 'shared-reports', 'us-east-1', 'reporting', 'tag team=reporting', 'critical', 0,
    'open', 'fail', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '[]', '[]', 'v1', 'scan-1')`).run(ARN);
}

const run = (id: string, state: FixRun["state"] = "previewed"): FixRun => ({
  id, fixerId: "s3-bucket-policy-remove-public-statements", ruleId: "s3-bucket-public-policy", findingId: 42,
  target: { arn: ARN, type: "aws:s3:bucket", accountId: "123456789012", region: "us-east-1", name: "shared-reports" },
  team: "reporting", requestedBy: "U0123ABCD", state,
  preview: {
    fixerId: "s3-bucket-policy-remove-public-statements", ruleId: "s3-bucket-public-policy", summary: "Remove 1 public statement",
    before: '{\n "Statement": []\n}', after: null, calls: [{ service: "s3", operation: "DeleteBucketPolicy", params: { Bucket: "shared-reports" } }],
    notes: [], beforeHash: "abc",
  },
  previous: '{\n "Statement": []\n}', next: null, createdAt: "2026-01-15T12:00:00.000Z", appliedBy: null, appliedAt: null,
  verification: null, error: null, undoUntil: null, undoneBy: null, undoneAt: null,
});

describe("fix_runs on SQLite", () => {
  let dir: string;
  let path: string;
  const open: Db[] = [];
  const connect = () => {
    const { db } = openDatabase(path);
    open.push(db);
    return db;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "posture-fix-runs-"));
    path = join(dir, "posture.db");
    seedFinding(connect());
  });
  afterEach(() => {
    open.splice(0).forEach((db) => db.close());
    rmSync(dir, { recursive: true, force: true });
  });

  it("stores a run and reads it back exactly (the previous configuration's bytes included)", async () => {
    const store = createFixRunStore(connect());
    await store.insert(run("run-1"));
    expect(await store.get("run-1")).toEqual(run("run-1"));
    await store.update("run-1", { state: "failed", error: { code: "AccessDenied", message: "Access Denied" } });
    expect(await store.get("run-1")).toMatchObject({ state: "failed", error: { code: "AccessDenied" } });
  });

  it("refuses a second busy run on the same resource, even from another connection", async () => {
    const a = createFixRunStore(connect());
    const b = createFixRunStore(connect());
    await a.insert(run("run-1"));
    await a.insert(run("run-2"));
    expect(await a.claim("run-1", ["previewed"], "applying", { appliedBy: "U0123ABCD" })).toBe(true);
    expect(await b.claim("run-2", ["previewed"], "applying", {})).toMatchObject({ id: "run-1", state: "applying" });
    expect(await b.claim("run-1", ["previewed"], "applying", {})).toBe(false);
    await a.update("run-1", { state: "applied" });
    expect(await b.claim("run-2", ["previewed"], "applying", {})).toBe(true);
  });

  it("enforces one busy run per resource in the schema itself", () => {
    const db = connect();
    const store = createFixRunStore(db);
    return (async () => {
      await store.insert(run("run-1", "applying"));
      await expect(store.insert(run("run-2", "undoing"))).rejects.toThrow(/UNIQUE/);
    })();
  });

  it("marks runs a stopped process left applying as failed and audits it, so the resource is not blocked forever", async () => {
    const db = connect();
    const store = createFixRunStore(db);
    await store.insert(run("run-7", "applying"));
    await store.insert(run("run-8", "applied"));
    const recovered = recoverInterruptedFixRuns(db, "2026-01-15T13:00:00.000Z");
    expect(recovered.map((r) => r.id)).toEqual(["run-7"]);
    expect(await store.get("run-7")).toMatchObject({ state: "failed", error: { code: "Interrupted" } });
    expect(await store.get("run-8")).toMatchObject({ state: "applied" });
    const audit = db.prepare("SELECT action, finding_id FROM audit_log WHERE action = 'fix.interrupted'").all();
    expect(audit).toEqual([{ action: "fix.interrupted", finding_id: 42 }]);
    await store.insert(run("run-9", "applying"));
    expect(await store.get("run-9")).toMatchObject({ state: "applying" });
  });
});
