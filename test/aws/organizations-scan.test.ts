import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { snapshotSchema } from "../../src/core/snapshot.js";
import { loadCoverage } from "../../src/db/coverage-queries.js";
import { runScan } from "../../src/scan-worker.js";
import { tempDbsPerTest } from "../db/fixtures.js";
import { accountCalls, assumeRoleDenied, assumeRoleSucceeds, BASE_KEY, DATA, JSON_11, keyOf, listAccounts, listAccountsFails, member, ORGANIZATIONS, organizations, PROD, rootMfaCatalog, SANDBOX, XML } from "./fake-organizations.js";
import { queryBody, reads, setUpNock, STS, tearDownNock, testCollector, testConfig } from "./nock-aws.js";


beforeEach(setUpNock);
afterEach(tearDownNock);

describe("accounts discovered from AWS Organizations at collection time", () => {
  it("scans every ACTIVE account across ListAccounts pages; an explicit entry wins over the discovered one", async () => {
    const config = testConfig({ accounts: [{ id: PROD, name: "prod-explicit" }], organizations });
    listAccounts([[member(PROD, "prod"), member("555555555555", "closed", "SUSPENDED")], [member(DATA, "data")]]);
    // The explicit PROD entry has no roleArn: the base identity scans it, no AssumeRole into PostureScanner.
    accountCalls(PROD, BASE_KEY, 1);
    assumeRoleSucceeds(DATA);
    accountCalls(DATA, keyOf(DATA), 1);

    const snapshot = await testCollector(config).collect({ reads: reads({ "aws:iam:account": ["summary"] }) });

    expect(snapshotSchema.safeParse(snapshot).success).toBe(true);
    expect(snapshot.accounts.map((a) => [a.accountId, a.name, a.status])).toEqual([[PROD, "prod-explicit", "ok"], [DATA, "data", "ok"]]);
    expect(snapshot.resources.map((r) => r.accountId).sort()).toEqual([PROD, DATA]);
  });

  it("a discovery failure is a coded, failed coverage entry, and the explicit accounts still scan", async () => {
    const config = testConfig({ accounts: [{ id: PROD, name: "prod" }], organizations });
    listAccountsFails("AccessDeniedException", "You don't have permissions to access this resource.");
    accountCalls(PROD, BASE_KEY, 1);

    const snapshot = await testCollector(config).collect({ reads: reads({ "aws:iam:account": ["summary"] }) });

    expect(snapshotSchema.safeParse(snapshot).success).toBe(true);
    expect(snapshot.accounts).toEqual([
      expect.objectContaining({
        accountId: "organizations", status: "failed", resourceTypes: [],
        errors: [expect.objectContaining({ service: "organizations", operation: "ListAccounts", code: "POSTURE_ORGANIZATIONS_DENIED", message: expect.stringContaining("management account or of a delegated administrator") })],
      }),
      expect.objectContaining({ accountId: PROD, status: "ok" }),
    ]);
  });

  it("with no explicit accounts, an account outside any organization scans nothing (not its own account) and says why", async () => {
    const config = testConfig({ accounts: [], organizations });
    listAccountsFails("AWSOrganizationsNotInUseException", "Your account is not a member of an organization.");
    const snapshot = await testCollector(config).collect({ reads: reads({ "aws:iam:account": ["summary"] }) });
    expect(snapshot.resources).toEqual([]);
    expect(snapshot.accounts).toEqual([expect.objectContaining({
      accountId: "organizations", status: "failed", apiCalls: { "organizations:ListAccounts": 1 },
      errors: [expect.objectContaining({ code: "POSTURE_ORGANIZATIONS_NOT_IN_USE", message: expect.stringContaining("posture.config.yml under accounts") })],
    })]);
  });

  it("assumes managementRoleArn for ListAccounts when the base identity is elsewhere", async () => {
    const config = testConfig({ accounts: [], organizations: { ...organizations, managementRoleArn: "arn:aws:iam::111111111111:role/PostureOrganizationsReader" } });
    nock(STS).post("/", queryBody("AssumeRole", { RoleArn: "arn:aws:iam::111111111111:role/PostureOrganizationsReader", RoleSessionName: "posture-discovery" }))
      .reply(200, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAREADER</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::111111111111:assumed-role/PostureOrganizationsReader/posture-discovery</Arn><AssumedRoleId>AROAREADER:posture-discovery</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>`, XML);
    nock(ORGANIZATIONS).matchHeader("authorization", (v: string) => v.includes("Credential=ASIAREADER/")).post("/")
      .reply(200, { Accounts: [member(DATA, "data")] }, JSON_11);
    assumeRoleSucceeds(DATA);
    accountCalls(DATA, keyOf(DATA), 1);

    const snapshot = await testCollector(config).collect({ reads: reads({ "aws:iam:account": ["summary"] }) });
    expect(snapshot.accounts.map((a) => [a.accountId, a.status])).toEqual([[DATA, "ok"]]);
  });

  it("a requested account is looked up among the discovered ones", async () => {
    const config = testConfig({ accounts: [{ id: PROD }], organizations });
    listAccounts([[member(PROD, "prod"), member(DATA, "data")]]);
    assumeRoleSucceeds(DATA);
    accountCalls(DATA, keyOf(DATA), 1);
    const snapshot = await testCollector(config).collect({ reads: reads({ "aws:iam:account": ["summary"] }), accounts: [DATA] });
    expect(snapshot.accounts.map((a) => a.accountId)).toEqual([DATA]);
  });
});

describe("a persisted scan over discovered accounts where one AssumeRole is denied", () => {
  const newDb = tempDbsPerTest();
  const catalog = rootMfaCatalog;
  const config = testConfig({ accounts: [], organizations });
  const scan = (db: ReturnType<typeof newDb>, id: string, at: string) => runScan(
    db, { kind: "collector", collector: testCollector(config, { now: () => new Date(at) }) },
    { config, rules: catalog.rules, trigger: "test", scanId: id, holder: { holder: id, pid: 1, host: "test" }, now: new Date(at) },
    () => new Date(at),
  );
  const everyone = [member(PROD, "prod"), member(DATA, "data"), member(SANDBOX, "sandbox")];

  it("evaluates the other two, reports the failed one in coverage, and deletes or resolves nothing of it", async () => {
    const db = newDb();
    listAccounts([everyone]);
    for (const account of [PROD, DATA, SANDBOX]) {
      assumeRoleSucceeds(account);
      accountCalls(account, keyOf(account), 0);
    }
    const first = await scan(db, "scan-1", "2026-11-02T07:00:00.000Z");
    expect(first.persisted.transitions.new).toBe(3);

    listAccounts([everyone]);
    for (const account of [PROD, DATA]) {
      assumeRoleSucceeds(account);
      accountCalls(account, keyOf(account), 1);
    }
    assumeRoleDenied(SANDBOX);
    const second = await scan(db, "scan-2", "2026-11-02T08:00:00.000Z");

    expect(second.persisted.transitions.resolved).toBe(2);
    const findings = db.prepare("SELECT account_id, status FROM findings ORDER BY account_id").all();
    expect(findings).toEqual([{ account_id: PROD, status: "resolved" }, { account_id: DATA, status: "resolved" }, { account_id: SANDBOX, status: "open" }]);
    const live = db.prepare("SELECT account_id FROM resources WHERE deleted_at IS NULL ORDER BY account_id").pluck().all();
    expect(live).toEqual([PROD, DATA, SANDBOX]);
    expect(db.prepare("SELECT status FROM scans WHERE id = 'scan-2'").pluck().get()).toBe("partial");

    const coverage = loadCoverage(db);
    expect(coverage).toMatchObject({ scanId: "scan-2", total: 3, complete: 2, discovery: null });
    expect(coverage!.incomplete).toEqual([{
      accountId: SANDBOX, name: "sandbox", status: "failed", error: expect.stringMatching(/^AccessDenied: .*not authorized to perform: sts:AssumeRole/),
    }]);
  });
});
