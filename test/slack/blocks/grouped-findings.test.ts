import { describe, expect, it } from "vitest";
import { renderGroupedFindingsMessage, type GroupedFinding, type GroupedFindingsView } from "../../../src/slack/blocks/grouped-findings.js";
import { ACTION_IDS, decodeValue } from "../../../src/slack/ids.js";
import { findingView, HOSTILE, publicPolicyRule } from "./fixtures.js";
import { expectValidMessage } from "./helpers.js";

const resource = (i: number, state: GroupedFinding["state"] = { kind: "new" }): GroupedFinding => {
  const base = findingView();
  return { findingId: 1000 + i, resource: { ...base.resource, name: `bucket-${i}`, arn: `arn:aws:s3:::bucket-${i}` }, evidence: base.evidence, state };
};

const group = (findings: GroupedFinding[], overrides: Partial<GroupedFindingsView> = {}): GroupedFindingsView => ({ rule: publicPolicyRule, team: "payments", findings, ...overrides });

describe("renderGroupedFindingsMessage", () => {
  it.each([
    ["new findings", group([resource(1), resource(2), resource(3, { kind: "reopened", reopenCount: 1 })])],
    ["after some resolved, muted and pending", group([resource(1, { kind: "resolved", at: "2026-11-03T08:00:00Z", reason: "passed" }), resource(2, { kind: "muted", approvedBy: "U1", reason: "risk accepted", until: null }), resource(3, { kind: "mute_pending", requestedBy: "U2" }), resource(4)])],
    ["rerouted to the security channel, unowned", group([resource(1), resource(2)], { team: null, routingNote: { intendedChannel: "C0PAYMENTS", reason: "not_in_channel" } })],
  ])("%s: valid Block Kit, matches its snapshot", (_name, view) => {
    const message = renderGroupedFindingsMessage(view);
    expectValidMessage(message);
    expect(message).toMatchSnapshot();
  });

  it("500 resources: at most 50 blocks, every shown resource actionable, the rest pointed to /posture findings", () => {
    const message = renderGroupedFindingsMessage(group(Array.from({ length: 500 }, (_, i) => resource(i))));
    expectValidMessage(message);
    const resources = message.blocks.filter((b) => b.type === "section" && b.block_id?.startsWith("posture.group.resource."));
    expect(resources.length).toBe(44);
    for (const block of resources) expect(block.type === "section" && block.accessory?.action_id).toBe(ACTION_IDS.findingMenu);
    expect(JSON.stringify(message.blocks.at(-1))).toContain("and 456 more resources. See them all with `/posture findings payments critical s3-bucket-public-policy`");
  });

  it("with a routing note it still fits 50 blocks", () => {
    const message = renderGroupedFindingsMessage(group(Array.from({ length: 500 }, (_, i) => resource(i)), { routingNote: { intendedChannel: "#payments", reason: "is_archived" } }));
    expectValidMessage(message);
  });

  it("each menu option names the action and its own finding", () => {
    const message = renderGroupedFindingsMessage(group([resource(7)]));
    const block = message.blocks.find((b) => b.type === "section" && b.block_id === "posture.group.resource.1007");
    const options = block?.type === "section" && block.accessory?.type === "overflow" ? block.accessory.options : [];
    expect(options.map((o) => decodeValue("findingMenu", o.value))).toEqual([
      { ok: true, value: { v: 1, action: "remediation", findingId: 1007 } },
      { ok: true, value: { v: 1, action: "fix", findingId: 1007 } },
      { ok: true, value: { v: 1, action: "mute", findingId: 1007 } },
    ]);
  });

  it("a muted resource without a fixer gets a plain Remediation steps button, not a one-item menu", () => {
    const message = renderGroupedFindingsMessage(group([resource(1, { kind: "muted", approvedBy: "U1", reason: "other", until: null })], { rule: { ...publicPolicyRule, hasFixer: false } }));
    const block = message.blocks.find((b) => b.type === "section" && b.block_id === "posture.group.resource.1001");
    expect(block?.type === "section" && block.accessory).toMatchObject({ type: "button", action_id: ACTION_IDS.remediationSteps });
  });

  it("escapes hostile resource names and evidence", () => {
    const hostile: GroupedFinding = { ...resource(1), resource: { ...resource(1).resource, name: HOSTILE }, evidence: [{ path: HOSTILE, expected: "x", observed: HOSTILE }] };
    const message = renderGroupedFindingsMessage(group([hostile], { team: HOSTILE }));
    expectValidMessage(message);
    expect(JSON.stringify(message)).not.toMatch(/<!channel>|<@U123ABC>|<https:\/\/evil/);
  });
});
