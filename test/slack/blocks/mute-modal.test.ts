import { describe, expect, it } from "vitest";
import type { ModalView } from "../../../src/slack/blocks/kit.js";
import { MUTE_PERMANENT_ID, localDatePlusDays, renderMuteModal, type FormModalView, type InputBlock, type MuteModalView } from "../../../src/slack/blocks/mute-modal.js";
import { ACTION_IDS, BLOCK_IDS, CALLBACK_IDS, decodeValue } from "../../../src/slack/ids.js";
import { HOSTILE, NOW } from "./fixtures.js";
import { expectValidModal } from "./helpers.js";

/** kit.ts's ModalView types display blocks only; the schema validates the input blocks all the same. */
const expectValidForm = (view: FormModalView): void => expectValidModal(view as unknown as ModalView);
/** Texts Slack parses as mrkdwn; plain_text (labels, placeholders, options) is shown literally and cannot ping. */
const mrkdwnText = (value: unknown): string => {
  if (Array.isArray(value)) return value.map(mrkdwnText).join("\n");
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record.type === "mrkdwn" && typeof record.text === "string") return record.text;
    return Object.values(record).map(mrkdwnText).join("\n");
  }
  return "";
};
const inputOf = (view: FormModalView, blockId: string): InputBlock => view.blocks.find((b): b is InputBlock => b.type === "input" && b.block_id === blockId)!;

const view = (overrides: Partial<MuteModalView> = {}): MuteModalView => ({
  findingId: 123,
  rule: { id: "s3-bucket-public-policy", title: "S3 bucket is not public through its bucket policy", severity: "critical" },
  resource: { name: "payments-exports", accountId: "111122223333", region: "eu-west-1" },
  team: "payments",
  tags: { Name: "exports", public: "intended" },
  now: NOW,
  tzOffsetSeconds: 0,
  maxDays: 90,
  allowPermanent: false,
  channelId: "C0PAYMENTS",
  messageTs: "1793344320.000100",
  ...overrides,
});

describe("renderMuteModal", () => {
  it("asks for reason, justification, expiry and scope, and matches its snapshot", () => {
    const modal = renderMuteModal(view());
    expectValidForm(modal);
    expect(modal).toMatchSnapshot();
    expect(modal.callback_id).toBe(CALLBACK_IDS.muteModal);
    expect(modal.submit.text).toBe("Request mute");
    expect(modal.close.text).toBe("Cancel");
    const reason = inputOf(modal, BLOCK_IDS.muteReason).element;
    expect(reason.type === "static_select" && reason.options.map((o) => o.text.text)).toEqual(["False positive", "Risk accepted", "Pending fix", "No fix available", "Duplicate", "Other"]);
    const justification = inputOf(modal, BLOCK_IDS.muteJustification);
    expect(justification.optional).toBeUndefined();
    expect(justification.element).toMatchObject({ action_id: ACTION_IDS.muteJustification, multiline: true, max_length: 280 });
    expect(inputOf(modal, BLOCK_IDS.muteScope).element).toMatchObject({ type: "radio_buttons", action_id: ACTION_IDS.muteScope, initial_option: { value: "finding" } });
    expect(inputOf(modal, BLOCK_IDS.muteTag)).toMatchObject({ optional: true, element: { action_id: ACTION_IDS.muteTag } });
  });

  it("carries the finding and its message in private_metadata", () => {
    expect(decodeValue("modal", renderMuteModal(view()).private_metadata)).toEqual({ ok: true, value: { v: 1, findingId: 123, channelId: "C0PAYMENTS", messageTs: "1793344320.000100" } });
    expect(decodeValue("modal", renderMuteModal(view({ channelId: undefined, messageTs: undefined })).private_metadata)).toEqual({ ok: true, value: { v: 1, findingId: 123 } });
  });

  it("defaults the expiry to the requester's today + 30 days, and states the maximum", () => {
    const expiry = inputOf(renderMuteModal(view()), BLOCK_IDS.muteExpiry);
    expect(expiry.element).toMatchObject({ type: "datepicker", action_id: ACTION_IDS.muteExpiry, initial_date: "2026-12-02" });
    expect(expiry.hint?.text).toContain("At most 90 days (until 2027-01-31)");
    expect(expiry.optional).toBeUndefined();
    // 08:00 UTC is already the next day in Auckland (+13 h) and still the previous day in Honolulu (−10 h) at 05:00 UTC.
    expect(localDatePlusDays(new Date("2026-11-02T12:00:00Z"), 13 * 3600, 30)).toBe("2026-12-03");
    expect(localDatePlusDays(new Date("2026-11-02T05:00:00Z"), -10 * 3600, 30)).toBe("2026-12-01");
    const short = inputOf(renderMuteModal(view({ maxDays: 14 })), BLOCK_IDS.muteExpiry);
    expect(short.element).toMatchObject({ initial_date: "2026-11-16" });
  });

  it("offers the permanent checkbox only when configuration allows it", () => {
    expect(renderMuteModal(view()).blocks.some((b) => b.block_id === MUTE_PERMANENT_ID)).toBe(false);
    const modal = renderMuteModal(view({ allowPermanent: true }));
    expectValidForm(modal);
    expect(inputOf(modal, MUTE_PERMANENT_ID)).toMatchObject({ optional: true, element: { type: "checkboxes", options: [{ value: "permanent" }] } });
    expect(inputOf(modal, BLOCK_IDS.muteExpiry).optional).toBe(true);
  });

  it("escapes hostile names and cuts long ones within Slack's limits", () => {
    const modal = renderMuteModal(view({
      rule: { id: HOSTILE, title: HOSTILE.repeat(50), severity: "high" },
      resource: { name: HOSTILE.repeat(40), accountId: HOSTILE, region: HOSTILE },
      team: HOSTILE,
      tags: { [HOSTILE]: HOSTILE.repeat(10) },
    }));
    expectValidForm(modal);
    expect(mrkdwnText(modal)).not.toMatch(/<!channel>|<@U123ABC>|<https:\/\/evil/);
    expect(mrkdwnText(modal)).toContain("&lt;!channel&gt;");
  });
});
