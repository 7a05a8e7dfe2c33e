import { describe, expect, it } from "vitest";
import type { Severity } from "../../../src/core/rule.js";
import { renderAuditResponse } from "../../../src/slack/blocks/audit-response.js";
import { renderFindingsResponse, type FindingListItem } from "../../../src/slack/blocks/findings-response.js";
import { renderGroupedFindingsMessage, type GroupedFinding } from "../../../src/slack/blocks/grouped-findings.js";
import type { ModalView } from "../../../src/slack/blocks/kit.js";
import { renderMuteDecisionModal } from "../../../src/slack/blocks/mute-decision-modal.js";
import { renderMuteModal } from "../../../src/slack/blocks/mute-modal.js";
import { renderMuteRequestMessage } from "../../../src/slack/blocks/mute-request.js";
import { renderMuteRevokeModal } from "../../../src/slack/blocks/mute-revoke-modal.js";
import { renderRemediationModal } from "../../../src/slack/blocks/remediation-modal.js";
import { renderTransitionReply } from "../../../src/slack/blocks/transition-reply.js";
import { findingView, HOSTILE, NOW, publicPolicyRule } from "./fixtures.js";
import { expectValidMessage, expectValidModal, visibleText } from "./helpers.js";

// An overridden finding: its rule (s3-bucket-public-policy) is critical, the organisation counts it as high.
const REASON = "public website, reviewed by security";
const override = { ruleSeverity: "critical" as Severity, reason: REASON };
const rule = { id: "s3-bucket-public-policy", title: "S3 bucket is not public through its bucket policy", severity: "high" as Severity };
/** Bold or not, as each surface draws its badge. */
const SHOWN = new RegExp(`High\\*? \\(rule default: critical\\) — ${REASON}`);
const asModal = (view: unknown) => view as ModalView;
const mute = { requestedBy: "U0ALICE", reason: "risk_accepted", justification: "Static website.", expiresAt: "2026-12-02T00:00:00Z", scope: { kind: "finding" as const } };

describe("an overridden finding shows its effective severity, the rule's default and the reason on every surface", () => {
  it("the mute modal", () => {
    const modal = renderMuteModal({ findingId: 1, rule, severityOverride: override, resource: { name: "site", accountId: "111122223333", region: "eu-west-1" }, team: "web",
      now: NOW, tzOffsetSeconds: 0, maxDays: 90, allowPermanent: false });
    expectValidModal(asModal(modal));
    expect(visibleText(modal.blocks)).toMatch(SHOWN);
    expect(visibleText(modal.blocks)).not.toContain("Critical");
  });

  it("the mute request message", () => {
    const message = renderMuteRequestMessage({
      muteId: 42, finding: { findingId: 1, rule, severityOverride: override, resource: { name: "site", accountId: "111122223333", region: "eu-west-1" }, team: "web" },
      requestedAt: "2026-11-02T08:00:00Z", state: { kind: "pending" }, ...mute,
    });
    expectValidMessage(message);
    expect(visibleText(message.blocks)).toMatch(SHOWN);
  });

  it("the approve/deny and unmute modals", () => {
    const decision = renderMuteDecisionModal({ muteId: 42, decision: "approve", rule, severityOverride: override, resourceName: "site", ...mute });
    expectValidModal(asModal(decision));
    expect(visibleText(decision.blocks)).toMatch(SHOWN);
    const revoke = renderMuteRevokeModal({ muteId: 42, rule, severityOverride: override, resourceName: "site", approvedBy: "U0BOB", ...mute });
    expectValidModal(asModal(revoke));
    expect(visibleText(revoke.blocks)).toMatch(SHOWN);
  });

  it("the remediation modal", () => {
    const modal = renderRemediationModal({
      findingId: 1, severityOverride: override,
      rule: { ...rule, risk: "Anyone can read it.", remediation: { console: "Remove the statement.", cli: "aws s3api delete-bucket-policy --bucket {{resource.name}}", terraform: "", references: [] } },
      resource: { name: "site", arn: "arn:aws:s3:::site", accountId: "111122223333", region: "eu-west-1", type: "aws:s3:bucket" },
    });
    expectValidModal(modal);
    expect(visibleText(modal.blocks)).toMatch(SHOWN);
  });

  it("/posture audit <finding>", () => {
    const message = renderAuditResponse({ findingId: 1, rule, severityOverride: override, resourceName: "site", team: "web", status: "open", entries: [] });
    expectValidMessage(message);
    expect(visibleText(message.blocks)).toMatch(SHOWN);
  });

  it("/posture findings: the overridden item says so under its line, the others do not", () => {
    const item = (id: number, overrides: Partial<FindingListItem> = {}): FindingListItem => ({
      id, ruleId: rule.id, severity: "critical", status: "open", team: "web", resource: { name: `site-${id}`, accountId: "111122223333", region: "eu-west-1" },
      firstSeen: "2026-10-30T07:12:00Z", evidence: [], ...overrides,
    });
    const message = renderFindingsResponse({
      filter: {}, next: null, rules: { [rule.id]: { title: rule.title, hasFixer: false } },
      findings: [item(1), item(2, { severity: "high", severityOverride: override })],
    }, NOW);
    expectValidMessage(message);
    const lines = message.blocks.map((b) => visibleText(b));
    expect(lines.find((l) => l.includes("site-2"))).toMatch(SHOWN);
    expect(lines.find((l) => l.includes("site-1"))).not.toContain("rule default");
  });

  it("escapes the configured reason everywhere (it is shown as mrkdwn)", () => {
    const hostile = { ruleSeverity: "critical" as Severity, reason: HOSTILE };
    const modal = renderMuteDecisionModal({ muteId: 42, decision: "deny", rule, severityOverride: hostile, resourceName: "site", ...mute });
    const text = JSON.stringify(modal.blocks);
    expect(text).not.toContain("<!channel>");
    expect(text).toContain("&lt;!channel&gt;");
  });
});

describe("grouped message severities", () => {
  const line = (i: number, severity: Severity, severityOverride?: typeof override): GroupedFinding => {
    const base = findingView();
    return { findingId: 1000 + i, resource: { ...base.resource, name: `bucket-${i}` }, evidence: base.evidence, state: { kind: "new" }, rule: { severity }, ...(severityOverride ? { severityOverride } : {}) };
  };

  it("one override on every line: the header context says it once, no line repeats it", () => {
    const message = renderGroupedFindingsMessage({ rule: { ...publicPolicyRule, severity: "high" }, team: "web", findings: [line(1, "high", override), line(2, "high", override)] });
    expectValidMessage(message);
    expect(visibleText(message.blocks[1])).toContain(`High* (rule default: critical) — ${REASON}`);
    expect(message.blocks.filter((b) => visibleText(b).includes(REASON))).toHaveLength(1);
  });

  it("mixed severities (split by a later override): the header has the group's, each other line names its own and why", () => {
    const message = renderGroupedFindingsMessage({ rule: publicPolicyRule, team: "web", findings: [line(1, "critical"), line(2, "high", override)] });
    expectValidMessage(message);
    expect(visibleText(message.blocks[1])).not.toContain("rule default");
    const texts = message.blocks.map((b) => visibleText(b));
    expect(texts.find((t) => t.includes("bucket-2"))).toContain(`High* (${REASON})`);
    expect(texts.find((t) => t.includes("bucket-1"))).not.toContain("High");
  });
});

describe("renderTransitionReply severity_changed", () => {
  const base = { findingId: 1, resourceName: "site", at: "2026-11-03T08:00:00Z" };

  it.each([
    ["lowered by an override", { from: "critical", to: "high", count: 1, reason: REASON }, [":arrow_down:", "Severity :large_orange_circle: High* (was :red_circle: Critical)", `severity override: ${REASON}`, "`site`"]],
    ["raised back: the override was removed", { from: "low", to: "critical", count: 1 }, [":arrow_up:", "Critical* (was :large_blue_circle: Low)", "the severity override was removed, the rule's own severity applies"]],
    ["many resources of a group at once", { from: "critical", to: "medium", count: 12, reason: REASON }, ["12 resources of this message"]],
  ] as const)("%s: one valid line saying from what to what and why", (_name, change, expected) => {
    const message = renderTransitionReply({ ...base, kind: "severity_changed", ...change });
    expectValidMessage(message);
    expect(message.blocks).toHaveLength(1);
    for (const text of expected) expect(visibleText(message.blocks)).toContain(text);
  });

  it("escapes the reason", () => {
    const text = JSON.stringify(renderTransitionReply({ ...base, kind: "severity_changed", from: "critical", to: "high", count: 1, reason: HOSTILE }).blocks);
    expect(text).not.toContain("<!channel>");
    expect(text).toContain("&lt;!channel&gt;");
  });
});
