import { z } from "zod";
import { policyDocumentSchema } from "./policy-document.js";

/**
 * The normalized snapshot: what collectors emit, what rules read, what `posture collect` writes.
 * Attribute conventions (every rule and collector relies on them):
 * - an attribute that is `undefined` was not collected (no enabled rule needed it): reading it is unknown;
 * - `{ $unknown: reason }` means the call failed (AccessDenied, throttling, ...): reading it is unknown;
 * - `null` means AWS answered "not configured" (NoSuchBucketPolicy, NoSuchEntity, ...): a real value.
 */
const unknownSchema = z.strictObject({ $unknown: z.string() });
const orUnknown = <T extends z.ZodType>(schema: T) => z.union([unknownSchema, schema]);
const isoDate = z.iso.datetime({ offset: true });
const tags = z.record(z.string(), z.string());

const accountId = z.string().regex(/^\d{12}$/, "a 12-digit AWS account id");
const base = {
  arn: z.string().min(1),
  accountId,
  region: z.string().min(1),
  name: z.string().min(1),
};

export const publicAccessBlockSchema = z.strictObject({
  blockPublicAcls: z.boolean(),
  ignorePublicAcls: z.boolean(),
  blockPublicPolicy: z.boolean(),
  restrictPublicBuckets: z.boolean(),
});

export const aclGrantSchema = z.strictObject({
  grantee: z.strictObject({
    type: z.enum(["CanonicalUser", "Group", "AmazonCustomerByEmail"]),
    id: z.string().optional(),
    uri: z.string().optional(),
    displayName: z.string().optional(),
    email: z.string().optional(),
  }),
  permission: z.enum(["FULL_CONTROL", "READ", "WRITE", "READ_ACP", "WRITE_ACP"]),
});

export const bucketSchema = z.strictObject({
  ...base,
  type: z.literal("aws:s3:bucket"),
  createdAt: isoDate.optional(),
  tags: orUnknown(tags).optional(),
  publicAccessBlock: orUnknown(publicAccessBlockSchema.nullable()).optional(),
  accountPublicAccessBlock: orUnknown(publicAccessBlockSchema.nullable()).optional(),
  policyStatus: orUnknown(z.strictObject({ isPublic: z.boolean() }).nullable()).optional(),
  policy: orUnknown(policyDocumentSchema.nullable()).optional(),
  acl: orUnknown(z.strictObject({
    owner: z.strictObject({ id: z.string(), displayName: z.string().optional() }),
    grants: z.array(aclGrantSchema),
  })).optional(),
  ownershipControls: orUnknown(z.enum(["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"]).nullable()).optional(),
  versioning: orUnknown(z.strictObject({
    status: z.enum(["Enabled", "Suspended", "Disabled"]),
    mfaDelete: z.enum(["Enabled", "Disabled"]),
  })).optional(),
  encryption: orUnknown(z.strictObject({
    rules: z.array(z.strictObject({
      algorithm: z.enum(["AES256", "aws:kms", "aws:kms:dsse"]),
      kmsKeyId: z.string().optional(),
      bucketKeyEnabled: z.boolean(),
    })),
  }).nullable()).optional(),
  logging: orUnknown(z.strictObject({ targetBucket: z.string(), targetPrefix: z.string() }).nullable()).optional(),
  objectLock: orUnknown(z.strictObject({
    enabled: z.boolean(),
    defaultRetention: z.strictObject({
      mode: z.enum(["GOVERNANCE", "COMPLIANCE"]),
      days: z.number().int().optional(),
      years: z.number().int().optional(),
    }).optional(),
  }).nullable()).optional(),
});

export const s3AccountSchema = z.strictObject({
  ...base,
  type: z.literal("aws:s3:account"),
  tags: orUnknown(tags).optional(),
  publicAccessBlock: orUnknown(publicAccessBlockSchema.nullable()).optional(),
});

const policyRef = z.strictObject({ name: z.string(), arn: z.string() });
const inlinePolicy = z.strictObject({ name: z.string(), document: policyDocumentSchema });

export const accessKeyReportSchema = z.strictObject({
  slot: z.union([z.literal(1), z.literal(2)]),
  active: z.boolean(),
  lastRotated: isoDate.nullable(),
  lastUsedDate: isoDate.nullable(),
  lastUsedRegion: z.string().nullable(),
  lastUsedService: z.string().nullable(),
});

/** One row of the IAM credential report (the root row included). */
export const credentialReportRowSchema = z.strictObject({
  userCreationTime: isoDate.nullable(),
  passwordEnabled: z.boolean(),
  passwordLastUsed: isoDate.nullable(),
  passwordLastChanged: isoDate.nullable(),
  mfaActive: z.boolean(),
  accessKeys: z.array(accessKeyReportSchema),
  certificates: z.array(z.strictObject({
    slot: z.union([z.literal(1), z.literal(2)]),
    active: z.boolean(),
    lastRotated: isoDate.nullable(),
  })),
  reportGeneratedAt: isoDate,
});

export const iamUserSchema = z.strictObject({
  ...base,
  type: z.literal("aws:iam:user"),
  userId: z.string(),
  path: z.string(),
  createdAt: isoDate,
  tags: orUnknown(tags).optional(),
  groups: z.array(policyRef),
  attachedPolicies: z.array(policyRef),
  inlinePolicies: z.array(inlinePolicy),
  permissionsBoundary: z.string().nullable(),
  credentials: orUnknown(credentialReportRowSchema).optional(),
  /** Serial numbers of the virtual MFA devices bound to this user (hardware MFA = MFA active and none here). */
  virtualMfaDevices: orUnknown(z.array(z.string())).optional(),
});

export const iamGroupSchema = z.strictObject({
  ...base,
  type: z.literal("aws:iam:group"),
  groupId: z.string(),
  path: z.string(),
  createdAt: isoDate,
  tags: orUnknown(tags).optional(),
  attachedPolicies: z.array(policyRef),
  inlinePolicies: z.array(inlinePolicy),
  members: z.array(z.string()),
});

export const iamRoleSchema = z.strictObject({
  ...base,
  type: z.literal("aws:iam:role"),
  roleId: z.string(),
  path: z.string(),
  createdAt: isoDate,
  tags: orUnknown(tags).optional(),
  trustPolicy: policyDocumentSchema,
  attachedPolicies: z.array(policyRef),
  inlinePolicies: z.array(inlinePolicy),
  permissionsBoundary: z.string().nullable(),
  lastUsed: z.strictObject({ date: isoDate, region: z.string().nullable() }).nullable(),
  serviceLinked: z.boolean(),
});

export const iamPolicySchema = z.strictObject({
  ...base,
  type: z.literal("aws:iam:policy"),
  policyId: z.string(),
  path: z.string(),
  awsManaged: z.boolean(),
  attachmentCount: z.number().int(),
  isAttachable: z.boolean(),
  defaultVersionId: z.string(),
  document: orUnknown(policyDocumentSchema),
  createdAt: isoDate,
  updatedAt: isoDate,
  tags: orUnknown(tags).optional(),
});

export const iamRootUserSchema = z.strictObject({
  ...base,
  type: z.literal("aws:iam:root-user"),
  tags: orUnknown(tags).optional(),
  credentials: orUnknown(credentialReportRowSchema).optional(),
  accountSummary: orUnknown(z.strictObject({ mfaEnabled: z.boolean(), accessKeysPresent: z.boolean() })).optional(),
  virtualMfaDevices: orUnknown(z.array(z.string())).optional(),
});

export const passwordPolicySchema = z.strictObject({
  minimumPasswordLength: z.number().int(),
  requireSymbols: z.boolean(),
  requireNumbers: z.boolean(),
  requireUppercaseCharacters: z.boolean(),
  requireLowercaseCharacters: z.boolean(),
  allowUsersToChangePassword: z.boolean(),
  expirePasswords: z.boolean(),
  maxPasswordAge: z.number().int().optional(),
  passwordReusePrevention: z.number().int().optional(),
  hardExpiry: z.boolean().optional(),
});

export const iamPasswordPolicySchema = z.strictObject({
  ...base,
  type: z.literal("aws:iam:password-policy"),
  tags: orUnknown(tags).optional(),
  /** `null`: the account has no password policy (GetAccountPasswordPolicy answered NoSuchEntity). */
  policy: orUnknown(passwordPolicySchema.nullable()).optional(),
});

export const iamAccountSchema = z.strictObject({
  ...base,
  type: z.literal("aws:iam:account"),
  tags: orUnknown(tags).optional(),
  /** Roles with the AWSSupportAccess managed policy attached (from GetAccountAuthorizationDetails). */
  supportRoles: orUnknown(z.array(z.string())).optional(),
  summary: orUnknown(z.record(z.string(), z.number())).optional(),
});

export const serverCertificateSchema = z.strictObject({
  ...base,
  type: z.literal("aws:iam:server-certificate"),
  tags: orUnknown(tags).optional(),
  certificateId: z.string(),
  path: z.string(),
  uploadedAt: isoDate,
  expiration: isoDate,
});

export const resourceSchema = z.discriminatedUnion("type", [
  bucketSchema, s3AccountSchema, iamUserSchema, iamGroupSchema, iamRoleSchema, iamPolicySchema,
  iamRootUserSchema, iamPasswordPolicySchema, iamAccountSchema, serverCertificateSchema,
]);

export const RESOURCE_TYPES = resourceSchema.options.map((option) => option.shape.type.value) as ResourceType[];

export const collectionErrorSchema = z.strictObject({
  service: z.string(),
  operation: z.string(),
  region: z.string().optional(),
  resource: z.string().optional(),
  code: z.string(),
  message: z.string(),
});

export const accountCoverageSchema = z.strictObject({
  accountId: z.string(),
  name: z.string().optional(),
  regions: z.array(z.string()),
  status: z.enum(["ok", "partial", "failed"]),
  startedAt: isoDate,
  finishedAt: isoDate,
  apiCalls: z.record(z.string(), z.number().int()),
  errors: z.array(collectionErrorSchema),
  /**
   * Resource types whose inventory of this account is complete in this snapshot (the listing calls
   * succeeded and the type was requested). Only these can reveal a deleted resource: a type that was
   * not collected (a `--rule` subset) or whose listing failed says nothing about deletions.
   */
  resourceTypes: z.array(z.enum(resourceSchema.options.map((option) => option.shape.type.value) as [ResourceType, ...ResourceType[]])).optional(),
});

export const SNAPSHOT_SCHEMA_VERSION = 1;

export const snapshotSchema = z.strictObject({
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  collectedAt: isoDate,
  accounts: z.array(accountCoverageSchema),
  resources: z.array(resourceSchema),
});

export type Resource = z.infer<typeof resourceSchema>;
export type ResourceType = Resource["type"];
export type Bucket = z.infer<typeof bucketSchema>;
export type S3Account = z.infer<typeof s3AccountSchema>;
export type IamUser = z.infer<typeof iamUserSchema>;
export type IamGroup = z.infer<typeof iamGroupSchema>;
export type IamRole = z.infer<typeof iamRoleSchema>;
export type IamPolicy = z.infer<typeof iamPolicySchema>;
export type IamRootUser = z.infer<typeof iamRootUserSchema>;
export type IamPasswordPolicy = z.infer<typeof iamPasswordPolicySchema>;
export type IamAccount = z.infer<typeof iamAccountSchema>;
export type ServerCertificate = z.infer<typeof serverCertificateSchema>;
export type PublicAccessBlock = z.infer<typeof publicAccessBlockSchema>;
export type AclGrant = z.infer<typeof aclGrantSchema>;
export type CredentialReportRow = z.infer<typeof credentialReportRowSchema>;
export type PasswordPolicy = z.infer<typeof passwordPolicySchema>;
export type CollectionError = z.infer<typeof collectionErrorSchema>;
export type AccountCoverage = z.infer<typeof accountCoverageSchema>;
export type Snapshot = z.infer<typeof snapshotSchema>;

export function resourceSchemaFor(type: ResourceType) {
  const schema = resourceSchema.options.find((option) => option.shape.type.value === type);
  if (!schema) throw new Error(`unknown resource type ${type}`);
  return schema;
}

/**
 * A resource's identity across accounts: its ARN, except for objects AWS owns and every account
 * shares under one ARN (AWS managed policies: `arn:aws:iam::aws:policy/...`), which are attached and
 * judged per account, so their identity carries the account: `arn:aws:iam::aws:policy/X@111122223333`.
 */
export function resourceId(resource: { arn: string; accountId: string }): string {
  return /^arn:[^:]+:iam::aws:/.test(resource.arn) ? `${resource.arn}@${resource.accountId}` : resource.arn;
}
