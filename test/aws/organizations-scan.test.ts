import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { namedChecks } from "../../src/core/checks/index.js";
import { parseCatalog } from "../../src/core/catalog.js";
import { snapshotSchema } from "../../src/core/snapshot.js";
import { loadCoverage } from "../../src/db/coverage-queries.js";
import { runScan } from "../../src/scan-worker.js";
import { tempDbsPerTest } from "../db/fixtures.js";
import { IAM, STS, queryBody, reads, setUpNock, tearDownNock, testCollector, testConfig } from "./nock-aws.js";

// Organizations speaks AWS JSON 1.1 (POST / with the operation in X-Amz-Target); STS and IAM the query
// protocol. Each account's requests are told apart by the access key in their SigV4 Authorization header.
const ORGANIZATIONS = "https://organizations.us-east-1.amazonaws.com";
const JSON_11 = { "content-type": "application/x-amz-json-1.1" };
const XML = { "content-type": "text/xml" };
const BASE_KEY = "AKIDEXAMPLE";
const PROD = "222222222222";
const DATA = "333333333333";
const SANDBOX = "444444444444";
const keyOf = (account: string) => `ASIA${account}`;

function member(id: string, name: string, state = "ACTIVE") {
  return { Id: id, Arn: `arn:aws:organizations::111111111111:account/o-exampleorgid/${id}`, Email: `${name}@example.com`, Name: name, State: state, Status: state, JoinedMethod: "INVITED", JoinedTimestamp: 1.7e9 };
}

/** ListAccounts with the base identity's key, answering `pages` in order (NextToken "page-2", ...). */
function listAccounts(pages: ReturnType<typeof member>[][]) {
  pages.forEach((accounts, i) => {
    nock(ORGANIZATIONS, { reqheaders: { "x-amz-target": "AWSOrganizationsV20161128.ListAccounts" } })
      .matchHeader("authorization", (v: string) => v.includes(`Credential=${BASE_KEY}/`))
      .post("/", (body: Record<string, unknown>) => body.NextToken === (i === 0 ? undefined : `page-${i + 1}`))
      .reply(200, { Accounts: accounts, ...(i < pages.length - 1 ? { NextToken: `page-${i + 2}` } : {}) }, JSON_11);
  });
}

function assumeRole(account: string, role = "PostureScanner") {
  return nock(STS).post("/", queryBody("AssumeRole", { RoleArn: `arn:aws:iam::${account}:role/${role}`, ExternalId: "posture-org" }));
}

function assumeRoleSucceeds(account: string) {
  assumeRole(account).reply(200, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>
<AccessKeyId>${keyOf(account)}</AccessKeyId><SecretAccessKey>secret-${account}</SecretAccessKey><SessionToken>token-${account}</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>
</Credentials><AssumedRoleUser><Arn>arn:aws:sts::${account}:assumed-role/PostureScanner/posture-scan</Arn><AssumedRoleId>AROAEXAMPLE:posture-scan</AssumedRoleId></AssumedRoleUser>
</AssumeRoleResult><ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata></AssumeRoleResponse>`, XML);
}

function assumeRoleDenied(account: string) {
  assumeRole(account).reply(403, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::111111111111:user/posture is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${account}:role/PostureScanner</Message></Error>
  <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c8</RequestId>
</ErrorResponse>`, XML);
}

/** GetCallerIdentity and GetAccountSummary signed with `key`, answering as `account`. */
function accountCalls(account: string, key: string, mfaEnabled: 0 | 1) {
  const signedBy = (v: string) => v.includes(`Credential=${key}/`);
  nock(STS).matchHeader("authorization", signedBy).post("/", queryBody("GetCallerIdentity")).reply(200, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult><Arn>arn:aws:sts::${account}:assumed-role/PostureScanner/posture-scan</Arn><UserId>AROAEXAMPLE:posture-scan</UserId><Account>${account}</Account></GetCallerIdentityResult>
  <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`, XML);
  nock(IAM).matchHeader("authorization", signedBy).post("/", queryBody("GetAccountSummary")).reply(200, `<GetAccountSummaryResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <GetAccountSummaryResult><SummaryMap><entry><key>AccountMFAEnabled</key><value>${mfaEnabled}</value></entry><entry><key>Users</key><value>2</value></entry></SummaryMap></GetAccountSummaryResult>
  <ResponseMetadata><RequestId>92e79ae7-7399-11e4-8c85-4b53eEXAMPLE</RequestId></ResponseMetadata>
</GetAccountSummaryResponse>`, XML);
}

const organizations = { enabled: true, externalId: "posture-org" };

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
    nock(ORGANIZATIONS).post("/").reply(400, JSON.stringify({ __type: "AccessDeniedException", Message: "You don't have permissions to access this resource." }), JSON_11);
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
    nock(ORGANIZATIONS).post("/").reply(400, JSON.stringify({ __type: "AWSOrganizationsNotInUseException", Message: "Your account is not a member of an organization." }), JSON_11);
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
  const catalog = parseCatalog({
    frameworks: { path: "rules/frameworks.yaml", text: 'frameworks:\n  fw: { name: Framework, version: "1", controls: { "1": "Control one" } }\n' },
    rules: [{
      path: "rules/iam/root-mfa.yaml",
      text: `id: root-mfa
title: Root user has MFA
severity: critical
resource: aws:iam:account
description: A description long enough.
risk: A risk long enough.
check: { path: summary.AccountMFAEnabled, equals: 1 }
compliance: { fw: ["1"] }
remediation: { console: "Console steps here", cli: "aws cli", terraform: "terraform", references: ["https://docs.aws.amazon.com/"] }
tests:
  - { name: on, expect: pass, resource: { summary: { AccountMFAEnabled: 1 } } }
  - { name: off, expect: fail, resource: { summary: { AccountMFAEnabled: 0 } } }
`,
    }],
    checks: namedChecks,
    fixers: new Set(),
  });
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
