import { describe, expect, it } from "vitest";
import { MUTE_PERMANENT_ID } from "../../src/slack/blocks/mute-modal.js";
import { ACTION_IDS, BLOCK_IDS } from "../../src/slack/ids.js";
import { parseMuteForm } from "../../src/slack/listeners/views/mute-request.js";

const values = (o: { justification?: string; date?: string | null; permanent?: boolean; scope?: "finding" | "rule_tag"; tag?: string }) => ({
  [BLOCK_IDS.muteReason]: { [ACTION_IDS.muteReason]: { selected_option: { value: "risk_accepted" as const } } },
  [BLOCK_IDS.muteJustification]: { [ACTION_IDS.muteJustification]: { value: o.justification ?? "Static website, reviewed" } },
  [BLOCK_IDS.muteExpiry]: { [ACTION_IDS.muteExpiry]: { selected_date: o.date === undefined ? "2026-12-20" : o.date } },
  [MUTE_PERMANENT_ID]: { [MUTE_PERMANENT_ID]: { selected_options: o.permanent ? [{ value: "permanent" }] : [] } },
  [BLOCK_IDS.muteScope]: { [ACTION_IDS.muteScope]: { selected_option: { value: o.scope ?? "finding" } } },
  [BLOCK_IDS.muteTag]: { [ACTION_IDS.muteTag]: { value: o.tag ?? null } },
});

describe("parseMuteForm", () => {
  it("reads a finding mute with a date", () => {
    expect(parseMuteForm(values({}))).toEqual({ ok: true, input: { reason: "risk_accepted", justification: "Static website, reviewed", expiresAt: "2026-12-20", scope: { kind: "finding" } } });
  });
  it("permanent wins over the date; a rule-wide scope needs key=value", () => {
    const parsed = parseMuteForm(values({ permanent: true, scope: "rule_tag", tag: " public=intended " }));
    expect(parsed).toMatchObject({ ok: true, input: { expiresAt: null, scope: { kind: "rule_tag", tag: { key: "public", value: "intended" } } } });
  });
  it("gives field errors for a bad tag, a missing date and an empty justification", () => {
    expect(parseMuteForm(values({ scope: "rule_tag", tag: "public" }))).toEqual({ ok: false, errors: { [BLOCK_IDS.muteTag]: expect.stringContaining("key=value") } });
    expect(parseMuteForm(values({ date: null, justification: "  " }))).toEqual({ ok: false, errors: { [BLOCK_IDS.muteExpiry]: expect.any(String), [BLOCK_IDS.muteJustification]: expect.any(String) } });
    expect(parseMuteForm(values({ tag: "a=b" }))).toMatchObject({ ok: false, errors: { [BLOCK_IDS.muteTag]: expect.stringContaining("rule-wide") } });
  });
});
