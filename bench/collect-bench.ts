import { fileConfigSchema, type Config } from "../src/config.js";
import { createAwsCollector } from "../src/aws/collector.js";
import { BUCKET_ATTRIBUTES } from "../src/aws/collection-plan.js";
import { RESOURCE_TYPES, snapshotSchema } from "../src/core/snapshot.js";
import { generateDataset } from "../test/helpers/fake-aws/dataset.js";
import { startFakeAws } from "../test/helpers/fake-aws/server.js";

export interface CollectBenchFigures {
  buckets: number;
  users: number;
  latencyMs: number;
  concurrency: number;
  wallSeconds: number;
  apiCallsTotal: number;
  s3CallsPerBucket: number;
  iamCallsPerAccount: number;
  accountCalls: Record<string, number>;
  resources: number;
  errors: number;
}

const SIZE = { buckets: 1_000, users: 2_000, roles: 200, groups: 30, policies: 100 };
const LATENCY_MS = 20;

/** Every attribute of every resource type: the worst case of the catalog (all rules enabled). */
function readEverything(): Map<string, Set<string>> {
  const reads = new Map<string, Set<string>>(RESOURCE_TYPES.map((type) => [type, new Set(["tags"])]));
  reads.set("aws:s3:bucket", new Set([...BUCKET_ATTRIBUTES, "accountPublicAccessBlock"]));
  reads.set("aws:iam:user", new Set(["tags", "credentials", "virtualMfaDevices"]));
  reads.set("aws:iam:root-user", new Set(["credentials", "accountSummary", "virtualMfaDevices"]));
  reads.set("aws:iam:account", new Set(["supportRoles", "summary"]));
  return reads;
}

/** 1,000 buckets and 2,000 users behind a fake AWS endpoint with 20 ms per request. */
export async function runCollectBench(): Promise<CollectBenchFigures> {
  const dataset = generateDataset(SIZE);
  const fake = await startFakeAws({ dataset, latencyMs: LATENCY_MS });
  const fileConfig = fileConfigSchema.parse({ accounts: [{ id: dataset.accountId, name: "bench" }], scan: { concurrency: 32, maxAttempts: 3 } });
  const config: Config = { ...fileConfig, awsEndpointUrl: fake.url, homeRegion: "us-east-1", logLevel: "silent", dbPath: ":memory:", slack: { mode: "console" } };
  const collector = createAwsCollector(config, { credentials: async () => ({ accessKeyId: "AKIDBENCH", secretAccessKey: "bench" }) });
  try {
    const started = performance.now();
    const snapshot = snapshotSchema.parse(await collector.collect({ reads: readEverything() }));
    const wallSeconds = (performance.now() - started) / 1000;
    const account = snapshot.accounts[0]!;
    const sum = (prefix: string) => Object.entries(account.apiCalls).filter(([k]) => k.startsWith(prefix)).reduce((a, [, n]) => a + n, 0);
    const perBucketOps = Object.entries(account.apiCalls).filter(([k]) => k.startsWith("s3:Get")).reduce((a, [, n]) => a + n, 0);
    return {
      buckets: SIZE.buckets, users: SIZE.users, latencyMs: LATENCY_MS, concurrency: config.scan.concurrency,
      wallSeconds: Number(wallSeconds.toFixed(2)),
      apiCallsTotal: fake.totalCalls(),
      s3CallsPerBucket: Number((perBucketOps / SIZE.buckets).toFixed(2)),
      iamCallsPerAccount: sum("iam:") + sum("sts:"),
      accountCalls: account.apiCalls,
      resources: snapshot.resources.length,
      errors: account.errors.length,
    };
  } finally {
    await fake.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await runCollectBench(), null, 2));
}
