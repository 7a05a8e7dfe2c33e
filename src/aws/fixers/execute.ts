import { DeleteAccountPasswordPolicyCommand, UpdateAccessKeyCommand, UpdateAccountPasswordPolicyCommand } from "@aws-sdk/client-iam";
import {
  DeleteBucketEncryptionCommand, DeleteBucketPolicyCommand, DeletePublicAccessBlockCommand, PutBucketAclCommand,
  PutBucketEncryptionCommand, PutBucketPolicyCommand, PutBucketVersioningCommand, PutPublicAccessBlockCommand,
} from "@aws-sdk/client-s3";
import {
  DeletePublicAccessBlockCommand as DeleteAccountPublicAccessBlockCommand,
  PutPublicAccessBlockCommand as PutAccountPublicAccessBlockCommand,
} from "@aws-sdk/client-s3-control";
import type { ApplyOutcome, AwsErrorInfo } from "../../app/fix-ports.js";
import type { ApiCall } from "../../core/fixes/types.js";
import type { AccountClients } from "../clients.js";
import { describeAwsError } from "../errors.js";

/**
 * Sends one planned call with the fixer's clients (S3 calls to the bucket's region).
 * - PutBucketPolicy / PutBucketAcl / PutBucketEncryption / PutPublicAccessBlock require a body
 *   checksum (Content-MD5 or x-amz-checksum-*): the SDK computes it
 *   (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html).
 * - PutBucketAcl replaces the whole ACL, so the call carries every grant to keep
 *   (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketAcl.html).
 */
export async function sendCall(clients: AccountClients, region: string, planned: ApiCall): Promise<void> {
  // The SDK's checksum middleware writes ChecksumAlgorithm into the input it is given: send a copy,
  // so the stored plan stays what the preview showed.
  const call = structuredClone(planned);
  switch (call.service) {
    case "s3":
      await sendS3(clients, region, call);
      return;
    case "s3control":
      if (call.operation === "PutPublicAccessBlock") await clients.s3Control.send(new PutAccountPublicAccessBlockCommand(call.params));
      else await clients.s3Control.send(new DeleteAccountPublicAccessBlockCommand(call.params));
      return;
    case "iam":
      if (call.operation === "UpdateAccessKey") await clients.iam.send(new UpdateAccessKeyCommand(call.params));
      else if (call.operation === "UpdateAccountPasswordPolicy") await clients.iam.send(new UpdateAccountPasswordPolicyCommand(call.params));
      else await clients.iam.send(new DeleteAccountPasswordPolicyCommand({}));
      return;
  }
}

async function sendS3(clients: AccountClients, region: string, call: Extract<ApiCall, { service: "s3" }>): Promise<void> {
  const s3 = clients.s3(region);
  switch (call.operation) {
    case "PutPublicAccessBlock": await s3.send(new PutPublicAccessBlockCommand(call.params)); return;
    case "DeletePublicAccessBlock": await s3.send(new DeletePublicAccessBlockCommand(call.params)); return;
    case "PutBucketPolicy": await s3.send(new PutBucketPolicyCommand(call.params)); return;
    case "DeleteBucketPolicy": await s3.send(new DeleteBucketPolicyCommand(call.params)); return;
    case "PutBucketEncryption": await s3.send(new PutBucketEncryptionCommand(call.params)); return;
    case "DeleteBucketEncryption": await s3.send(new DeleteBucketEncryptionCommand(call.params)); return;
    case "PutBucketVersioning": await s3.send(new PutBucketVersioningCommand(call.params)); return;
    case "PutBucketAcl": await s3.send(new PutBucketAclCommand(call.params)); return;
  }
}

/**
 * Makes the calls in order. When one fails, the calls before it are reverted with their `rollback`
 * (newest first), so a failed fix leaves the resource as it was; the failing call itself wrote nothing
 * (each S3 and IAM write is atomic).
 */
export async function executeCalls(clients: AccountClients, region: string, calls: readonly ApiCall[], rollback: readonly (ApiCall | undefined)[] = []): Promise<ApplyOutcome> {
  for (const [index, call] of calls.entries()) {
    try {
      await sendCall(clients, region, call);
    } catch (error) {
      const failure = describeAwsError(error);
      const undo = rollback.slice(0, index).filter((c): c is ApiCall => c !== undefined).reverse();
      const rollbackError = await runRollback(clients, region, undo);
      return { ok: false, error: failure, rolledBack: undo, ...(rollbackError ? { rollbackError } : {}) };
    }
  }
  return { ok: true };
}

async function runRollback(clients: AccountClients, region: string, calls: readonly ApiCall[]): Promise<AwsErrorInfo | undefined> {
  for (const call of calls) {
    try {
      await sendCall(clients, region, call);
    } catch (error) {
      return describeAwsError(error);
    }
  }
  return undefined;
}
