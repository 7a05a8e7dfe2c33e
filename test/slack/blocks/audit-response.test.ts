import { describe, expect, it } from "vitest";
import { renderAuditResponse, type AuditEntryView, type AuditResponseView } from "../../../src/slack/blocks/audit-response.js";
import { HOSTILE } from "./fixtures.js";
import { expectValidMessage, visibleText } from "./helpers.js";

const mrkdwnText = (value: unknown): string => {
  if (Array.isArray(value)) return value.map(mrkdwnText).join("\n");
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record.type === "mrkdwn" && typeof record.text === "string") return record.text;
    return Object.values(record).map(mrkdwnText).join("\n");
  }
  return "";
};

const ENTRIES: AuditEntryView[] = [
  { at: "2026-10-30T07:12:00Z", actor: null, action: "finding_opened", details: "scan 812: policyStatus.isPublic = true" },
  { at: "2026-11-02T08:00:00Z", actor: { userId: "U0ALICE", name: "alice" }, action: "mute_requested", details: "Risk accepted: static website bucket, until 2026-12-02", permalink: "https://example.slack.com/archives/C0APPROVALS/p1793344320000100" },
  { at: "2026-11-02T09:00:00Z", actor: { userId: "U0BOB", name: "bob" }, action: "mute_approved", details: "OK until the CDN migration.\nSecond line." },
  { at: "2026-12-02T00:00:00Z", actor: null, action: "mute_expired" },
];

const view = (overrides: Partial<AuditResponseView> = {}): AuditResponseView => ({
  findingId: 123,
  rule: { id: "s3-bucket-public-policy", title: "S3 bucket is not public through its bucket policy", severity: "critical" },
  resourceName: "marketing-site",
  team: "web",
  status: "open",
  entries: ENTRIES,
  ...overrides,
});

describe("renderAuditResponse", () => {
  it("shows the timeline one line per entry: time, actor or Posture, action, details", () => {
    const message = renderAuditResponse(view());
    expectValidMessage(message);
    expect(message).toMatchSnapshot();
    const text = visibleText(message.blocks);
    expect(text).toContain("4 entries, oldest first");
    expect(text).toContain("|2026-10-30 07:12 UTC> · Posture · *finding opened* · scan 812: policyStatus.isPublic = true");
    expect(text).toContain("· <@U0ALICE> · *mute requested* · Risk accepted");
    expect(text).toContain("|message>");
    expect(text).toContain("OK until the CDN migration. Second line.");
    expect(text).not.toContain("more entr");
  });

  it("has an empty state", () => {
    const message = renderAuditResponse(view({ entries: [] }));
    expectValidMessage(message);
    expect(visibleText(message.blocks)).toContain("No audit entries for this finding yet.");
  });

  it("cuts 3,000 loaded entries of 5,000 within Slack's limits and points to the export", () => {
    const entries = Array.from({ length: 3_000 }, (_, i): AuditEntryView => ({ at: "2026-11-02T08:00:00Z", actor: { userId: "U0ALICE" }, action: "finding_reopened", details: `run ${i} ${"x".repeat(150)}` }));
    const message = renderAuditResponse(view({ entries, totalEntries: 5_000 }));
    expectValidMessage(message);
    const text = visibleText(message.blocks);
    const shown = (text.match(/run \d+/g) ?? []).length;
    expect(shown).toBeGreaterThan(10);
    expect(text).toContain(`…and ${(5_000 - shown).toLocaleString("en-US")} more entries; full export: \`posture audit export\``);
    expect(text).toContain("5,000 entries");
  });

  it("escapes hostile details, names and actions; a user name is never a mention", () => {
    const message = renderAuditResponse(view({
      rule: { id: HOSTILE, title: HOSTILE, severity: "medium" },
      resourceName: HOSTILE,
      team: HOSTILE,
      status: HOSTILE,
      entries: [{ at: "not a date <!here>", actor: { userId: "<!channel>", name: HOSTILE }, action: HOSTILE, details: HOSTILE.repeat(20), permalink: "javascript:alert(1)" }],
    }));
    expectValidMessage(message);
    expect(`${message.text}\n${mrkdwnText(message.blocks)}`).not.toMatch(/<!channel>|<!here>|<@U123ABC>|<https:\/\/evil|<javascript/);
  });
});
