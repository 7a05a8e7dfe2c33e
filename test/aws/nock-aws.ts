import nock from "nock";
import { fileConfigSchema, type Config } from "../../src/config.js";
import type { Collector } from "../../src/app/ports.js";
import { createAwsCollector, type AwsCollectorOptions } from "../../src/aws/collector.js";

export const ACCOUNT = "123456789012";
export const STS = "https://sts.us-east-1.amazonaws.com";
export const IAM = "https://iam.amazonaws.com";
export const S3_HOME = "https://s3.us-east-1.amazonaws.com";
export const S3_CONTROL = `https://${ACCOUNT}.s3-control.us-east-1.amazonaws.com`;
export const bucketHost = (bucket: string, region: string) => `https://${bucket}.s3.${region}.amazonaws.com`;

/** A query-protocol body matcher: Action plus any other parameters that must be present. */
export function queryBody(action: string, extra: Record<string, string | null> = {}) {
  return (body: unknown): boolean => {
    const params = typeof body === "string" ? new URLSearchParams(body) : new URLSearchParams(body as Record<string, string>);
    if (params.get("Action") !== action) return false;
    return Object.entries(extra).every(([key, value]) => params.get(key) === value);
  };
}

export function testConfig(file: Record<string, unknown> = {}): Config {
  const parsed = fileConfigSchema.parse({ accounts: [{ id: ACCOUNT, name: "prod" }], scan: { maxAttempts: 1 }, ...file });
  return { ...parsed, homeRegion: "us-east-1", logLevel: "silent", dbPath: ":memory:", slack: { mode: "console" } };
}

export function testCollector(config: Config, options: AwsCollectorOptions = {}): Collector {
  return createAwsCollector(config, {
    credentials: async () => ({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }),
    sleep: async () => undefined,
    now: () => new Date("2026-01-15T12:00:00Z"),
    ...options,
  });
}

export function reads(entries: Record<string, string[]>): Map<string, Set<string>> {
  return new Map(Object.entries(entries).map(([type, attributes]) => [type, new Set(["tags", ...attributes])]));
}

export function mockCallerIdentity(account = ACCOUNT): nock.Scope {
  return nock(STS).post("/", queryBody("GetCallerIdentity")).reply(200, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::${account}:user/posture-scanner</Arn>
    <UserId>AIDASAMPLEUSERID</UserId>
    <Account>${account}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`, { "content-type": "text/xml" });
}

export function iamError(code: string, message: string): string {
  return `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error>
  <RequestId>a1b2c3d4-0000-4000-8000-EXAMPLE</RequestId>
</ErrorResponse>`;
}

export function s3Error(code: string, message: string, bucket?: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>${code}</Code><Message>${message}</Message>${bucket ? `<BucketName>${bucket}</BucketName>` : ""}<RequestId>4442587FB7D0A2F9</RequestId><HostId>Uuag1LuByRx9e6j5Onimru9pO4ZVKnJ2Qz7/C1NPcfTWAtRPfTaOFg==</HostId></Error>`;
}

export function setUpNock(): void {
  nock.disableNetConnect();
}

export function tearDownNock(): void {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  if (pending.length > 0) throw new Error(`unused AWS mocks: ${pending.join(", ")}`);
}
