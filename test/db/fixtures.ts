import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { reconcileScan, type ReconcileOutcome } from "../../src/app/reconcile-scan.js";
import type { TeamRecord } from "../../src/app/state-ports.js";
import { namedChecks } from "../../src/core/checks/index.js";
import { parseCatalog } from "../../src/core/catalog.js";
import type { OwnershipPolicy } from "../../src/core/ownership.js";
import { SNAPSHOT_SCHEMA_VERSION, type AccountCoverage, type Bucket, type ResourceType, type Snapshot } from "../../src/core/snapshot.js";
import { openDatabase, type Db } from "../../src/db/open.js";
import { createSqliteStateStore } from "../../src/db/state-store.js";

/** A real SQLite file in a fresh temp folder, all migrations applied. */
export function tempDb(): { db: Db; path: string; dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "posture-db-"));
  const path = join(dir, "nested", "posture.db");
  const { db } = openDatabase(path);
  return { db, path, dir, cleanup: () => { if (db.open) db.close(); rmSync(dir, { recursive: true, force: true }); } };
}

const frameworks = `frameworks:
  fw-a: { name: Framework A, version: "1", controls: { "1": "Control one" } }
  fw-b: { name: Framework B, version: "1", controls: { "1": "Control one" } }
`;

function ruleFile(id: string, severity: string, check: string, fw: string, pass: string, fail: string) {
  return {
    path: `rules/s3/${id}.yaml`,
    text: `id: ${id}
title: Title of ${id}
severity: ${severity}
resource: aws:s3:bucket
description: A description long enough.
risk: A risk long enough.
check: ${check}
compliance: { ${fw}: ["1"] }
remediation: { console: "Console steps here", cli: "aws cli", terraform: "terraform", references: ["https://docs.aws.amazon.com/"] }
tests:
  - { name: passes, expect: pass, resource: ${pass} }
  - { name: fails, expect: fail, resource: ${fail} }
`,
  };
}

/** Three bucket rules: versioning (critical, fw-a), logging (high, fw-a), encryption (low, fw-b). */
/** A factory of temp databases for a test file: each is closed and removed after its test. */
export function tempDbsPerTest(): () => Db {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((fn) => fn()));
  return () => {
    const t = tempDb();
    cleanups.push(t.cleanup);
    return t.db;
  };
}

export const catalog = parseCatalog({
  frameworks: { path: "rules/frameworks.yaml", text: frameworks },
  rules: [
    ruleFile("versioning", "critical", "{ path: versioning.status, equals: Enabled }", "fw-a",
      "{ versioning: { status: Enabled, mfaDelete: Disabled } }", "{ versioning: { status: Suspended, mfaDelete: Disabled } }"),
    ruleFile("logging", "high", "{ path: logging, exists: true }", "fw-a",
      "{ logging: { targetBucket: logs, targetPrefix: x } }", "{ logging: null }"),
    ruleFile("encryption", "low", "{ path: encryption, exists: true }", "fw-b",
      "{ encryption: { rules: [{ algorithm: AES256, bucketKeyEnabled: false }] } }", "{ encryption: null }"),
  ],
  checks: namedChecks,
  fixers: new Set(),
});

export interface BucketSpec {
  versioning?: boolean | "unknown";
  logging?: boolean;
  encryption?: boolean;
  tags?: Record<string, string>;
  account?: string;
}

export const ACCOUNT = "111122223333";

export function bucket(name: string, spec: BucketSpec = {}): Bucket {
  const arn = `arn:aws:s3:::${name}`;
  return {
    type: "aws:s3:bucket", arn, name, accountId: spec.account ?? ACCOUNT, region: "eu-west-1",
    tags: spec.tags ?? {},
    versioning: spec.versioning === "unknown" ? { $unknown: "AccessDenied: s3:GetBucketVersioning" } : { status: spec.versioning === false ? "Suspended" : "Enabled", mfaDelete: "Disabled" },
    logging: spec.logging === false ? null : { targetBucket: "logs", targetPrefix: `${name}/` },
    encryption: spec.encryption === false ? null : { rules: [{ algorithm: "AES256", bucketKeyEnabled: false }] },
  };
}

/**
 * A snapshot of these buckets; every account "ok" unless listed. An "ok" account declares the complete
 * inventories `complete` (default: its buckets; `null`: none declared, a snapshot from before `resourceTypes`).
 */
export function snapshotOf(buckets: Bucket[], accounts: Partial<Record<string, AccountCoverage["status"]>> = {}, complete: ResourceType[] | null = ["aws:s3:bucket"]): Snapshot {
  const ids = new Set([ACCOUNT, ...buckets.map((b) => b.accountId), ...Object.keys(accounts)]);
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION, collectedAt: "2026-11-02T07:00:00.000Z",
    accounts: [...ids].map((accountId) => {
      const status = accounts[accountId] ?? "ok";
      const coverage: AccountCoverage = { accountId, regions: ["eu-west-1"], status, startedAt: "2026-11-02T07:00:00.000Z", finishedAt: "2026-11-02T07:00:00.000Z", apiCalls: {}, errors: [] };
      if (status === "ok" && complete !== null) coverage.resourceTypes = [...complete];
      return coverage;
    }),
    resources: buckets,
  };
}

export const teams: TeamRecord[] = [
  { handle: "payments", channel: "#payments", members: ["U0PAYMENTS1"] },
  { handle: "data", channel: "#data", members: [] },
];
export const ownership: OwnershipPolicy = {
  tagKeys: ["team", "owner"],
  teams: [
    { handle: "payments", channel: "#payments", match: { tags: ["pay"], accounts: [], arns: [], names: ["pay-*"] } },
    { handle: "data", channel: "#data", match: { tags: [], accounts: ["444455556666"], arns: [], names: ["data-*"] } },
  ],
};

/** Reconciles a snapshot through the real use case and the SQLite store. */
export function reconcile(db: Db, snapshot: Snapshot, at: string, scanId = `scan-${at}`, ruleScope: "all" | "subset" = "all"): Promise<ReconcileOutcome> {
  return reconcileScan(createSqliteStateStore(db), {
    scanId, trigger: "test", rules: catalog.rules, ruleScope, snapshot, startedAt: new Date(at), now: new Date(at),
    ownership, teams, securityChannel: "#security",
  });
}
