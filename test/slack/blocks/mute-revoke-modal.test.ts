import { describe, expect, it } from "vitest";
import type { ModalView } from "../../../src/slack/blocks/kit.js";
import type { FormModalView, InputBlock } from "../../../src/slack/blocks/mute-modal.js";
import { renderMuteRevokeModal, type MuteRevokeModalView } from "../../../src/slack/blocks/mute-revoke-modal.js";
import { REVOKE_REASONS } from "../../../src/core/mutes.js";
import { ACTION_IDS, BLOCK_IDS, CALLBACK_IDS, decodeValue } from "../../../src/slack/ids.js";
import { HOSTILE } from "./fixtures.js";
import { expectValidModal, visibleText } from "./helpers.js";

const expectValidForm = (view: FormModalView): void => expectValidModal(view as unknown as ModalView);
const inputOf = (view: FormModalView, blockId: string): InputBlock => view.blocks.find((b): b is InputBlock => b.type === "input" && b.block_id === blockId)!;

const view = (overrides: Partial<MuteRevokeModalView> = {}): MuteRevokeModalView => ({
  muteId: 42,
  rule: { id: "s3-bucket-public-policy", title: "S3 bucket is not public through its bucket policy", severity: "critical" },
  resourceName: "marketing-site",
  requestedBy: "U0ALICE",
  approvedBy: "U0BOB",
  reason: "risk_accepted",
  justification: "Static website bucket served through CloudFront.",
  expiresAt: "2026-12-02T00:00:00Z",
  scope: { kind: "finding" },
  ...overrides,
});

describe("renderMuteRevokeModal", () => {
  it("asks for one of the revoke reasons and a required comment; the metadata names the mute only", () => {
    const modal = renderMuteRevokeModal(view());
    expectValidForm(modal);
    expect(modal).toMatchSnapshot();
    expect(modal.callback_id).toBe(CALLBACK_IDS.muteRevokeModal);
    expect(decodeValue("muteRevoke", modal.private_metadata)).toEqual({ ok: true, value: { v: 1, muteId: 42 } });
    const reason = inputOf(modal, BLOCK_IDS.muteRevokeReason);
    expect(reason.optional).toBeUndefined();
    expect(reason.element.type === "static_select" ? reason.element.options.map((o) => o.value) : []).toEqual([...REVOKE_REASONS]);
    expect(inputOf(modal, BLOCK_IDS.muteRevokeComment)).toMatchObject({ element: { action_id: ACTION_IDS.muteRevokeComment, min_length: 1, max_length: 280 } });
    expect(inputOf(modal, BLOCK_IDS.muteRevokeComment).optional).toBeUndefined();
    const text = visibleText(modal.blocks);
    for (const part of ["<@U0ALICE>", "<@U0BOB>", "Risk accepted", ">Static website bucket"]) expect(text).toContain(part);
  });

  it("describes a permanent rule-wide mute and escapes what people wrote", () => {
    const modal = renderMuteRevokeModal(view({ scope: { kind: "rule_tag", tag: { key: "public", value: "intended" } }, expiresAt: null, justification: HOSTILE, resourceName: HOSTILE }));
    expectValidForm(modal);
    const text = visibleText(modal.blocks);
    expect(text).toContain("every resource tagged `public=intended`");
    expect(text).toContain("permanently");
    expect(text).not.toContain("<!channel>");
  });
});
