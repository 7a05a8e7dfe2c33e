import { describe, expect, it } from "vitest";
import { ACTION_IDS, BLOCK_IDS, CALLBACK_IDS, SLASH_COMMAND, SUBCOMMANDS, decodeValue, encodeValue, resourceBlockId, VALUE_LIMITS, ValueTooLongError } from "../../../src/slack/ids.js";

describe("interactive ids", () => {
  it.each([
    ["action ids", Object.values(ACTION_IDS)],
    ["callback ids", Object.values(CALLBACK_IDS)],
    ["block ids", Object.values(BLOCK_IDS)],
    ["sub-commands", Object.values(SUBCOMMANDS)],
  ])("%s are unique, namespaced and within Slack's 255 characters", (_name, ids) => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(255);
  });

  it("action and callback ids do not collide with each other", () => {
    const all = [...Object.values(ACTION_IDS), ...Object.values(CALLBACK_IDS)];
    expect(new Set(all).size).toBe(all.length);
  });

  it("the slash command is /posture with the sub-commands of DESIGN 2.6", () => {
    expect(SLASH_COMMAND).toBe("/posture");
    expect(Object.values(SUBCOMMANDS).sort()).toEqual(["audit", "findings", "help", "mutes", "rules", "scan", "score"]);
  });

  it("per-resource block ids are distinct per finding", () => {
    expect(resourceBlockId(1)).not.toBe(resourceBlockId(11));
  });
});

describe("button values", () => {
  it.each([
    ["finding", { v: 1, findingId: 42 }],
    ["findingMenu", { v: 1, action: "mute", findingId: 7 }],
    ["muteRequest", { v: 1, muteId: 3 }],
    ["muteDecision", { v: 1, muteId: 3, decision: "deny" }],
    ["fixRun", { v: 1, fixRunId: 9 }],
    ["findingsPage", { v: 1, team: "payments", severities: ["critical", "high"], after: "1.2345" }],
    ["modal", { v: 1, findingId: 5, channelId: "C123", messageTs: "1700000000.000100" }],
  ] as const)("%s round-trips", (kind, value) => {
    const encoded = encodeValue(kind, value as never);
    expect(decodeValue(kind, encoded)).toEqual({ ok: true, value });
  });

  it.each([
    ["empty", ""],
    ["undefined", undefined],
    ["not JSON", "{findingId:1"],
    ["no version", '{"findingId":1}'],
    ["a future version", '{"v":2,"findingId":1}'],
    ["a string id", '{"v":1,"findingId":"1"}'],
    ["a negative id", '{"v":1,"findingId":-1}'],
    ["a fractional id", '{"v":1,"findingId":1.5}'],
    ["an extra field (forged role)", '{"v":1,"findingId":1,"approved":true}'],
    ["another envelope", '{"v":1,"muteId":1}'],
    ["an array", "[1]"],
    ["a huge value", `{"v":1,"findingId":1,"x":"${"a".repeat(5000)}"}`],
  ])("a finding value that is %s is rejected with a reason", (_name, raw) => {
    const decoded = decodeValue("finding", raw);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.error).toMatch(/^finding: /);
  });

  it("an overflow option value fits Slack's 150 characters, and a too-long value is a builder error", () => {
    expect(encodeValue("findingMenu", { v: 1, action: "remediation", findingId: 2 ** 31 }, VALUE_LIMITS.option).length).toBeLessThanOrEqual(150);
    expect(() => encodeValue("findingsPage", { v: 1, team: "t".repeat(100), ruleId: "r".repeat(100), after: "1.2" }, VALUE_LIMITS.option)).toThrow(ValueTooLongError);
  });

  it("encoding refuses a value that does not match its schema", () => {
    expect(() => encodeValue("finding", { v: 1, findingId: 0 })).toThrow();
  });
});
