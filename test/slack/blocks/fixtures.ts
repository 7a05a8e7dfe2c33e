import type { FindingMessageView, RuleSummary } from "../../../src/slack/blocks/finding.js";

export const NOW = new Date("2026-11-02T08:00:00Z");

export const publicPolicyRule: RuleSummary = {
  id: "s3-bucket-public-policy",
  title: "S3 bucket is not public through its bucket policy",
  severity: "critical",
  compliance: { "cis-aws-7.0": ["2.21"], "pci-dss-4.0": ["1.4.4"], soc2: ["CC6.1", "CC6.6"] },
  hasFixer: true,
};

export const findingView = (overrides: Partial<FindingMessageView> = {}): FindingMessageView => ({
  findingId: 123,
  rule: publicPolicyRule,
  resource: {
    arn: "arn:aws:s3:::payments-exports",
    type: "aws:s3:bucket",
    name: "payments-exports",
    accountId: "111122223333",
    region: "eu-west-1",
    tags: { team: "payments", env: "prod", "cost-center": "42" },
  },
  team: "payments",
  ownerReason: "tag team=payments",
  evidence: [
    { path: "policyStatus.isPublic", expected: "false", observed: true },
    { path: "policy.Statement[0]", expected: "no Principal \"*\" Allow", observed: { Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject" } },
  ],
  qualifiers: [],
  firstSeen: "2026-10-30T07:12:00Z",
  state: { kind: "new" },
  ...overrides,
});

/** Strings an attacker can put in tags, names and evidence. */
export const HOSTILE = "<!channel> <@U123ABC> & <https://evil.example|click> `x` ```y``` *bold*";
