import { describe, expect, it } from "vitest";
import { renderFindingMessage } from "../../../src/slack/blocks/finding.js";
import { findingView, HOSTILE, NOW, publicPolicyRule } from "./fixtures.js";
import { expectValidMessage, visibleText } from "./helpers.js";

describe("renderFindingMessage with a severity override", () => {
  it("shows the effective severity, the rule's default and the reason; valid Block Kit", () => {
    const message = renderFindingMessage(findingView({
      rule: { ...publicPolicyRule, severity: "high" },
      severityOverride: { ruleSeverity: "critical", reason: "public website, reviewed by security" },
    }), NOW);
    expectValidMessage(message);
    expect(visibleText(message.blocks)).toContain("High* (rule default: critical) — public website, reviewed by security");
  });

  it("escapes the configured reason (it is shown as mrkdwn) and shows nothing extra without an override", () => {
    const hostile = renderFindingMessage(findingView({ severityOverride: { ruleSeverity: "critical", reason: HOSTILE } }), NOW);
    expectValidMessage(hostile);
    const text = JSON.stringify(hostile.blocks);
    expect(text).not.toContain("<!channel>");
    expect(text).toContain("&lt;!channel&gt;");
    expect(visibleText(renderFindingMessage(findingView(), NOW).blocks)).not.toContain("rule default");
  });
});
