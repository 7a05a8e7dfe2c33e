import type { AnyNamedCheck } from "./check.js";
import { s3PublicPolicy, s3PublicAcl, s3PolicyDeniesInsecureTransport, s3PolicyNoCrossAccount } from "./s3-checks.js";
import {
  iamPrincipalNotAdmin, iamPolicyNotAdmin, iamPolicyNoFullServiceAccess, iamPolicyNoAssumeRoleOnWildcard,
} from "./iam-permission-checks.js";
import { iamRoleTrustNotPublic, iamRoleTrustCrossAccountHasExternalId } from "./iam-trust-checks.js";
import { iamUserCredentialsUnused } from "./iam-credential-checks.js";

const all: AnyNamedCheck[] = [
  s3PublicPolicy, s3PublicAcl, s3PolicyDeniesInsecureTransport, s3PolicyNoCrossAccount,
  iamPrincipalNotAdmin, iamPolicyNotAdmin, iamPolicyNoFullServiceAccess, iamPolicyNoAssumeRoleOnWildcard,
  iamRoleTrustNotPublic, iamRoleTrustCrossAccountHasExternalId,
  iamUserCredentialsUnused,
];

/** Every named check a rule may reference with `use:`. */
export const namedChecks: ReadonlyMap<string, AnyNamedCheck> = new Map(all.map((check) => [check.name, check]));
