import { describe, expect, it } from "vitest";
import { renderFindingMessage, type FindingState } from "../../../src/slack/blocks/finding.js";
import { ACTION_IDS, decodeValue } from "../../../src/slack/ids.js";
import { findingView, HOSTILE, NOW, publicPolicyRule } from "./fixtures.js";
import { expectValidMessage } from "./helpers.js";

const states: [string, FindingState][] = [
  ["new", { kind: "new" }],
  ["reopened", { kind: "reopened", reopenCount: 2 }],
  ["mute pending", { kind: "mute_pending", requestedBy: "U0REQUEST" }],
  ["muted", { kind: "muted", approvedBy: "U0APPROVE", reason: "risk accepted", until: "2026-12-02T00:00:00Z" }],
  ["muted permanently", { kind: "muted", approvedBy: "U0APPROVE", reason: "false positive", until: null }],
  ["resolved", { kind: "resolved", at: "2026-11-03T08:00:00Z", reason: "passed" }],
  ["resource deleted", { kind: "resolved", at: "2026-11-03T08:00:00Z", reason: "resource deleted" }],
  ["fixed", { kind: "fixed", by: "U0FIXER", at: "2026-11-02T09:30:00Z" }],
];

const buttonsOf = (blocks: ReturnType<typeof renderFindingMessage>["blocks"]) =>
  blocks.flatMap((b) => (b.type === "actions" ? b.elements : [])).map((e) => e.action_id);

describe("renderFindingMessage", () => {
  it("a muted finding offers Unmute… naming its mute (the listener checks who clicks)", () => {
    const message = renderFindingMessage(findingView({ state: { kind: "muted", approvedBy: "U0APPROVE", reason: "risk accepted", until: null, muteId: 7 } }), NOW);
    expectValidMessage(message);
    const unmute = message.blocks.flatMap((b) => (b.type === "actions" ? b.elements : [])).find((e) => e.action_id === ACTION_IDS.muteRevoke);
    expect(unmute?.type === "button" ? decodeValue("muteRequest", unmute.value) : undefined).toEqual({ ok: true, value: { v: 1, muteId: 7 } });
  });

  it.each(states)("%s: valid Block Kit, matches its snapshot", (_name, state) => {
    const message = renderFindingMessage(findingView({ state }), NOW);
    expectValidMessage(message);
    expect(message).toMatchSnapshot();
  });

  it.each([
    ["new", { kind: "new" }, true, [ACTION_IDS.remediationSteps, ACTION_IDS.fixIt, ACTION_IDS.mute]],
    ["new without a fixer", { kind: "new" }, false, [ACTION_IDS.remediationSteps, ACTION_IDS.mute]],
    ["reopened", { kind: "reopened", reopenCount: 1 }, true, [ACTION_IDS.remediationSteps, ACTION_IDS.fixIt, ACTION_IDS.mute]],
    ["mute pending", { kind: "mute_pending", requestedBy: "U1" }, true, [ACTION_IDS.remediationSteps, ACTION_IDS.fixIt]],
    ["muted", { kind: "muted", approvedBy: "U1", reason: "other", until: null }, true, [ACTION_IDS.remediationSteps]],
    ["muted by a known mute", { kind: "muted", approvedBy: "U1", reason: "other", until: null, muteId: 7 }, true, [ACTION_IDS.remediationSteps, ACTION_IDS.muteRevoke]],
    ["resolved", { kind: "resolved", at: "2026-11-03T08:00:00Z", reason: "passed" }, true, []],
    ["fixed", { kind: "fixed", by: "U1", at: "2026-11-03T08:00:00Z" }, true, []],
  ] as [string, FindingState, boolean, string[]][])("%s offers %#", (_name, state, hasFixer, expected) => {
    const message = renderFindingMessage(findingView({ state, rule: { ...publicPolicyRule, hasFixer } }), NOW);
    expect(buttonsOf(message.blocks)).toEqual(expected);
  });

  it("every button carries the finding id in a versioned value", () => {
    const message = renderFindingMessage(findingView(), NOW);
    const values = message.blocks.flatMap((b) => (b.type === "actions" ? b.elements : [])).map((e) => ("value" in e ? e.value : undefined));
    for (const value of values) expect(decodeValue("finding", value)).toEqual({ ok: true, value: { v: 1, findingId: 123 } });
  });

  it("shows severity, owner and why, compliance controls and first seen", () => {
    const text = JSON.stringify(renderFindingMessage(findingView(), NOW).blocks);
    for (const expected of ["Critical", "*payments* (tag team=payments)", "CIS 7.0 2.21 · PCI DSS 4.0 1.4.4 · SOC 2 CC6.1, CC6.6", "3 days ago", "`team=payments`", "policyStatus.isPublic = true"]) {
      expect(text).toContain(expected);
    }
  });

  it("a 10,000-character evidence value and a 1,000-character title stay within Slack's limits", () => {
    const huge = "x".repeat(10_000);
    const view = findingView({
      rule: { ...publicPolicyRule, title: "T".repeat(1000) },
      evidence: Array.from({ length: 50 }, (_, i) => ({ path: `policy.Statement[${i}]`, expected: huge, observed: { big: huge } })),
      qualifiers: [huge],
      ownerReason: huge,
      resource: { ...findingView().resource, name: huge, arn: huge, tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, huge])) },
    });
    const message = renderFindingMessage(view, NOW);
    expectValidMessage(message);
    expect(JSON.stringify(message.blocks)).toMatch(/… and 4\d more/);
  });

  it("escapes hostile tags, names, owner reasons and evidence: no mention, link or broken code block", () => {
    const view = findingView({
      resource: { ...findingView().resource, name: HOSTILE, tags: { team: HOSTILE, [HOSTILE]: "v" } },
      ownerReason: `tag team=${HOSTILE}`,
      evidence: [{ path: HOSTILE, expected: HOSTILE, observed: HOSTILE }],
      qualifiers: [HOSTILE],
    });
    const message = renderFindingMessage(view, NOW);
    expectValidMessage(message);
    const text = JSON.stringify(message);
    expect(text).not.toContain("<!channel>");
    expect(text).not.toContain("<@U123ABC>");
    expect(text).not.toContain("<https://evil");
    expect(text).toContain("&lt;!channel&gt;");
    expect(text).toContain("&amp;");
  });
});
