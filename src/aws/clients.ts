import { IAMClient } from "@aws-sdk/client-iam";
import { S3Client } from "@aws-sdk/client-s3";
import { S3ControlClient } from "@aws-sdk/client-s3-control";
import { STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentityProvider, Provider, RequestHandler } from "@smithy/types";
import { countApiCalls } from "./api-calls.js";

export interface ClientSettings {
  credentials: AwsCredentialIdentityProvider;
  homeRegion: string;
  maxAttempts: number;
  /** AWS_ENDPOINT_URL (LocalStack and other emulators): every client goes there. */
  endpointUrl?: string;
  /** Tests and benchmarks may swap the HTTP handler (e.g. more sockets). */
  requestHandler?: RequestHandler<unknown, unknown> | Record<string, unknown>;
}

/** The SDK clients of one account; S3 has one client per bucket region (regional endpoints). */
export interface AccountClients {
  sts: STSClient;
  iam: IAMClient;
  s3Control: S3ControlClient;
  s3(region: string): S3Client;
  destroy(): void;
}

function commonConfig(settings: ClientSettings, region: string) {
  return {
    region,
    credentials: settings.credentials,
    maxAttempts: settings.maxAttempts,
    retryMode: "adaptive" as const,
    ...(settings.endpointUrl !== undefined ? { endpoint: settings.endpointUrl } : {}),
    ...(settings.requestHandler !== undefined ? { requestHandler: settings.requestHandler } : {}),
  };
}

/**
 * S3 Control's endpoint rules put the account id in the host (`{AccountId}.s3-control.REGION.amazonaws.com`,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_GetPublicAccessBlock.html), which breaks
 * emulators reached by IP or a single host name. With a custom endpoint we bypass the rules and the host
 * prefix; the account still travels in the x-amz-account-id header.
 */
function s3ControlEndpointOverride(endpointUrl: string | undefined) {
  if (endpointUrl === undefined) return {};
  const endpointProvider: Provider<{ url: URL }> | (() => { url: URL }) = () => ({ url: new URL(endpointUrl) });
  return { disableHostPrefix: true, endpointProvider };
}

export function createAccountClients(settings: ClientSettings, apiCalls: Map<string, number>): AccountClients {
  const home = settings.homeRegion;
  const sts = new STSClient(commonConfig(settings, home));
  const iam = new IAMClient(commonConfig(settings, home));
  const s3Control = new S3ControlClient({ ...commonConfig(settings, home), ...s3ControlEndpointOverride(settings.endpointUrl) });
  sts.middlewareStack.use(countApiCalls("sts", apiCalls));
  iam.middlewareStack.use(countApiCalls("iam", apiCalls));
  s3Control.middlewareStack.use(countApiCalls("s3control", apiCalls));
  const s3Clients = new Map<string, S3Client>();
  const s3 = (region: string): S3Client => {
    let client = s3Clients.get(region);
    if (!client) {
      // Emulators serve S3 path-style only (http://host:port/bucket), not virtual-hosted buckets.
      client = new S3Client({ ...commonConfig(settings, region), forcePathStyle: settings.endpointUrl !== undefined });
      client.middlewareStack.use(countApiCalls("s3", apiCalls));
      s3Clients.set(region, client);
    }
    return client;
  };
  const destroy = () => [sts, iam, s3Control, ...s3Clients.values()].forEach((client) => client.destroy());
  return { sts, iam, s3Control, s3, destroy };
}
