import { fromNodeProviderChain, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { createAccountClients, type AccountClients, type ClientSettings } from "../clients.js";
import type { CredentialSettings } from "../credentials.js";

export interface FixerRole {
  /** The fixer role of the account (configured); never the scanning role. */
  roleArn: string;
  externalId?: string;
}

export interface FixerClientSettings extends CredentialSettings {
  /** The fixer role per account; undefined: fixes are off for that account. */
  fixerRoleFor(accountId: string): FixerRole | undefined;
  /** The scanner's role per account, to refuse a configuration that reuses it for writes. */
  scannerRoleFor(accountId: string): string | undefined;
  requestHandler?: ClientSettings["requestHandler"];
}

/** Fixes are refused rather than run with the wrong identity. */
export class FixerRoleError extends Error {
  readonly code = "POSTURE_FIXER_ROLE";
  constructor(message: string) {
    super(message);
    this.name = "FixerRoleError";
  }
}

/**
 * The fixer role assumed from the base identity. The session name shows up in CloudTrail, so every
 * write of a fix is attributable to Posture (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
 */
export function fixerCredentials(accountId: string, settings: FixerClientSettings): AwsCredentialIdentityProvider {
  const role = settings.fixerRoleFor(accountId);
  if (role === undefined) throw new FixerRoleError(`no fixer role is configured for account ${accountId}: one-click fixes are off there`);
  if (role.roleArn === settings.scannerRoleFor(accountId)) {
    throw new FixerRoleError(`account ${accountId}: the fixer role must differ from the read-only scanning role (${role.roleArn})`);
  }
  return fromTemporaryCredentials({
    masterCredentials: settings.base ?? fromNodeProviderChain(),
    params: { RoleArn: role.roleArn, RoleSessionName: "posture-fix", ...(role.externalId !== undefined ? { ExternalId: role.externalId } : {}) },
    clientConfig: {
      region: settings.homeRegion,
      maxAttempts: settings.maxAttempts,
      ...(settings.endpointUrl !== undefined ? { endpoint: settings.endpointUrl } : {}),
    },
  });
}

/** `clientsFor` of the FixerEnvironment: one set of fixer clients per account, created on first use. */
export function createFixerClients(settings: FixerClientSettings): (accountId: string) => AccountClients {
  const byAccount = new Map<string, AccountClients>();
  return (accountId) => {
    let clients = byAccount.get(accountId);
    if (!clients) {
      clients = createAccountClients({
        credentials: fixerCredentials(accountId, settings),
        homeRegion: settings.homeRegion,
        maxAttempts: settings.maxAttempts,
        ...(settings.endpointUrl !== undefined ? { endpointUrl: settings.endpointUrl } : {}),
        ...(settings.requestHandler !== undefined ? { requestHandler: settings.requestHandler } : {}),
      }, new Map());
      byAccount.set(accountId, clients);
    }
    return clients;
  };
}
