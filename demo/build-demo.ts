import { RESOURCE_TYPES, SNAPSHOT_SCHEMA_VERSION, type AccountCoverage, type Resource, type Snapshot } from "../src/core/snapshot.js";
import { buildBuckets, buildS3Accounts } from "./demo-buckets.js";
import { buildIamAccounts, buildPasswordPolicies, buildRootUsers, buildServerCertificates } from "./demo-iam-account.js";
import { buildPolicies } from "./demo-iam-policies.js";
import { buildPrincipals } from "./demo-iam-principals.js";
import { DEMO_COLLECTED_AT, DEMO_SEED, PROD, STAGING, createRandom, daysAgo } from "./demo-kit.js";

/**
 * The bundled demo: two accounts of a fictional company ("acme-prod", "acme-staging"), about 50
 * buckets and 40 IAM principals owned by four teams, with the mistakes real estates have. Pure and
 * seeded: the same code always yields the same snapshot (demo/generate-demo.ts writes it).
 */
export function buildDemoSnapshot(): Snapshot {
  const random = createRandom(DEMO_SEED);
  const buckets = buildBuckets(random);
  const { users, groups, roles, attachments } = buildPrincipals(random);
  const resources: Resource[] = [
    ...buildS3Accounts(), ...buckets,
    ...buildRootUsers(), ...buildPasswordPolicies(), ...buildIamAccounts(users, roles),
    ...users, ...groups, ...roles, ...buildPolicies(random, attachments), ...buildServerCertificates(random),
  ];
  return { schemaVersion: SNAPSHOT_SCHEMA_VERSION, collectedAt: DEMO_COLLECTED_AT, accounts: accountCoverage(resources), resources };
}

const PER_BUCKET_CALLS = [
  "GetPublicAccessBlock", "GetBucketPolicyStatus", "GetBucketPolicy", "GetBucketAcl", "GetBucketOwnershipControls",
  "GetBucketTagging", "GetBucketVersioning", "GetBucketEncryption", "GetBucketLogging", "GetObjectLockConfiguration",
];

/**
 * Every listing call of the demo succeeded (the errors are per-bucket attribute calls), so each account
 * holds a complete inventory of every type: a resource missing from a later snapshot would be deleted.
 */
function accountCoverage(resources: readonly Resource[]): AccountCoverage[] {
  const calls = (accountId: string) => {
    const buckets = resources.filter((r) => r.accountId === accountId && r.type === "aws:s3:bucket").length;
    return {
      "sts:AssumeRole": 1, "iam:GetAccountAuthorizationDetails": 2, "iam:GenerateCredentialReport": 2, "iam:GetCredentialReport": 1,
      "iam:GetAccountPasswordPolicy": 1, "iam:GetAccountSummary": 1, "iam:ListVirtualMFADevices": 1, "iam:ListServerCertificates": 1,
      "s3:ListBuckets": 1, "s3control:GetPublicAccessBlock": 1,
      ...Object.fromEntries(PER_BUCKET_CALLS.map((call) => [`s3:${call}`, buckets])),
    };
  };
  return [
    {
      accountId: PROD.id, name: PROD.name, regions: [...PROD.regions], status: "partial",
      startedAt: daysAgo(2 / 1440), finishedAt: DEMO_COLLECTED_AT, apiCalls: calls(PROD.id),
      errors: [
        { service: "s3", operation: "GetBucketPolicy", region: "us-east-1", resource: "acme-payments-card-vault", code: "AccessDenied", message: "explicit deny in a resource-based policy" },
        { service: "s3", operation: "GetBucketAcl", region: "us-east-1", resource: "acme-payments-card-vault", code: "AccessDenied", message: "Access Denied" },
      ],
      resourceTypes: [...RESOURCE_TYPES],
    },
    {
      accountId: STAGING.id, name: STAGING.name, regions: [...STAGING.regions], status: "partial",
      startedAt: daysAgo(1.5 / 1440), finishedAt: DEMO_COLLECTED_AT, apiCalls: calls(STAGING.id),
      errors: [
        { service: "s3", operation: "GetBucketEncryption", region: "us-east-1", resource: "acme-staging-analytics-scratch", code: "Throttling", message: "Rate exceeded (after 6 attempts)" },
      ],
      resourceTypes: [...RESOURCE_TYPES],
    },
  ];
}
