import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { snapshotSchema } from "../../src/core/snapshot.js";
import { ACCOUNT, STS, mockCallerIdentity, queryBody, reads, setUpNock, tearDownNock, testCollector, testConfig } from "./nock-aws.js";
import { ACCOUNT_SUMMARY } from "./fixtures-iam.js";

const OTHER = "210987654321";
const XML = { "content-type": "text/xml" };
const stsError = (code: string, message: string) => `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error>
  <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
</ErrorResponse>`;

describe("accounts", () => {
  beforeEach(setUpNock);
  afterEach(tearDownNock);

  it("reports a failing account as failed and still collects the other one", async () => {
    const config = testConfig({
      accounts: [
        { id: OTHER, name: "staging", roleArn: `arn:aws:iam::${OTHER}:role/PostureScanner`, externalId: "posture-ext-id" },
        { id: ACCOUNT, name: "prod" },
      ],
    });
    nock(STS).post("/", queryBody("AssumeRole", { RoleArn: `arn:aws:iam::${OTHER}:role/PostureScanner`, ExternalId: "posture-ext-id" }))
      .reply(403, stsError("AccessDenied", `User: arn:aws:iam::${ACCOUNT}:user/posture-scanner is not authorized to perform: sts:AssumeRole`), XML);
    mockCallerIdentity();
    nock("https://iam.amazonaws.com").post("/", queryBody("GetAccountSummary")).reply(200, ACCOUNT_SUMMARY, XML);

    const snapshot = await testCollector(config).collect({ reads: reads({ "aws:iam:account": ["summary"] }) });
    expect(snapshotSchema.safeParse(snapshot).success).toBe(true);
    expect(snapshot.accounts).toEqual([
      expect.objectContaining({ accountId: OTHER, name: "staging", status: "failed", errors: [expect.objectContaining({ operation: "GetCallerIdentity", code: "AccessDenied" })], resourceTypes: [] }),
      expect.objectContaining({ accountId: ACCOUNT, name: "prod", status: "ok", resourceTypes: ["aws:iam:account"] }),
    ]);
    expect(snapshot.resources.map((r) => r.accountId)).toEqual([ACCOUNT]);
  });

  it("fails an account whose credentials reach a different account than configured", async () => {
    mockCallerIdentity(OTHER);
    const snapshot = await testCollector(testConfig()).collect({ reads: reads({ "aws:iam:account": [] }) });
    expect(snapshot.resources).toEqual([]);
    expect(snapshot.accounts[0]).toMatchObject({
      accountId: ACCOUNT, status: "failed",
      errors: [{ code: "AccountMismatch", message: expect.stringContaining(`names account ${ACCOUNT}, but the credentials (or role) belong to account ${OTHER}`) }],
    });
  });

  it("scans the credentials' own account when none is configured, and honours the accounts filter", async () => {
    mockCallerIdentity();
    nock("https://iam.amazonaws.com").post("/", queryBody("GetAccountSummary")).reply(200, ACCOUNT_SUMMARY, XML);
    const snapshot = await testCollector(testConfig({ accounts: [] })).collect({ reads: reads({ "aws:iam:account": ["summary"] }) });
    expect(snapshot.accounts).toEqual([expect.objectContaining({ accountId: ACCOUNT, status: "ok" })]);

    const none = await testCollector(testConfig({ accounts: [{ id: OTHER }] })).collect({ reads: reads({ "aws:iam:account": [] }), accounts: [ACCOUNT] });
    expect(none.accounts).toEqual([]);
  });
});
