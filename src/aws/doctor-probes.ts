import { GetAccountPasswordPolicyCommand, GetAccountSummaryCommand } from "@aws-sdk/client-iam";
import { ListAccountsCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { ListBucketsCommand } from "@aws-sdk/client-s3";
import { GetPublicAccessBlockCommand } from "@aws-sdk/client-s3-control";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromNodeProviderChain, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, RequestHandler } from "@smithy/types";
import type { AwsDoctorProbes, Outcome, RoleRef, ScannerAccess } from "../app/doctor.js";
import { createAccountClients, type AccountClients } from "./clients.js";
import { describeAwsError, isNotConfigured } from "./errors.js";

export interface AwsProbeSettings {
  /** The base identity (default: the SDK's default provider chain). */
  base?: AwsCredentialIdentityProvider;
  homeRegion: string;
  endpointUrl?: string;
  /** The doctor answers fast: few retries (a throttled probe is reported, not waited out). */
  maxAttempts?: number;
  requestHandler?: RequestHandler<unknown, unknown> | Record<string, unknown>;
}

const failed = (error: unknown): Extract<Outcome<never>, { ok: false }> => ({ ok: false, ...describeAwsError(error) });

async function attempt<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return failed(error);
  }
}

/**
 * Read-only probes for `posture doctor`: who the base identity is, whether each role can be assumed, and
 * one cheap call per part of the scanner policy. No write API is ever called, not even with the fixer role.
 */
export function createAwsDoctorProbes(settings: AwsProbeSettings): AwsDoctorProbes {
  const base = settings.base ?? fromNodeProviderChain();
  const common = {
    region: settings.homeRegion, maxAttempts: settings.maxAttempts ?? 2,
    ...(settings.endpointUrl !== undefined ? { endpoint: settings.endpointUrl } : {}),
    ...(settings.requestHandler !== undefined ? { requestHandler: settings.requestHandler } : {}),
  };
  const clientsWith = (credentials: AwsCredentialIdentityProvider): AccountClients => createAccountClients({
    credentials, homeRegion: settings.homeRegion, maxAttempts: common.maxAttempts,
    ...(settings.endpointUrl !== undefined ? { endpointUrl: settings.endpointUrl } : {}),
    ...(settings.requestHandler !== undefined ? { requestHandler: settings.requestHandler } : {}),
  }, new Map());

  /**
   * AssumeRole the way the scan does (fromTemporaryCredentials, as src/aws/credentials.ts), resolved at
   * once so a refusal is this probe's answer rather than the first read's.
   */
  async function assume(role: RoleRef, sessionName: string): Promise<Outcome<{ arn: string; credentials: AwsCredentialIdentity }>> {
    const provider = fromTemporaryCredentials({
      masterCredentials: base,
      params: { RoleArn: role.roleArn, RoleSessionName: sessionName, DurationSeconds: 900, ...(role.externalId !== undefined ? { ExternalId: role.externalId } : {}) },
      clientConfig: common,
    });
    return attempt(async () => ({ arn: role.roleArn, credentials: await provider() }));
  }

  return {
    async callerIdentity() {
      const sts = new STSClient({ ...common, credentials: base });
      try {
        return await attempt(async () => {
          const me = await sts.send(new GetCallerIdentityCommand({}));
          return { account: me.Account ?? "", arn: me.Arn ?? "" };
        });
      } finally {
        sts.destroy();
      }
    },

    async scannerAccess(role) {
      const result: ScannerAccess = { reads: [] };
      let credentials = base;
      if (role) {
        const assumed = await assume(role, "posture-doctor");
        result.assumed = assumed.ok ? { ok: true, value: { arn: assumed.value.arn } } : assumed;
        if (!assumed.ok) return result;
        credentials = async () => assumed.value.credentials;
      }
      const clients = clientsWith(credentials);
      try {
        const identity = await attempt(async () => {
          const me = await clients.sts.send(new GetCallerIdentityCommand({}));
          return { account: me.Account ?? "", arn: me.Arn ?? "" };
        });
        result.identity = identity;
        if (!identity.ok) return result;
        result.reads = await scannerReads(clients, identity.value.account, settings.homeRegion);
        return result;
      } finally {
        clients.destroy();
      }
    },

    async assumeRole(role, sessionName) {
      const assumed = await assume(role, sessionName);
      return assumed.ok ? { ok: true, value: { arn: assumed.value.arn } } : assumed;
    },

    async listOrganizationAccounts(managementRole) {
      let credentials = base;
      let assumedArn: Outcome<{ arn: string }> | undefined;
      if (managementRole) {
        const assumed = await assume(managementRole, "posture-doctor");
        if (!assumed.ok) return { assumed };
        assumedArn = { ok: true, value: { arn: assumed.value.arn } };
        credentials = async () => assumed.value.credentials;
      }
      const client = new OrganizationsClient({ ...common, credentials });
      try {
        const listed = await attempt(async () => ({ accounts: (await client.send(new ListAccountsCommand({ MaxResults: 1 }))).Accounts?.length ?? 0 }));
        return { ...(assumedArn ? { assumed: assumedArn } : {}), listed };
      } finally {
        client.destroy();
      }
    },
  };
}

/**
 * One cheap call per family of the scanner policy. "Not configured" answers (no password policy, no
 * account-level public access block) prove the call was allowed.
 */
async function scannerReads(clients: AccountClients, accountId: string, homeRegion: string): Promise<ScannerAccess["reads"]> {
  const probe = async (action: string, operation: string, call: () => Promise<unknown>) => {
    try {
      await call();
      return { action, outcome: { ok: true, value: undefined } as Outcome<void> };
    } catch (error) {
      if (isNotConfigured(operation, error)) return { action, outcome: { ok: true, value: undefined } as Outcome<void> };
      return { action, outcome: failed(error) as Outcome<void> };
    }
  };
  return Promise.all([
    probe("iam:GetAccountSummary", "GetAccountSummary", () => clients.iam.send(new GetAccountSummaryCommand({}))),
    probe("s3:ListAllMyBuckets", "ListBuckets", () => clients.s3(homeRegion).send(new ListBucketsCommand({ MaxBuckets: 1 }))),
    probe("s3:GetAccountPublicAccessBlock", "GetPublicAccessBlock", () => clients.s3Control.send(new GetPublicAccessBlockCommand({ AccountId: accountId }))),
    probe("iam:GetAccountPasswordPolicy", "GetAccountPasswordPolicy", () => clients.iam.send(new GetAccountPasswordPolicyCommand({}))),
  ]);
}
