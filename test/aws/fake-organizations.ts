import nock from "nock";
import { namedChecks } from "../../src/core/checks/index.js";
import { parseCatalog } from "../../src/core/catalog.js";
import { IAM, STS, queryBody } from "./nock-aws.js";

// Organizations speaks AWS JSON 1.1 (POST / with the operation in X-Amz-Target); STS and IAM the query
// protocol. Each account's requests are told apart by the access key in their SigV4 Authorization header.
export const ORGANIZATIONS = "https://organizations.us-east-1.amazonaws.com";
export const JSON_11 = { "content-type": "application/x-amz-json-1.1" };
export const XML = { "content-type": "text/xml" };
export const BASE_KEY = "AKIDEXAMPLE";
export const PROD = "222222222222";
export const DATA = "333333333333";
export const SANDBOX = "444444444444";
export const keyOf = (account: string) => `ASIA${account}`;
export const organizations = { enabled: true, externalId: "posture-org" };

export function member(id: string, name: string, state = "ACTIVE") {
  return { Id: id, Arn: `arn:aws:organizations::111111111111:account/o-exampleorgid/${id}`, Email: `${name}@example.com`, Name: name, State: state, Status: state, JoinedMethod: "INVITED", JoinedTimestamp: 1.7e9 };
}

/** ListAccounts with the base identity's key, answering `pages` in order (NextToken "page-2", ...). */
export function listAccounts(pages: ReturnType<typeof member>[][]) {
  pages.forEach((accounts, i) => {
    nock(ORGANIZATIONS, { reqheaders: { "x-amz-target": "AWSOrganizationsV20161128.ListAccounts" } })
      .matchHeader("authorization", (v: string) => v.includes(`Credential=${BASE_KEY}/`))
      .post("/", (body: Record<string, unknown>) => body.NextToken === (i === 0 ? undefined : `page-${i + 1}`))
      .reply(200, { Accounts: accounts, ...(i < pages.length - 1 ? { NextToken: `page-${i + 2}` } : {}) }, JSON_11);
  });
}

export function listAccountsFails(type: "AccessDeniedException" | "AWSOrganizationsNotInUseException", message: string) {
  nock(ORGANIZATIONS).post("/").reply(400, JSON.stringify({ __type: type, Message: message }), JSON_11);
}

export const listAccountsDenied = () => listAccountsFails("AccessDeniedException", "You don't have permissions to access this resource.");

function assumeRole(account: string, role = "PostureScanner") {
  return nock(STS).post("/", queryBody("AssumeRole", { RoleArn: `arn:aws:iam::${account}:role/${role}`, ExternalId: "posture-org" }));
}

export function assumeRoleSucceeds(account: string) {
  assumeRole(account).reply(200, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>
<AccessKeyId>${keyOf(account)}</AccessKeyId><SecretAccessKey>secret-${account}</SecretAccessKey><SessionToken>token-${account}</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>
</Credentials><AssumedRoleUser><Arn>arn:aws:sts::${account}:assumed-role/PostureScanner/posture-scan</Arn><AssumedRoleId>AROAEXAMPLE:posture-scan</AssumedRoleId></AssumedRoleUser>
</AssumeRoleResult><ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata></AssumeRoleResponse>`, XML);
}

export function assumeRoleDenied(account: string) {
  assumeRole(account).reply(403, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::111111111111:user/posture is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${account}:role/PostureScanner</Message></Error>
  <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c8</RequestId>
</ErrorResponse>`, XML);
}

/** GetCallerIdentity and GetAccountSummary signed with `key`, answering as `account`. */
export function accountCalls(account: string, key: string, mfaEnabled: 0 | 1) {
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

/** One critical rule on the account summary (root MFA), so a scan of these fakes has one finding per account. */
export const rootMfaCatalog = parseCatalog({
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
