import { describe, expect, it } from "vitest";
import type { ModalView } from "../../../src/slack/blocks/kit.js";
import { renderMuteDecisionModal, type MuteDecisionModalView } from "../../../src/slack/blocks/mute-decision-modal.js";
import type { FormModalView, InputBlock } from "../../../src/slack/blocks/mute-modal.js";
import { ACTION_IDS, BLOCK_IDS, CALLBACK_IDS, decodeValue } from "../../../src/slack/ids.js";
import { HOSTILE } from "./fixtures.js";
import { expectValidModal, visibleText } from "./helpers.js";

const expectValidForm = (view: FormModalView): void => expectValidModal(view as unknown as ModalView);
const commentOf = (view: FormModalView): InputBlock => view.blocks.find((b): b is InputBlock => b.type === "input" && b.block_id === BLOCK_IDS.muteDecisionComment)!;

const view = (overrides: Partial<MuteDecisionModalView> = {}): MuteDecisionModalView => ({
  muteId: 42,
  decision: "approve",
  rule: { id: "s3-bucket-public-policy", title: "S3 bucket is not public through its bucket policy", severity: "critical" },
  resourceName: "marketing-site",
  requestedBy: "U0ALICE",
  reason: "risk_accepted",
  justification: "Static website bucket served through CloudFront.",
  expiresAt: "2026-12-02T00:00:00Z",
  scope: { kind: "finding" },
  ...overrides,
});

describe("renderMuteDecisionModal", () => {
  it("approves with an optional comment", () => {
    const modal = renderMuteDecisionModal(view());
    expectValidForm(modal);
    expect(modal).toMatchSnapshot();
    expect(modal.callback_id).toBe(CALLBACK_IDS.muteDecisionModal);
    expect(modal.submit.text).toBe("Approve mute");
    expect(commentOf(modal)).toMatchObject({ optional: true, element: { action_id: ACTION_IDS.muteDecisionComment, max_length: 280 } });
    expect(decodeValue("muteDecision", modal.private_metadata)).toMatchObject({ ok: true, value: { v: 1, muteId: 42 } });
  });

  it("denies only with a comment", () => {
    const modal = renderMuteDecisionModal(view({ decision: "deny", scope: { kind: "rule_tag", tag: { key: "public", value: "intended" } }, expiresAt: null }));
    expectValidForm(modal);
    expect(modal).toMatchSnapshot();
    expect(modal.submit.text).toBe("Deny mute");
    const comment = commentOf(modal);
    expect(comment.optional).toBeUndefined();
    expect(comment.element).toMatchObject({ min_length: 1 });
    expect(visibleText(modal.blocks)).toContain("on every resource tagged `public=intended`, now and in later scans, permanently.");
  });

  it("escapes what the requester wrote", () => {
    const modal = renderMuteDecisionModal(view({ justification: HOSTILE.repeat(30), reason: HOSTILE, resourceName: HOSTILE, rule: { id: HOSTILE, title: HOSTILE, severity: "info" }, requestedBy: "<!channel>" }));
    expectValidForm(modal);
    const mrkdwn = modal.blocks.flatMap((b) => (b.type === "section" && b.text ? [b.text.text] : [])).join("\n");
    expect(mrkdwn).not.toMatch(/<!channel>|<@U123ABC>|<https:\/\/evil/);
  });
});
