import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Config } from "../../src/config.js";
import { RESOLVED_ACCOUNT_LEFT } from "../../src/core/findings.js";
import type { Db } from "../../src/db/open.js";
import { loadScore } from "../../src/db/score-queries.js";
import { runScan } from "../../src/scan-worker.js";
import { tempDbsPerTest } from "../db/fixtures.js";
import { accountCalls, assumeRoleSucceeds, BASE_KEY, DATA, keyOf, listAccounts as listAccountPages, listAccountsDenied, member, organizations, PROD, rootMfaCatalog, SANDBOX } from "./fake-organizations.js";
import { reads, setUpNock, tearDownNock, testCollector, testConfig } from "./nock-aws.js";

const listAccounts = (accounts: ReturnType<typeof member>[]) => listAccountPages([accounts]);

/** AssumeRole into the account (unless it is scanned with the base key), GetCallerIdentity and GetAccountSummary. */
function accountScanned(account: string, key = keyOf(account)) {
  if (key !== BASE_KEY) assumeRoleSucceeds(account);
  accountCalls(account, key, 0);
}

const catalog = rootMfaCatalog;

const newDb = tempDbsPerTest();

function scan(db: Db, config: Config, id: string, at: string, accounts?: string[]) {
  return runScan(
    db, { kind: "collector", collector: testCollector(config, { now: () => new Date(at) }), ...(accounts ? { accounts } : {}) },
    { config, rules: catalog.rules, trigger: "test", scanId: id, holder: { holder: id, pid: 1, host: "test" }, now: new Date(at) },
    () => new Date(at),
  );
}

const findingsOf = (db: Db) => db.prepare("SELECT account_id, status, resolved_reason FROM findings ORDER BY account_id").all();
const liveAccounts = (db: Db) => db.prepare("SELECT account_id FROM resources WHERE deleted_at IS NULL ORDER BY account_id").pluck().all();
const openAll = (account: string) => ({ account_id: account, status: "open", resolved_reason: null });

beforeEach(setUpNock);
afterEach(tearDownNock);

describe("an account that leaves the organisation is retired by the next full scan", () => {
  const config = testConfig({ accounts: [], organizations });
  const everyone = [member(PROD, "prod"), member(DATA, "data"), member(SANDBOX, "sandbox")];

  async function scanEveryone(db: Db) {
    listAccounts(everyone);
    [PROD, DATA, SANDBOX].forEach((account) => accountScanned(account));
    expect((await scan(db, config, "scan-1", "2026-11-02T07:00:00.000Z")).persisted.transitions.new).toBe(3);
  }

  it("a closed (SUSPENDED) account: its findings resolve with the reason, its resources leave the inventory and the score, audited", async () => {
    const db = newDb();
    await scanEveryone(db);
    expect(loadScore(db, "org", new Date("2026-11-02T09:00:00.000Z")).tally.critical).toEqual({ pass: 0, fail: 3 });

    listAccounts([member(PROD, "prod"), member(DATA, "data"), member(SANDBOX, "sandbox", "SUSPENDED")]);
    [PROD, DATA].forEach((account) => accountScanned(account));
    const second = await scan(db, config, "scan-2", "2026-11-02T08:00:00.000Z");

    expect(second.persisted.transitions.resolved).toBe(1);
    expect(findingsOf(db)).toEqual([openAll(PROD), openAll(DATA), { account_id: SANDBOX, status: "resolved", resolved_reason: RESOLVED_ACCOUNT_LEFT }]);
    expect(liveAccounts(db)).toEqual([PROD, DATA]);
    expect(db.prepare("SELECT account_id FROM account_latest ORDER BY account_id").pluck().all()).toEqual([PROD, DATA]);
    expect(loadScore(db, "org", new Date("2026-11-02T09:00:00.000Z")).tally.critical).toEqual({ pass: 0, fail: 2 });
    const audit = db.prepare("SELECT action, details FROM audit_log WHERE scan_id = 'scan-2' AND action IN ('scan.accounts_retired', 'finding.resolved') ORDER BY id").all() as { action: string; details: string }[];
    expect(audit.map((a) => [a.action, JSON.parse(a.details)])).toEqual([
      ["finding.resolved", expect.objectContaining({ reason: RESOLVED_ACCOUNT_LEFT })],
      ["scan.accounts_retired", { reason: RESOLVED_ACCOUNT_LEFT, accounts: [SANDBOX], resourcesRemoved: 1, findingsResolved: { [SANDBOX]: 1 } }],
    ]);
  });

  it("an account newly listed in organizations.exclude is retired the same way", async () => {
    const db = newDb();
    await scanEveryone(db);
    listAccounts(everyone);
    [PROD, SANDBOX].forEach((account) => accountScanned(account));
    await scan(db, testConfig({ accounts: [], organizations: { ...organizations, exclude: [DATA] } }), "scan-2", "2026-11-02T08:00:00.000Z");
    expect(findingsOf(db)).toEqual([openAll(PROD), { account_id: DATA, status: "resolved", resolved_reason: RESOLVED_ACCOUNT_LEFT }, openAll(SANDBOX)]);
    expect(liveAccounts(db)).toEqual([PROD, SANDBOX]);
  });

  it("a failed discovery retires nothing (the explicit accounts still scan)", async () => {
    const db = newDb();
    await scanEveryone(db);
    listAccountsDenied();
    accountScanned(PROD, BASE_KEY);
    await scan(db, testConfig({ accounts: [{ id: PROD }], organizations }), "scan-2", "2026-11-02T08:00:00.000Z");
    expect(findingsOf(db)).toEqual([openAll(PROD), openAll(DATA), openAll(SANDBOX)]);
    expect(liveAccounts(db)).toEqual([PROD, DATA, SANDBOX]);
    expect(db.prepare("SELECT count(*) FROM audit_log WHERE action = 'scan.accounts_retired'").pluck().get()).toBe(0);
  });

  it("a scan of one chosen account retires nothing", async () => {
    const db = newDb();
    await scanEveryone(db);
    listAccounts(everyone);
    accountScanned(PROD);
    await scan(db, config, "scan-2", "2026-11-02T08:00:00.000Z", [PROD]);
    expect(findingsOf(db)).toEqual([openAll(PROD), openAll(DATA), openAll(SANDBOX)]);
    expect(liveAccounts(db)).toEqual([PROD, DATA, SANDBOX]);
  });

  it("an explicitly configured account is never retired, even when Organizations no longer lists it", async () => {
    const db = newDb();
    await scanEveryone(db);
    listAccounts([member(PROD, "prod"), member(SANDBOX, "sandbox")]);
    [PROD, SANDBOX].forEach((account) => accountScanned(account));
    accountScanned(DATA, BASE_KEY);
    await scan(db, testConfig({ accounts: [{ id: DATA }], organizations }), "scan-2", "2026-11-02T08:00:00.000Z");
    expect(findingsOf(db)).toEqual([openAll(PROD), openAll(DATA), openAll(SANDBOX)]);
    expect(liveAccounts(db)).toEqual([PROD, DATA, SANDBOX]);
  });
});

describe("with discovery off, an account removed from accounts: is retired by the next full scan", () => {
  const explicit = (id: string) => ({ id, roleArn: `arn:aws:iam::${id}:role/PostureScanner`, externalId: "posture-org" });

  it("resolves its findings and drops its resources; a snapshot scan of a subset retires nothing", async () => {
    const db = newDb();
    [PROD, DATA].forEach((account) => accountScanned(account));
    await scan(db, testConfig({ accounts: [explicit(PROD), explicit(DATA)] }), "scan-1", "2026-11-02T07:00:00.000Z");

    const snapshotOfProd = await (async () => {
      accountScanned(PROD);
      return testCollector(testConfig({ accounts: [explicit(PROD)] })).collect({ reads: reads({ "aws:iam:account": ["summary"] }) });
    })();
    await runScan(db, { kind: "snapshot", snapshot: snapshotOfProd }, {
      config: testConfig({ accounts: [explicit(PROD)] }), rules: catalog.rules, trigger: "test", scanId: "scan-file", holder: { holder: "f", pid: 1, host: "test" }, now: new Date("2026-11-02T07:30:00.000Z"),
    }, () => new Date("2026-11-02T07:30:00.000Z"));
    expect(findingsOf(db)).toEqual([openAll(PROD), openAll(DATA)]);

    accountScanned(PROD);
    await scan(db, testConfig({ accounts: [explicit(PROD)] }), "scan-2", "2026-11-02T08:00:00.000Z");
    expect(findingsOf(db)).toEqual([openAll(PROD), { account_id: DATA, status: "resolved", resolved_reason: RESOLVED_ACCOUNT_LEFT }]);
    expect(liveAccounts(db)).toEqual([PROD]);
  });
});
