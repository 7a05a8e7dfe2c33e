import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAwsCollector } from "../../../src/aws/collector.js";
import { loadConfig } from "../../../src/config.js";
import { snapshotSchema } from "../../../src/core/snapshot.js";
import { generateDataset } from "./dataset.js";
import { startFakeAws, type FakeAws } from "./server.js";

// The fake AWS endpoint serving several accounts (used by bench/cycle-bench.ts): the real collector
// assumes each account's role and reads that account's own resources; a role elsewhere is refused.
describe("fake AWS with several accounts behind one endpoint", () => {
  const management = generateDataset({ accountId: "999900000000", buckets: 0, users: 1, roles: 1, groups: 1, policies: 1 });
  const first = generateDataset({ accountId: "210000000001", buckets: 3, users: 2, roles: 2, groups: 1, policies: 1, bucketPrefix: "first", teams: ["alpha"] });
  const second = generateDataset({ accountId: "210000000002", buckets: 5, users: 4, roles: 2, groups: 1, policies: 1, bucketPrefix: "second", teams: ["beta", "gamma"] });
  let fake: FakeAws;

  beforeAll(async () => {
    fake = await startFakeAws({ dataset: management, accounts: [first, second] });
  });
  afterAll(async () => {
    await fake.close();
  });

  it("answers each account from its own dataset, counts its calls, and refuses a role in an unknown account", async () => {
    const accounts = ["210000000001", "210000000002", "210000000003"]
      .map((id) => `  - id: "${id}"\n    roleArn: arn:aws:iam::${id}:role/PostureScanner\n    externalId: ext\n`).join("");
    const config = loadConfig({ AWS_ENDPOINT_URL: fake.url }, { path: "posture.config.yml", text: `accounts:\n${accounts}regions: [us-east-1, eu-west-1]\nscan:\n  maxAttempts: 1\n` });
    const collector = createAwsCollector(config, { credentials: async () => ({ accessKeyId: "AKIDMANAGEMENT", secretAccessKey: "secret" }), credentialReportPollMs: 1 });

    const snapshot = snapshotSchema.parse(await collector.collect({ reads: new Map([["aws:s3:bucket", new Set(["tags"])], ["aws:iam:user", new Set(["tags"])]]) }));

    const status = Object.fromEntries(snapshot.accounts.map((a) => [a.accountId, a.status]));
    expect(status).toEqual({ "210000000001": "ok", "210000000002": "ok", "210000000003": "failed" });
    const bucketsOf = (id: string) => snapshot.resources.filter((r) => r.type === "aws:s3:bucket" && r.accountId === id).map((r) => [r.name, r.tags]);
    expect(bucketsOf("210000000001")).toEqual([["first-00000", {}], ["first-00001", { team: "alpha", env: "prod" }], ["first-00002", { team: "alpha", env: "prod" }]]);
    expect(bucketsOf("210000000002").map(([name]) => name)).toEqual(["second-00000", "second-00001", "second-00002", "second-00003", "second-00004"]);
    expect(snapshot.resources.filter((r) => r.type === "aws:iam:user" && r.accountId === "210000000002").map((r) => r.tags)).toEqual([{ team: "beta" }, { team: "gamma" }, { team: "beta" }, { team: "gamma" }]);

    expect(fake.callsByAccount.get("999900000000")).toEqual(new Map([["sts:AssumeRole", 3]]));
    expect(fake.callsByAccount.get("210000000002")?.get("s3:GetBucketTagging")).toBe(5);
    expect(fake.callsByAccount.get("210000000001")?.get("sts:GetCallerIdentity")).toBe(1);
    expect(snapshot.accounts.find((a) => a.accountId === "210000000003")?.errors[0]).toMatchObject({ code: "AccessDenied" });
  }, 30_000);
});
