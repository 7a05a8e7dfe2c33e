import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { discoverAccounts, OrganizationsDiscoveryError, type DiscoverAccountsOptions } from "../../src/aws/organizations.js";
import { setUpNock, tearDownNock } from "./nock-aws.js";

// Organizations speaks the AWS JSON 1.1 protocol: POST / with the operation in X-Amz-Target.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html
const ORGANIZATIONS = "https://organizations.us-east-1.amazonaws.com";
const TARGET = "AWSOrganizationsV20161128.ListAccounts";
const JSON_11 = { "content-type": "application/x-amz-json-1.1" };

beforeEach(setUpNock);
afterEach(tearDownNock);

const options = (patch: Partial<DiscoverAccountsOptions> = {}): DiscoverAccountsOptions => ({
  credentials: async () => ({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }),
  homeRegion: "eu-west-1", roleName: "PostureScanner", maxAttempts: 1, ...patch,
});

function account(id: string, name: string, state: string | null, extra: Record<string, unknown> = {}) {
  return {
    Id: id, Arn: `arn:aws:organizations::111111111111:account/o-exampleorgid/${id}`, Email: `${name}@example.com`, Name: name,
    JoinedMethod: "CREATED", JoinedTimestamp: 1.7e9, ...(state === null ? {} : { State: state, Status: state === "ACTIVE" ? "ACTIVE" : "SUSPENDED" }), ...extra,
  };
}

/** Matches a ListAccounts call by its target header and JSON body (the NextToken of the previous page, or none). */
function listAccounts(nextToken: string | undefined) {
  return nock(ORGANIZATIONS, { reqheaders: { "x-amz-target": TARGET, "content-type": "application/x-amz-json-1.1" } })
    .post("/", (body: Record<string, unknown>) => body.NextToken === nextToken);
}

function awsJsonError(type: string, message: string) {
  return [400, JSON.stringify({ __type: type, Message: message }), { ...JSON_11, "x-amzn-requestid": "7b3a5f4e-0000-4000-8000-example" }] as const;
}

describe("discoverAccounts (AWS Organizations ListAccounts)", () => {
  it("follows NextToken through every page and keeps ACTIVE accounts only, each with the role to assume", async () => {
    listAccounts(undefined).reply(200, { Accounts: [account("222222222222", "prod", "ACTIVE"), account("333333333333", "old", "SUSPENDED")], NextToken: "page-2" }, JSON_11);
    listAccounts("page-2").reply(200, {
      Accounts: [
        account("444444444444", "closing", "PENDING_CLOSURE"),
        account("111111111111", "management", "ACTIVE"),
        // Before AWS retires Status (9 Sep 2026) an answer may carry only Status.
        { ...account("555555555555", "legacy", null), Status: "ACTIVE" },
      ],
    }, JSON_11);
    const accounts = await discoverAccounts(options({ regions: ["eu-west-1"], externalId: "posture-ext" }));
    expect(accounts).toEqual([
      { id: "111111111111", name: "management", roleArn: "arn:aws:iam::111111111111:role/PostureScanner", externalId: "posture-ext", regions: ["eu-west-1"] },
      { id: "222222222222", name: "prod", roleArn: "arn:aws:iam::222222222222:role/PostureScanner", externalId: "posture-ext", regions: ["eu-west-1"] },
      { id: "555555555555", name: "legacy", roleArn: "arn:aws:iam::555555555555:role/PostureScanner", externalId: "posture-ext", regions: ["eu-west-1"] },
    ]);
  });

  it.each([
    ["an excluded account", { exclude: ["222222222222"] }, ["111111111111"]],
    ["none excluded", {}, ["111111111111", "222222222222"]],
  ])("leaves out %s", async (_name, patch, ids) => {
    listAccounts(undefined).reply(200, { Accounts: [account("222222222222", "prod", "ACTIVE"), account("111111111111", "management", "ACTIVE")] }, JSON_11);
    expect((await discoverAccounts(options(patch))).map((a) => a.id)).toEqual(ids);
  });

  it("takes the partition from the account ARN (GovCloud roles live in aws-us-gov)", async () => {
    const gov = { ...account("222222222222", "gov", "ACTIVE"), Arn: "arn:aws-us-gov:organizations::111111111111:account/o-exampleorgid/222222222222" };
    nock("https://organizations.us-gov-west-1.amazonaws.com", { reqheaders: { "x-amz-target": TARGET } }).post("/").reply(200, { Accounts: [gov] }, JSON_11);
    const [found] = await discoverAccounts(options({ homeRegion: "us-gov-west-1", roleName: "security/PostureScanner" }));
    expect(found!.roleArn).toBe("arn:aws-us-gov:iam::222222222222:role/security/PostureScanner");
  });

  it.each([
    ["AccessDeniedException", "You don't have permissions to access this resource.", "POSTURE_ORGANIZATIONS_DENIED", /management account or of a delegated administrator.*organizations:ListAccounts/],
    ["AWSOrganizationsNotInUseException", "Your account is not a member of an organization.", "POSTURE_ORGANIZATIONS_NOT_IN_USE", /not in an AWS Organization.*posture\.config\.yml under accounts/],
    ["ServiceException", "AWS Organizations can't complete your request because of an internal service error.", "POSTURE_ORGANIZATIONS_FAILED", /ServiceException: AWS Organizations can't complete/],
  ])("%s becomes a clear, coded error", async (type, message, code, text) => {
    listAccounts(undefined).reply(...awsJsonError(type, message));
    const error = await discoverAccounts(options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrganizationsDiscoveryError);
    expect(error).toMatchObject({ code });
    expect((error as Error).message).toMatch(text);
    expect((error as Error).cause).toBeDefined();
  });

  it("fails on a later page without returning a partial list", async () => {
    listAccounts(undefined).reply(200, { Accounts: [account("222222222222", "prod", "ACTIVE")], NextToken: "page-2" }, JSON_11);
    listAccounts("page-2").reply(...awsJsonError("TooManyRequestsException", "Rate exceeded"));
    await expect(discoverAccounts(options())).rejects.toMatchObject({ code: "POSTURE_ORGANIZATIONS_FAILED" });
  });

  it("counts its API calls per page", async () => {
    listAccounts(undefined).reply(200, { Accounts: [], NextToken: "p2" }, JSON_11);
    listAccounts("p2").reply(200, { Accounts: [] }, JSON_11);
    const apiCalls = new Map<string, number>();
    expect(await discoverAccounts(options({ apiCalls }))).toEqual([]);
    expect(Object.fromEntries(apiCalls)).toEqual({ "organizations:ListAccounts": 2 });
  });
});
