import { describe, expect, it } from "vitest";
import { renderMuteRequestMessage, type MuteRequestState, type MuteRequestView } from "../../../src/slack/blocks/mute-request.js";
import { ACTION_IDS, decodeValue } from "../../../src/slack/ids.js";
import { HOSTILE } from "./fixtures.js";
import { expectValidMessage, visibleText } from "./helpers.js";

const view = (overrides: Partial<MuteRequestView> = {}): MuteRequestView => ({
  muteId: 42,
  finding: {
    findingId: 123,
    rule: { id: "s3-bucket-public-policy", title: "S3 bucket is not public through its bucket policy", severity: "critical" },
    resource: { name: "marketing-site", accountId: "111122223333", region: "eu-west-1" },
    team: "web",
    ownerUserId: "U0OWNER",
  },
  requestedBy: "U0ALICE",
  requestedAt: "2026-11-02T08:00:00Z",
  reason: "risk_accepted",
  justification: "Static website bucket served through CloudFront.\nContains only public assets.",
  expiresAt: "2026-12-02T00:00:00Z",
  scope: { kind: "finding" },
  state: { kind: "pending" },
  findingPermalink: "https://example.slack.com/archives/C0WEB/p1793344320000100",
  ...overrides,
});

const buttonsOf = (message: ReturnType<typeof renderMuteRequestMessage>) =>
  message.blocks.flatMap((b) => (b.type === "actions" ? b.elements : []));

const STATES: Record<string, MuteRequestState> = {
  approved: { kind: "approved", by: "U0BOB", at: "2026-11-02T09:00:00Z", comment: "OK until the CDN migration." },
  denied: { kind: "denied", by: "U0BOB", at: "2026-11-02T09:00:00Z", comment: "Use an OAC instead; the bucket must not be public." },
  expired: { kind: "expired", at: "2026-12-02T00:00:00Z" },
  revoked: { kind: "revoked", by: "U0SEC", at: "2026-11-10T09:00:00Z", reason: "no_longer_accepted", comment: "Bucket now holds exports." },
};

describe("renderMuteRequestMessage", () => {
  it("shows the finding, requester, reason, justification, expiry and scope with Approve / Deny while pending", () => {
    const message = renderMuteRequestMessage(view());
    expectValidMessage(message);
    expect(message).toMatchSnapshot();
    const text = visibleText(message.blocks);
    for (const part of ["<@U0ALICE>", "*pending*", "Risk accepted", ">Static website bucket", ">Contains only public assets.", "this finding only", "web (<@U0OWNER>)", "|finding>", ":red_circle: Critical"]) {
      expect(text).toContain(part);
    }
    const buttons = buttonsOf(message);
    expect(buttons.map((b) => b.action_id)).toEqual([ACTION_IDS.muteApprove, ACTION_IDS.muteDeny]);
    for (const b of buttons) expect(decodeValue("muteRequest", b.type === "button" ? b.value : undefined)).toEqual({ ok: true, value: { v: 1, muteId: 42 } });
  });

  it.each(Object.entries(STATES))("a %s request has no Approve / Deny and says who, when and why", (kind, state) => {
    const message = renderMuteRequestMessage(view({ state }));
    expectValidMessage(message);
    expect(message).toMatchSnapshot();
    // An approved (active) mute offers *Unmute…* only; every other decided state has no buttons.
    const buttons = buttonsOf(message);
    expect(buttons.map((b) => b.action_id)).toEqual(kind === "approved" ? [ACTION_IDS.muteRevoke] : []);
    for (const b of buttons) expect(decodeValue("muteRequest", b.type === "button" ? b.value : undefined)).toEqual({ ok: true, value: { v: 1, muteId: 42 } });
    const text = visibleText(message.blocks);
    if ("by" in state) expect(text).toContain(`<@${state.by}>`);
    if ("comment" in state && state.comment) expect(text).toContain(`>${state.comment}`);
    if (kind === "revoked") expect(text).toContain("No longer an accepted risk");
  });

  it("describes a rule-wide tag scope and a permanent mute; leaves out the link when there is none", () => {
    const message = renderMuteRequestMessage(view({ scope: { kind: "rule_tag", tag: { key: "public", value: "intended" } }, expiresAt: null, findingPermalink: undefined, finding: { ...view().finding, ownerUserId: undefined, team: null } }));
    expectValidMessage(message);
    const text = visibleText(message.blocks);
    expect(text).toContain("rule `s3-bucket-public-policy` on every resource tagged `public=intended`");
    expect(text).toContain("Permanently");
    expect(text).toContain("unowned");
    expect(text).not.toContain("|finding>");
  });

  it("escapes hostile justification, comments, names and links; a newline cannot leave the quote", () => {
    const message = renderMuteRequestMessage(view({
      justification: `${HOSTILE}\n*not quoted?*\n${HOSTILE}`.repeat(20),
      reason: HOSTILE,
      finding: { ...view().finding, rule: { id: HOSTILE, title: HOSTILE.repeat(30), severity: "low" }, resource: { name: HOSTILE.repeat(30), accountId: HOSTILE, region: HOSTILE }, team: HOSTILE, ownerUserId: HOSTILE },
      requestedBy: "<!here>",
      scope: { kind: "rule_tag", tag: { key: HOSTILE, value: "`x`" } },
      findingPermalink: "javascript:alert(1)",
      state: { kind: "revoked", by: "U0SEC", at: "2026-11-10T09:00:00Z", reason: HOSTILE, comment: HOSTILE.repeat(40) },
    }));
    expectValidMessage(message);
    const text = visibleText(message.blocks);
    expect(text).not.toMatch(/<!channel>|<!here>|<@U123ABC>|<https:\/\/evil|<javascript/);
    const justification = message.blocks.find((b) => b.type === "section" && b.text?.text.startsWith("*Justification*"));
    const lines = (justification?.type === "section" ? justification.text!.text : "").split("\n").slice(1);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.startsWith(">")).toBe(true);
  });
});
