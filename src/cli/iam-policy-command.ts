import { fixerPolicyDocument } from "../aws/fixers/permissions.js";
import { scannerPolicyDocument } from "../aws/permissions.js";
import type { CliIo } from "./context.js";
import { EXIT, UserError } from "./errors.js";

export const POLICY_KINDS = ["scanner", "fixer", "trust"] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

export interface IamPolicyFlags {
  principal?: string;
  externalId?: string;
}

const PRINCIPAL = /^arn:aws[a-z-]*:(iam|sts)::\d{12}:(root|role\/.+|user\/.+|assumed-role\/.+)$/;

/**
 * `posture iam-policy scanner|fixer|trust`: the JSON documents the README's IAM section shows, printed from
 * the same code that declares every AWS call (src/aws/permissions.ts, src/aws/fixers/permissions.ts), so
 * `aws iam put-role-policy --policy-document file://...` always gets exactly what this version needs.
 */
export function iamPolicyCommand(kind: string, flags: IamPolicyFlags, io: CliIo): number {
  if (!(POLICY_KINDS as readonly string[]).includes(kind)) throw new UserError(`iam-policy: unknown document "${kind}" (expected one of ${POLICY_KINDS.join(", ")})`);
  const document = kind === "scanner" ? scannerPolicyDocument() : kind === "fixer" ? fixerPolicyDocument() : trustPolicyDocument(flags);
  io.out(`${JSON.stringify(document, null, 2)}\n`);
  return EXIT.ok;
}

/** The trust policy of PostureScanner / PostureFixer: only Posture's base identity, only with the external id. */
export function trustPolicyDocument(flags: IamPolicyFlags): object {
  if (flags.principal === undefined || !PRINCIPAL.test(flags.principal)) {
    throw new UserError(`iam-policy trust: --principal must be the ARN of the identity Posture runs as, such as arn:aws:iam::111111111111:role/posture (received ${flags.principal === undefined ? "nothing" : `"${flags.principal}"`})`);
  }
  if (flags.externalId === undefined || !/^[\w+=,.@:/-]{2,1224}$/.test(flags.externalId)) {
    throw new UserError(`iam-policy trust: --external-id must be 2 to 1224 characters of letters, digits and +=,.@:/- (the same value as externalId in posture.config.yml; received ${flags.externalId === undefined ? "nothing" : `"${flags.externalId}"`})`);
  }
  return {
    Version: "2012-10-17",
    Statement: [{
      Effect: "Allow",
      Principal: { AWS: flags.principal },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "sts:ExternalId": flags.externalId } },
    }],
  };
}
