import { describe, expect, it } from "vitest";
import { renderFixStillFailingReply } from "../../../src/slack/blocks/fix-reply.js";
import { ACTION_IDS, decodeValue } from "../../../src/slack/ids.js";
import { expectValidMessage, visibleText } from "./helpers.js";

describe("renderFixStillFailingReply", () => {
  it("tells why the resource still fails and keeps Undo, since the change was written", () => {
    const reply = renderFixStillFailingReply({ findingId: 7, resourceName: "pay-exports", at: "2026-01-15T12:00:00Z", by: "U0ALICE001", reason: "publicAccessBlock.blockPublicPolicy: expected equals true, observed false", fixRunId: 12 });
    expectValidMessage(reply);
    expect(visibleText(reply.blocks)).toContain("Fix did not work");
    expect(visibleText(reply.blocks)).toContain("observed false");
    const undo = reply.blocks.flatMap((b) => (b.type === "actions" ? b.elements : [])).find((e) => e.action_id === ACTION_IDS.fixUndo);
    expect(decodeValue("fixRun", undo?.type === "button" ? undo.value : undefined)).toEqual({ ok: true, value: { v: 1, fixRunId: 12 } });
  });
});
