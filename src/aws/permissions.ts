/**
 * The IAM action each API operation the collectors call needs. Several S3 action names differ from
 * their operation names (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
 * Keys are "service:Operation" as counted in AccountCoverage.apiCalls.
 */
export const OPERATION_PERMISSIONS: Readonly<Record<string, string>> = {
  "sts:GetCallerIdentity": "sts:GetCallerIdentity",
  "iam:GetAccountAuthorizationDetails": "iam:GetAccountAuthorizationDetails",
  "iam:GenerateCredentialReport": "iam:GenerateCredentialReport",
  "iam:GetCredentialReport": "iam:GetCredentialReport",
  "iam:GetAccountPasswordPolicy": "iam:GetAccountPasswordPolicy",
  "iam:GetAccountSummary": "iam:GetAccountSummary",
  "iam:ListVirtualMFADevices": "iam:ListVirtualMFADevices",
  "iam:ListServerCertificates": "iam:ListServerCertificates",
  "s3:ListBuckets": "s3:ListAllMyBuckets",
  "s3control:GetPublicAccessBlock": "s3:GetAccountPublicAccessBlock",
  "s3:GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
  "s3:GetBucketPolicyStatus": "s3:GetBucketPolicyStatus",
  "s3:GetBucketPolicy": "s3:GetBucketPolicy",
  "s3:GetBucketAcl": "s3:GetBucketAcl",
  "s3:GetBucketOwnershipControls": "s3:GetBucketOwnershipControls",
  "s3:GetBucketTagging": "s3:GetBucketTagging",
  "s3:GetBucketVersioning": "s3:GetBucketVersioning",
  "s3:GetBucketEncryption": "s3:GetEncryptionConfiguration",
  "s3:GetBucketLogging": "s3:GetBucketLogging",
  "s3:GetObjectLockConfiguration": "s3:GetBucketObjectLockConfiguration",
  // Account discovery (organizations.enabled): only the management or delegated-admin account may call it.
  "organizations:ListAccounts": "organizations:ListAccounts",
};

/** Every action the scanner needs, sorted: the read-only policy for the README. */
export const SCANNER_IAM_ACTIONS: readonly string[] = [...new Set(Object.values(OPERATION_PERMISSIONS))].sort();

/**
 * The scanning role's identity policy. sts:AssumeRole is granted on the *calling* identity when
 * accounts[].roleArn is used, not here. All these actions support only "*" or are read-only on buckets.
 */
export function scannerPolicyDocument(): { Version: string; Statement: { Sid: string; Effect: "Allow"; Action: string[]; Resource: string }[] } {
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "PostureReadOnlyScan", Effect: "Allow", Action: [...SCANNER_IAM_ACTIONS], Resource: "*" }],
  };
}
