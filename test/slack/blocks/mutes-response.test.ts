import { describe, expect, it } from "vitest";
import { renderMutesResponse, type MuteListItem } from "../../../src/slack/blocks/mutes-response.js";
import { HOSTILE, NOW } from "./fixtures.js";
import { expectValidMessage, visibleText } from "./helpers.js";

/** Texts Slack parses as mrkdwn (the header is plain_text, shown literally) and the notification text. */
const mrkdwnText = (value: unknown): string => {
  if (Array.isArray(value)) return value.map(mrkdwnText).join("\n");
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record.type === "mrkdwn" && typeof record.text === "string") return record.text;
    return Object.values(record).map(mrkdwnText).join("\n");
  }
  return "";
};

const item = (overrides: Partial<MuteListItem> = {}): MuteListItem => ({
  muteId: 1,
  rule: { id: "s3-bucket-public-policy", title: "S3 bucket is not public through its bucket policy", severity: "critical" },
  resourceName: "marketing-site",
  team: "web",
  reason: "risk_accepted",
  justification: "Static website bucket served through CloudFront.",
  expiresAt: "2026-12-02T00:00:00Z",
  requestedBy: "U0ALICE",
  approvedBy: "U0BOB",
  scope: { kind: "finding" },
  requestPermalink: "https://example.slack.com/archives/C0APPROVALS/p1793344320000100",
  ...overrides,
});

describe("renderMutesResponse", () => {
  it("lists pending, expiring-within-7-days and active mutes with reasons, expiry, people and scope", () => {
    const message = renderMutesResponse({
      team: "web",
      now: NOW,
      active: [
        item(),
        item({ muteId: 2, expiresAt: "2026-11-05T00:00:00Z", reason: "pending_fix", justification: "Fix ships\nin release 4.2", resourceName: "legacy-logs", rule: { id: "s3-bucket-logging", title: "S3 bucket has access logging", severity: "low" } }),
        item({ muteId: 3, expiresAt: null, scope: { kind: "rule_tag", tag: { key: "public", value: "intended" } }, resourceName: null, reason: "false_positive" }),
      ],
      pending: [item({ muteId: 4, approvedBy: undefined, reason: "other", requestedBy: "U0CAROL" })],
    });
    expectValidMessage(message);
    expect(message).toMatchSnapshot();
    const text = visibleText(message.blocks);
    expect(text).toContain("3 active mutes (1 expiring within 7 days) · 1 pending request");
    const order = ["*Pending approval* (1)", "*Expiring within 7 days* (1)", "legacy-logs", "*Active* (2)"].map((part) => text.indexOf(part));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain("requested by <@U0CAROL>");
    expect(text).toContain("<@U0ALICE>, approved by <@U0BOB>");
    expect(text).toContain("Pending fix: “Fix ships in release 4.2”");
    expect(text).toContain("all resources tagged `public=intended`");
    expect(text).toContain("permanently");
  });

  it("has an empty state", () => {
    const message = renderMutesResponse({ team: "web", now: NOW, active: [], pending: [] });
    expectValidMessage(message);
    expect(message).toMatchSnapshot();
    expect(visibleText(message.blocks)).toContain("No active or pending mutes for `web`");
  });

  it("stays within Slack's limits with 2,000 mutes and says how many are left out", () => {
    const active = Array.from({ length: 2_000 }, (_, i) => item({ muteId: i + 1, justification: "x".repeat(280), resourceName: `bucket-${i}` }));
    const message = renderMutesResponse({ now: NOW, active, pending: [] });
    expectValidMessage(message);
    const text = visibleText(message.blocks);
    const shown = (text.match(/bucket-\d+/g) ?? []).length;
    expect(shown).toBeGreaterThan(10);
    expect(text).toContain(`…and ${(2_000 - shown).toLocaleString("en-US")} more mutes`);
  });

  it("escapes hostile justifications, tags, names and links", () => {
    const hostile = item({ justification: HOSTILE, reason: HOSTILE, resourceName: HOSTILE, team: HOSTILE, rule: { id: HOSTILE, title: HOSTILE, severity: "high" }, requestedBy: "<!here>", approvedBy: HOSTILE, requestPermalink: "javascript:alert(1)" });
    const message = renderMutesResponse({ team: HOSTILE, now: NOW, active: [hostile, { ...hostile, scope: { kind: "rule_tag", tag: { key: HOSTILE, value: HOSTILE } } }], pending: [hostile] });
    expectValidMessage(message);
    expect(`${message.text}\n${mrkdwnText(message.blocks)}`).not.toMatch(/<!channel>|<!here>|<@U123ABC>|<https:\/\/evil|<javascript/);
  });
});
