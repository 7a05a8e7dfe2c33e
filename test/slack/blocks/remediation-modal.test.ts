import { describe, expect, it } from "vitest";
import { renderRemediationModal, type RemediationModalView } from "../../../src/slack/blocks/remediation-modal.js";
import { CALLBACK_IDS, decodeValue } from "../../../src/slack/ids.js";
import { HOSTILE } from "./fixtures.js";
import { expectValidModal } from "./helpers.js";

const view = (overrides: Partial<RemediationModalView> = {}): RemediationModalView => ({
  findingId: 123,
  rule: {
    id: "s3-bucket-public-policy",
    title: "S3 bucket is not public through its bucket policy",
    severity: "critical",
    risk: "A public bucket policy lets anyone on the internet read objects without credentials.",
    remediation: {
      console: "1. Open the Amazon S3 console and choose the bucket {{resource.name}}.\n2. On the Permissions tab, remove the public statement.",
      cli: "aws s3api get-bucket-policy --region {{resource.region}} --bucket {{resource.name}}\naws s3api put-public-access-block --bucket {{resource.name}} \\\n  --public-access-block-configuration BlockPublicPolicy=true\n",
      terraform: 'resource "aws_s3_bucket_public_access_block" "this" {\n  bucket              = "{{resource.name}}"\n  block_public_policy = true\n}\n',
      references: ["https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html"],
    },
  },
  resource: { name: "payments-exports", arn: "arn:aws:s3:::payments-exports", accountId: "111122223333", region: "eu-west-1", type: "aws:s3:bucket" },
  channelId: "C0PAYMENTS",
  messageTs: "1793344320.000100",
  ...overrides,
});

describe("renderRemediationModal", () => {
  it("fills the real names in and matches its snapshot", () => {
    const modal = renderRemediationModal(view());
    expectValidModal(modal);
    expect(modal).toMatchSnapshot();
    const text = JSON.stringify(modal.blocks);
    expect(text).not.toContain("{{resource.");
    expect(text).toContain("--region eu-west-1 --bucket payments-exports");
    expect(text).toContain('bucket              = \\"payments-exports\\"');
  });

  it("carries the finding and its message in private_metadata, never more", () => {
    const modal = renderRemediationModal(view());
    expect(modal.callback_id).toBe(CALLBACK_IDS.remediationModal);
    expect(decodeValue("modal", modal.private_metadata)).toEqual({ ok: true, value: { v: 1, findingId: 123, channelId: "C0PAYMENTS", messageTs: "1793344320.000100" } });
  });

  it("splits a 20,000-character CLI script over several code sections instead of cutting it", () => {
    const cli = Array.from({ length: 400 }, (_, i) => `aws s3api get-bucket-tagging --bucket {{resource.name}} # ${i}`).join("\n");
    const modal = renderRemediationModal(view({ rule: { ...view().rule, cli: undefined, remediation: { ...view().rule.remediation, cli } } as RemediationModalView["rule"] }));
    expectValidModal(modal);
    const text = JSON.stringify(modal.blocks);
    expect(text).toContain("# 0");
    expect(text).toContain("# 399");
  });

  it("escapes hostile resource names in code and text; only http(s) references become links", () => {
    const modal = renderRemediationModal(view({
      resource: { ...view().resource, name: HOSTILE },
      rule: { ...view().rule, remediation: { ...view().rule.remediation, references: ["javascript:alert(1)", "https://docs.aws.amazon.com/x|<!here>"] } },
    }));
    expectValidModal(modal);
    const text = JSON.stringify(modal);
    expect(text).not.toMatch(/<!channel>|<!here>|<@U123ABC>|<https:\/\/evil|<javascript/);
  });
});
