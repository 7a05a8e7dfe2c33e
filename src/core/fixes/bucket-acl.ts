import type { AclGrant, Bucket } from "../snapshot.js";
import type { AccessControlPolicyConfig } from "./types.js";
import { FixNotApplicableError } from "./types.js";

export type BucketAcl = Extract<NonNullable<Bucket["acl"]>, { owner: unknown }>;

/** The predefined groups that make an ACL grant public (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#specifying-grantee-predefined-groups). */
export const PUBLIC_GRANTEE_URIS: readonly string[] = [
  "http://acs.amazonaws.com/groups/global/AllUsers",
  "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
];

export type AclAccess = "any" | "read" | "write";

/** The permissions each public-ACL rule looks at (the s3PublicAcl check's `access`). */
const PERMISSIONS: Record<AclAccess, readonly string[]> = {
  any: ["READ", "READ_ACP", "WRITE", "WRITE_ACP", "FULL_CONTROL"],
  read: ["READ", "READ_ACP", "FULL_CONTROL"],
  write: ["WRITE", "WRITE_ACP", "FULL_CONTROL"],
};

export function isPublicGrant(grant: AclGrant, access: AclAccess = "any"): boolean {
  return grant.grantee.type === "Group" && PUBLIC_GRANTEE_URIS.includes(grant.grantee.uri ?? "") && PERMISSIONS[access].includes(grant.permission);
}

/**
 * The ACL without its grants to AllUsers / AuthenticatedUsers (for `read` / `write`: those granting
 * that access); the owner's and every other grant stay, in order.
 */
export function planAclWithoutPublicGrants(acl: BucketAcl, access: AclAccess = "any"): { after: BucketAcl; removed: AclGrant[] } {
  const removed = acl.grants.filter((grant) => isPublicGrant(grant, access));
  if (removed.length === 0) throw new FixNotApplicableError(`the bucket ACL grants no ${access === "any" ? "" : `${access} `}access to AllUsers or AuthenticatedUsers`);
  return { after: { owner: acl.owner, grants: acl.grants.filter((grant) => !isPublicGrant(grant, access)) }, removed };
}

/** The AccessControlPolicy body of PutBucketAcl for an ACL in the snapshot's shape. */
export function accessControlPolicyOf(acl: BucketAcl): AccessControlPolicyConfig {
  return {
    Owner: { ID: acl.owner.id, ...(acl.owner.displayName !== undefined ? { DisplayName: acl.owner.displayName } : {}) },
    Grants: acl.grants.map((grant) => ({
      Grantee: {
        Type: grant.grantee.type,
        ...(grant.grantee.id !== undefined ? { ID: grant.grantee.id } : {}),
        ...(grant.grantee.uri !== undefined ? { URI: grant.grantee.uri } : {}),
        ...(grant.grantee.displayName !== undefined ? { DisplayName: grant.grantee.displayName } : {}),
        ...(grant.grantee.email !== undefined ? { EmailAddress: grant.grantee.email } : {}),
      },
      Permission: grant.permission,
    })),
  };
}
