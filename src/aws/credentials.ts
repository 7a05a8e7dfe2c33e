import { fromNodeProviderChain, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import type { AccountConfig } from "../config.js";

export interface CredentialSettings {
  /** The base identity; default: the SDK's default provider chain (env, profile, SSO, IMDS, ...). */
  base?: AwsCredentialIdentityProvider;
  homeRegion: string;
  endpointUrl?: string;
  maxAttempts: number;
}

/** Credentials for one account: the base identity, or the account's `roleArn` assumed from it. */
export function credentialsForAccount(account: AccountConfig | undefined, settings: CredentialSettings): AwsCredentialIdentityProvider {
  if (account?.roleArn === undefined) return settings.base ?? fromNodeProviderChain();
  return assumedRole({ roleArn: account.roleArn, externalId: account.externalId, sessionName: "posture-scan" }, settings);
}

/** A role assumed from the base identity (an account's scanner role, or the Organizations reader role). */
export function assumedRole(role: { roleArn: string; externalId?: string; sessionName: string }, settings: CredentialSettings): AwsCredentialIdentityProvider {
  return sharedUntilExpiry(fromTemporaryCredentials({
    masterCredentials: settings.base ?? fromNodeProviderChain(),
    params: {
      RoleArn: role.roleArn,
      RoleSessionName: role.sessionName,
      ...(role.externalId !== undefined ? { ExternalId: role.externalId } : {}),
    },
    clientConfig: {
      region: settings.homeRegion,
      maxAttempts: settings.maxAttempts,
      ...(settings.endpointUrl !== undefined ? { endpoint: settings.endpointUrl } : {}),
    },
  }));
}

const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * Every client of an account (STS, IAM, S3 Control, S3 per region) resolves credentials on its own: without
 * sharing, each would call AssumeRole. One call per account and session, renewed shortly before expiry.
 */
function sharedUntilExpiry(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let current: ReturnType<AwsCredentialIdentityProvider> | undefined;
  let expiresAt = Number.POSITIVE_INFINITY;
  return async () => {
    if (current === undefined || Date.now() > expiresAt - REFRESH_BEFORE_EXPIRY_MS) {
      current = provider();
      const identity = await current;
      expiresAt = identity.expiration?.getTime() ?? Number.POSITIVE_INFINITY;
    }
    return current;
  };
}
