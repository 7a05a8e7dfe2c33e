import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { FakeDataset } from "./dataset.js";
import {
  authorizationEntities, renderAccountSummary, renderAuthorizationPage, renderCredentialReportCsv, renderPasswordPolicy,
  renderServerCertificates, renderVirtualMfaDevices,
} from "./wire-iam.js";
import { renderAccountPublicAccessBlock, renderBucketSubresource, renderListBuckets, SUBRESOURCE_OPERATIONS, type RestReply } from "./wire-s3.js";
import { members, queryError, queryResponse, restError, text } from "./xml.js";

export interface FakeAwsFaults {
  /** Buckets whose every call answers 403 AccessDenied. */
  accessDeniedBuckets?: readonly string[];
  /** The first `times` calls of an operation ("s3:GetBucketAcl", "iam:GetAccountSummary") are throttled. */
  throttle?: { operation: string; times: number };
}

export interface FakeAwsOptions {
  /** The account of the base credentials (whatever key signs the request). */
  dataset: FakeDataset;
  /**
   * More accounts on the same endpoint. AssumeRole into a role of one of them returns keys that name it
   * (ASIAFAKE<account id>), and every request those keys sign is answered from that account's dataset;
   * AssumeRole into any other account is AccessDenied. Without this option AssumeRole answers for `dataset`.
   */
  accounts?: readonly FakeDataset[];
  /** Added before every response, like a real network round trip. */
  latencyMs?: number;
  faults?: FakeAwsFaults;
  /** Caps on page sizes (AWS may return fewer items than MaxItems). */
  authorizationPageSize?: number;
  listBucketsPageSize?: number;
}

export interface FakeAws {
  url: string;
  /** Requests per operation, "s3:GetBucketAcl" style (as in AccountCoverage.apiCalls). */
  calls: Map<string, number>;
  /** The same counts per account id (the account whose credentials signed the request). */
  callsByAccount: Map<string, Map<string, number>>;
  totalCalls(): number;
  close(): Promise<void>;
}

interface Reply extends RestReply {
  operation: string;
}

/** STS, IAM (query protocol), S3 (path-style REST) and S3 Control on one 127.0.0.1 port. */
export async function startFakeAws(options: FakeAwsOptions): Promise<FakeAws> {
  const calls = new Map<string, number>();
  const callsByAccount = new Map<string, Map<string, number>>();
  const accounts = new Map([options.dataset, ...(options.accounts ?? [])].map((dataset) => [dataset.accountId, stateOf(dataset)] as const));
  const server = createServer((request, response) => {
    void handle(request, response, options, accounts, { calls, callsByAccount });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    callsByAccount,
    totalCalls: () => [...calls.values()].reduce((a, b) => a + b, 0),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** One account behind the endpoint: its dataset and its credential report's state. */
type State = { dataset: FakeDataset; reportState: "STARTED" | "COMPLETE"; entities: ReturnType<typeof authorizationEntities> };

const stateOf = (dataset: FakeDataset): State => ({ dataset, reportState: "STARTED", entities: authorizationEntities(dataset) });

type Counters = { calls: Map<string, number>; callsByAccount: Map<string, Map<string, number>> };

const ASSUMED_KEY = /^ASIAFAKE(\d{12})$/;

/** The account whose keys signed the request (SigV4 `Credential=<key>/...`); the base account otherwise. */
function signingAccount(request: IncomingMessage, options: FakeAwsOptions, accounts: ReadonlyMap<string, State>): State {
  const key = /Credential=([^/]+)\//.exec(request.headers.authorization ?? "")?.[1] ?? "";
  const accountId = ASSUMED_KEY.exec(key)?.[1];
  return (accountId !== undefined ? accounts.get(accountId) : undefined) ?? accounts.get(options.dataset.accountId)!;
}

async function handle(request: IncomingMessage, response: ServerResponse, options: FakeAwsOptions, accounts: ReadonlyMap<string, State>, counters: Counters): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString("utf8");
  const url = new URL(request.url ?? "/", "http://fake");
  const state = signingAccount(request, options, accounts);
  const reply = request.method === "POST" ? routeQuery(new URLSearchParams(body), options, state, accounts) : routeRest(request, url, state.dataset, options);
  const { calls } = counters;
  calls.set(reply.operation, (calls.get(reply.operation) ?? 0) + 1);
  const ofAccount = counters.callsByAccount.get(state.dataset.accountId) ?? new Map<string, number>();
  ofAccount.set(reply.operation, (ofAccount.get(reply.operation) ?? 0) + 1);
  counters.callsByAccount.set(state.dataset.accountId, ofAccount);
  const faulted = applyFaults(reply, options.faults, calls.get(reply.operation) ?? 0, url);
  if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
  response.writeHead(faulted.status, { "content-type": faulted.contentType ?? "text/xml", "x-amz-request-id": "FAKE0001" });
  response.end(faulted.body);
}

function applyFaults(reply: Reply, faults: FakeAwsFaults | undefined, count: number, url: URL): Reply {
  const bucket = decodeURIComponent(url.pathname.split("/")[1] ?? "");
  if (reply.operation.startsWith("s3:") && faults?.accessDeniedBuckets?.includes(bucket)) {
    return { ...reply, status: 403, body: restError("AccessDenied", "Access Denied") };
  }
  if (faults?.throttle?.operation === reply.operation && count <= faults.throttle.times) {
    return reply.operation.startsWith("iam:") || reply.operation.startsWith("sts:")
      ? { ...reply, status: 400, body: queryError("Throttling", "Rate exceeded") }
      : { ...reply, status: 503, body: restError("SlowDown", "Please reduce your request rate.") };
  }
  return reply;
}

const STS_ACTIONS = new Set(["GetCallerIdentity", "AssumeRole"]);

function routeQuery(params: URLSearchParams, options: FakeAwsOptions, state: State, accounts: ReadonlyMap<string, State>): Reply {
  const action = params.get("Action") ?? "";
  const service = STS_ACTIONS.has(action) ? "sts" : "iam";
  const result = service === "sts" ? renderSts(action, params, state.dataset, options.accounts ? accounts : undefined) : renderIam(action, params, options, state);
  if (result === undefined) return { operation: `${service}:${action}`, status: 400, body: queryError("InvalidAction", `Could not find operation ${action}`, service) };
  if (typeof result !== "string") return { operation: `${service}:${action}`, ...result };
  return { operation: `${service}:${action}`, status: 200, body: queryResponse(action, result, service) };
}

function renderSts(action: string, params: URLSearchParams, d: FakeDataset, accounts?: ReadonlyMap<string, State>): string | RestReply | undefined {
  if (action === "GetCallerIdentity") {
    return text("Arn", `arn:aws:iam::${d.accountId}:user/posture-scanner`) + text("UserId", "AIDASCANNEREXAMPLE") + text("Account", d.accountId);
  }
  if (action === "AssumeRole" && accounts) return assumeRoleIn(params, d, accounts);
  if (action === "AssumeRole") {
    const expiration = new Date(Date.now() + 3_600_000).toISOString();
    return `<Credentials>${text("AccessKeyId", "ASIAFAKEASSUMED")}${text("SecretAccessKey", "fake-secret")}${text("SessionToken", "fake-token")}${text("Expiration", expiration)}</Credentials>`
      + `<AssumedRoleUser>${text("Arn", `arn:aws:sts::${d.accountId}:assumed-role/PostureScanner/posture-scan`)}${text("AssumedRoleId", "AROAFAKE:posture-scan")}</AssumedRoleUser>`;
  }
  return undefined;
}

/** AssumeRole into one of the fake's accounts: keys that name the account, so its requests are routed to it. */
function assumeRoleIn(params: URLSearchParams, caller: FakeDataset, accounts: ReadonlyMap<string, State>): string | RestReply {
  const roleArn = params.get("RoleArn") ?? "";
  const [, accountId = "", role = ""] = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn) ?? [];
  if (!accounts.has(accountId)) {
    return { status: 403, body: queryError("AccessDenied", `User: arn:aws:iam::${caller.accountId}:user/posture-scanner is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, "sts") };
  }
  const expiration = new Date(Date.now() + 3_600_000).toISOString();
  const session = params.get("RoleSessionName") ?? "session";
  return `<Credentials>${text("AccessKeyId", `ASIAFAKE${accountId}`)}${text("SecretAccessKey", "fake-secret")}${text("SessionToken", "fake-token")}${text("Expiration", expiration)}</Credentials>`
    + `<AssumedRoleUser>${text("Arn", `arn:aws:sts::${accountId}:assumed-role/${role}/${session}`)}${text("AssumedRoleId", `AROAFAKE:${session}`)}</AssumedRoleUser>`;
}

function renderIam(action: string, params: URLSearchParams, options: FakeAwsOptions, state: State): string | RestReply | undefined {
  const d = state.dataset;
  switch (action) {
    case "GetAccountAuthorizationDetails": {
      const max = Math.min(Number(params.get("MaxItems") ?? 100), options.authorizationPageSize ?? 1000);
      return renderAuthorizationPage(state.entities, Number(params.get("Marker") ?? 0), max);
    }
    case "GenerateCredentialReport": {
      const current = state.reportState;
      state.reportState = "COMPLETE";
      return text("State", current) + text("Description", current === "STARTED" ? "No report exists. Starting a new report generation task" : "");
    }
    case "GetCredentialReport":
      return text("Content", Buffer.from(renderCredentialReportCsv(d)).toString("base64")) + text("ReportFormat", "text/csv") + text("GeneratedTime", "2026-01-10T08:00:00Z");
    case "GetAccountPasswordPolicy":
      return d.passwordPolicy ? renderPasswordPolicy(d.passwordPolicy)
        : { status: 404, body: queryError("NoSuchEntity", `The Password Policy with domain name ${d.accountId} cannot be found.`) };
    case "GetAccountSummary":
      return renderAccountSummary(d);
    case "ListVirtualMFADevices":
      return text("IsTruncated", false) + members("VirtualMFADevices", renderVirtualMfaDevices(d));
    case "ListServerCertificates":
      return renderServerCertificates(d);
    default:
      return undefined;
  }
}

function routeRest(request: IncomingMessage, url: URL, d: FakeDataset, options: FakeAwsOptions): Reply {
  if (url.pathname === "/v20180820/configuration/publicAccessBlock") {
    return { operation: "s3control:GetPublicAccessBlock", status: 200, body: renderAccountPublicAccessBlock([true, true, false, false]) };
  }
  const [bucketName = "", ...rest] = url.pathname.split("/").filter((segment) => segment !== "");
  if (bucketName === "") return listBuckets(url, d, options);
  const subresource = [...url.searchParams.keys()].find((key) => key in SUBRESOURCE_OPERATIONS) ?? "";
  const operation = `s3:${SUBRESOURCE_OPERATIONS[subresource] ?? `${request.method}Unsupported`}`;
  const bucket = d.buckets.find((b) => b.name === decodeURIComponent(bucketName));
  if (!bucket) return { operation, status: 404, body: restError("NoSuchBucket", "The specified bucket does not exist", text("BucketName", bucketName)) };
  const reply = rest.length === 0 ? renderBucketSubresource(bucket, subresource) : undefined;
  return { operation, ...(reply ?? { status: 501, body: restError("NotImplemented", `fake AWS does not implement ${request.method} ${url.pathname}${url.search}`) }) };
}

function listBuckets(url: URL, d: FakeDataset, options: FakeAwsOptions): Reply {
  const max = Math.min(Number(url.searchParams.get("max-buckets") ?? 10_000), options.listBucketsPageSize ?? 1000);
  const start = Number(url.searchParams.get("continuation-token") ?? 0);
  const page = d.buckets.slice(start, start + max);
  const next = start + max < d.buckets.length ? String(start + max) : undefined;
  return { operation: "s3:ListBuckets", status: 200, body: renderListBuckets(page, next) };
}
