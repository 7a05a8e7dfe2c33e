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
  const base = settings.base ?? fromNodeProviderChain();
  if (account?.roleArn === undefined) return base;
  return fromTemporaryCredentials({
    masterCredentials: base,
    params: {
      RoleArn: account.roleArn,
      RoleSessionName: "posture-scan",
      ...(account.externalId !== undefined ? { ExternalId: account.externalId } : {}),
    },
    clientConfig: {
      region: settings.homeRegion,
      maxAttempts: settings.maxAttempts,
      ...(settings.endpointUrl !== undefined ? { endpoint: settings.endpointUrl } : {}),
    },
  });
}
