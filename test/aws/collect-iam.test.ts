import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { snapshotSchema, type IamUser, type Resource } from "../../src/core/snapshot.js";
import {
  ACCOUNT_SUMMARY, GAAD_PAGE_1, GAAD_PAGE_2, GET_CREDENTIAL_REPORT, PASSWORD_POLICY, SERVER_CERTIFICATES, generateReport, virtualMfaPage,
} from "./fixtures-iam.js";
import { ACCOUNT, IAM, iamError, mockCallerIdentity, queryBody, reads, setUpNock, tearDownNock, testCollector, testConfig } from "./nock-aws.js";

const XML = { "content-type": "text/xml" };
const ALL_IAM = reads({
  "aws:iam:user": ["credentials", "virtualMfaDevices", "groups"],
  "aws:iam:root-user": ["credentials", "accountSummary", "virtualMfaDevices"],
  "aws:iam:password-policy": ["policy"],
  "aws:iam:account": ["supportRoles", "summary"],
  "aws:iam:server-certificate": ["expiration"],
});

function mockIamAccount(passwordPolicy: () => nock.Scope) {
  nock(IAM)
    .post("/", queryBody("GetAccountAuthorizationDetails", { "Filter.member.1": "User", "Filter.member.5": "AWSManagedPolicy", Marker: null }))
    .reply(200, GAAD_PAGE_1, XML)
    .post("/", (body) => queryBody("GetAccountAuthorizationDetails")(body) && String(new URLSearchParams(body as Record<string, string>).get("Marker")).startsWith("EXAMPLEkakv"))
    .reply(200, GAAD_PAGE_2, XML)
    .post("/", queryBody("GenerateCredentialReport")).reply(200, generateReport("STARTED"), XML)
    .post("/", queryBody("GenerateCredentialReport")).reply(200, generateReport("INPROGRESS"), XML)
    .post("/", queryBody("GenerateCredentialReport")).reply(200, generateReport("COMPLETE"), XML)
    .post("/", queryBody("GetCredentialReport")).reply(200, GET_CREDENTIAL_REPORT, XML)
    .post("/", queryBody("GetAccountSummary")).reply(200, ACCOUNT_SUMMARY, XML)
    .post("/", queryBody("ListVirtualMFADevices", { Marker: null }))
    .reply(200, virtualMfaPage(true, `arn:aws:iam::${ACCOUNT}:mfa/root-account-mfa-device`, `arn:aws:iam::${ACCOUNT}:root`), XML)
    .post("/", queryBody("ListVirtualMFADevices", { Marker: "page2" }))
    .reply(200, virtualMfaPage(false, `arn:aws:iam::${ACCOUNT}:mfa/Alice`, `arn:aws:iam::${ACCOUNT}:user/Alice`), XML)
    .post("/", queryBody("ListServerCertificates")).reply(200, SERVER_CERTIFICATES, XML);
  passwordPolicy();
}

const byArn = (resources: Resource[], arn: string) => resources.find((r) => r.arn === arn);

describe("IAM collection against IAM's wire format", () => {
  beforeEach(setUpNock);
  afterEach(tearDownNock);

  it("collects every IAM resource in O(pages), decoding policies and parsing the credential report", async () => {
    mockCallerIdentity();
    mockIamAccount(() => nock(IAM).post("/", queryBody("GetAccountPasswordPolicy")).reply(200, PASSWORD_POLICY, XML));
    const sleeps: number[] = [];
    const snapshot = await testCollector(testConfig(), { sleep: async (ms) => void sleeps.push(ms), credentialReportPollMs: 100 }).collect({ reads: ALL_IAM });

    expect(snapshotSchema.safeParse(snapshot).success).toBe(true);
    const [account] = snapshot.accounts;
    expect(account).toMatchObject({ accountId: ACCOUNT, name: "prod", status: "ok", errors: [] });
    expect(account!.resourceTypes).toEqual([
      "aws:iam:user", "aws:iam:group", "aws:iam:role", "aws:iam:policy", "aws:iam:root-user", "aws:iam:password-policy", "aws:iam:account", "aws:iam:server-certificate",
    ]);
    expect(account!.apiCalls).toMatchObject({ "iam:GetAccountAuthorizationDetails": 2, "iam:GenerateCredentialReport": 3, "iam:ListVirtualMFADevices": 2, "sts:GetCallerIdentity": 1 });
    expect(sleeps).toEqual([100, 200]);

    const alice = byArn(snapshot.resources, `arn:aws:iam::${ACCOUNT}:user/Alice`) as IamUser;
    expect(alice.groups).toEqual([{ name: "Admins", arn: `arn:aws:iam::${ACCOUNT}:group/admins/Admins` }]);
    expect(alice.inlinePolicies[0]!.document).toEqual({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket"], Resource: "*" }] });
    expect(alice.tags).toEqual({ team: "payments" });
    expect(alice.virtualMfaDevices).toEqual([`arn:aws:iam::${ACCOUNT}:mfa/Alice`]);
    expect(alice.credentials).toMatchObject({
      passwordEnabled: true, passwordLastUsed: null, mfaActive: false, reportGeneratedAt: "2026-01-15T11:00:00.000Z",
      accessKeys: [
        { slot: 1, active: true, lastRotated: "2024-01-10T08:00:00.000Z", lastUsedDate: null, lastUsedRegion: null, lastUsedService: null },
        { slot: 2, active: false, lastUsedRegion: "eu-west-1", lastUsedService: "s3" },
      ],
    });
    const bob = byArn(snapshot.resources, `arn:aws:iam::${ACCOUNT}:user/ops/Bob`) as IamUser;
    expect(bob.permissionsBoundary).toBe(`arn:aws:iam::${ACCOUNT}:policy/boundary`);
    expect(bob.credentials).toEqual({ $unknown: expect.stringMatching(/^NotInCredentialReport: .*generated at 2026-01-15T11:00:00.000Z/) });
    expect(bob.virtualMfaDevices).toEqual([]);

    expect(byArn(snapshot.resources, `arn:aws:iam::${ACCOUNT}:group/admins/Admins`)).toMatchObject({ members: [alice.arn], tags: {} });
    expect(byArn(snapshot.resources, `arn:aws:iam::${ACCOUNT}:role/support-team`)).toMatchObject({
      serviceLinked: false, lastUsed: { date: "2025-12-30T08:00:00.000Z", region: "eu-west-1" },
      trustPolicy: { Statement: [{ Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] },
    });
    expect(byArn(snapshot.resources, `arn:aws:iam::${ACCOUNT}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport`))
      .toMatchObject({ serviceLinked: true, lastUsed: null });

    const policies = snapshot.resources.filter((r) => r.type === "aws:iam:policy").map((p) => [p.name, p.awsManaged, p.document]);
    expect(policies).toEqual([
      ["s3-readers", false, expect.objectContaining({ Statement: [expect.objectContaining({ Action: ["s3:GetObject", "s3:ListBucket"] })] })],
      ["AdministratorAccess", true, expect.objectContaining({ Statement: [expect.objectContaining({ Action: "*" })] })],
    ]);

    expect(byArn(snapshot.resources, `arn:aws:iam::${ACCOUNT}:root`)).toMatchObject({
      name: "<root_account>", region: "global",
      accountSummary: { mfaEnabled: true, accessKeysPresent: true },
      virtualMfaDevices: [`arn:aws:iam::${ACCOUNT}:mfa/root-account-mfa-device`],
      credentials: { passwordEnabled: false, passwordLastUsed: "2025-12-24T09:15:02.000Z", passwordLastChanged: null, mfaActive: true,
        accessKeys: [{ slot: 1, active: true, lastUsedService: "iam" }] },
    });
    expect(byArn(snapshot.resources, `arn:aws:iam::${ACCOUNT}:account-password-policy`)).toMatchObject({
      name: "account-password-policy",
      policy: { minimumPasswordLength: 12, passwordReusePrevention: 12, maxPasswordAge: 90, requireSymbols: true, expirePasswords: false },
    });
    expect(byArn(snapshot.resources, `arn:aws:iam::${ACCOUNT}:account`)).toMatchObject({
      supportRoles: [`arn:aws:iam::${ACCOUNT}:role/support-team`], summary: { Users: 2, AccountMFAEnabled: 1 },
    });
    expect(snapshot.resources.find((r) => r.type === "aws:iam:server-certificate")).toMatchObject({
      name: "ProdServerCert", path: "/company/servercerts/", expiration: "2012-05-08T01:02:03.004Z",
    });
  });

  it("reads NoSuchEntity from GetAccountPasswordPolicy as 'no policy' (null), not as a failure", async () => {
    mockCallerIdentity();
    nock(IAM).post("/", queryBody("GetAccountPasswordPolicy"))
      .reply(404, iamError("NoSuchEntity", `The Password Policy with domain name ${ACCOUNT} cannot be found.`), XML);
    const snapshot = await testCollector(testConfig()).collect({ reads: reads({ "aws:iam:password-policy": ["policy"] }) });
    expect(snapshot.resources).toEqual([expect.objectContaining({ type: "aws:iam:password-policy", policy: null })]);
    expect(snapshot.accounts[0]).toMatchObject({ status: "ok", errors: [] });
  });

  it("declares an inventory complete only when its listing succeeded: denied GAAD leaves users to no one, listed certificates are complete", async () => {
    mockCallerIdentity();
    nock(IAM)
      .post("/", queryBody("GetAccountAuthorizationDetails"))
      .reply(403, iamError("AccessDenied", `User: arn:aws:iam::${ACCOUNT}:user/posture-scanner is not authorized to perform: iam:GetAccountAuthorizationDetails`), XML)
      .post("/", queryBody("ListServerCertificates")).reply(200, SERVER_CERTIFICATES, XML);
    const snapshot = await testCollector(testConfig()).collect({ reads: reads({ "aws:iam:user": ["attachedPolicies"], "aws:iam:server-certificate": [] }) });
    expect(snapshot.resources.map((r) => r.type)).toEqual(["aws:iam:server-certificate"]);
    expect(snapshot.accounts[0]).toMatchObject({ status: "partial", resourceTypes: ["aws:iam:server-certificate"] });
  });

  it("makes the attributes unknown when IAM denies access, and still emits what it could read", async () => {
    mockCallerIdentity();
    nock(IAM)
      .post("/", queryBody("GetAccountSummary"))
      .reply(403, iamError("AccessDenied", `User: arn:aws:iam::${ACCOUNT}:user/posture-scanner is not authorized to perform: iam:GetAccountSummary`), XML)
      .post("/", queryBody("GenerateCredentialReport")).reply(200, generateReport("COMPLETE"), XML)
      .post("/", queryBody("GetCredentialReport")).reply(200, GET_CREDENTIAL_REPORT, XML);
    const snapshot = await testCollector(testConfig()).collect({ reads: reads({ "aws:iam:root-user": ["accountSummary", "credentials"] }) });
    const [root] = snapshot.resources;
    expect(root).toMatchObject({ accountSummary: { $unknown: expect.stringMatching(/^AccessDenied: User: .* not authorized to perform: iam:GetAccountSummary/) } });
    expect(root).toMatchObject({ credentials: { mfaActive: true } });
    expect(snapshot.accounts[0]).toMatchObject({ status: "partial", errors: [{ service: "iam", operation: "GetAccountSummary", code: "AccessDenied" }] });
  });

  it("gives up on a credential report that never completes, with the timeout as the reason", async () => {
    mockCallerIdentity();
    nock(IAM).post("/", queryBody("GenerateCredentialReport")).times(5).reply(200, generateReport("INPROGRESS"), XML);
    let clock = Date.parse("2026-01-15T12:00:00Z");
    const collector = testCollector(testConfig({ scan: { maxAttempts: 1, credentialReportTimeoutSeconds: 10 } }), {
      sleep: async (ms) => void (clock += ms), now: () => new Date(clock), credentialReportPollMs: 1000,
    });
    const snapshot = await collector.collect({ reads: reads({ "aws:iam:root-user": ["credentials"] }) });
    // 1 s, 2 s, 4 s: the next 8 s wait would pass the 10 s deadline.
    expect(snapshot.accounts[0]!.apiCalls["iam:GenerateCredentialReport"]).toBe(4);
    expect(snapshot.resources[0]).toMatchObject({ credentials: { $unknown: expect.stringMatching(/^CredentialReportTimeout: .*10 s/) } });
    nock.cleanAll();
  });

  it("recovers from IAM throttling with the adaptive retry when attempts remain", async () => {
    mockCallerIdentity();
    nock(IAM)
      .post("/", queryBody("GetAccountSummary")).reply(400, iamError("Throttling", "Rate exceeded"), XML)
      .post("/", queryBody("GetAccountSummary")).reply(200, ACCOUNT_SUMMARY, XML);
    const snapshot = await testCollector(testConfig({ scan: { maxAttempts: 3 } })).collect({ reads: reads({ "aws:iam:account": ["summary"] }) });
    expect(snapshot.resources[0]).toMatchObject({ summary: { Users: 2 } });
    expect(snapshot.accounts[0]).toMatchObject({ status: "ok", apiCalls: { "iam:GetAccountSummary": 2 } });
  });
});
