import type { Severity } from "../../core/rule.js";
import { ACTION_IDS, encodeValue } from "../ids.js";
import { severityBadge, severityOverrideNote, teamLabel, type SeverityOverrideView } from "./format.js";
import { actions, button, context, divider, fields, LIMITS, section, type Block, type Message } from "./kit.js";
import { expiryText, reasonLabel, scopeText, unmuteReasonLabel, type MuteScopeView } from "./mute-modal.js";
import { code, escapeMrkdwn, link, md, raw, slackDate, truncate, userMention } from "./text.js";

/** Where a mute request stands; every decided state names who and when, and carries their words. */
export type MuteRequestState =
  | { kind: "pending" }
  | { kind: "approved"; by: string; at: string; comment?: string }
  | { kind: "denied"; by: string; at: string; comment?: string }
  | { kind: "expired"; at: string }
  | { kind: "revoked"; by: string; at: string; reason: string; comment?: string };

export interface MuteRequestView {
  muteId: number;
  finding: {
    findingId: number;
    /** `severity` is the finding's effective severity (a severity override may have changed the rule's). */
    rule: { id: string; title: string; severity: Severity };
    severityOverride?: SeverityOverrideView;
    resource: { name: string; accountId: string; region: string };
    team: string | null;
    /** The owning person when known (Slack user id), else the team alone is the owner. */
    ownerUserId?: string;
  };
  requestedBy: string;
  requestedAt: string;
  /** A MuteReason key; an unknown key is shown as is. */
  reason: string;
  justification: string;
  /** null: permanent. */
  expiresAt: string | null;
  scope: MuteScopeView;
  state: MuteRequestState;
  /** The finding message, so an approver reads the evidence before deciding. */
  findingPermalink?: string;
}

/** Quoted justification, at most this many characters (the modal caps it at 280; older rows may be longer). */
const QUOTE_MAX = 600;

/**
 * DESIGN 2.5: the request in the approvals channel. The same renderer draws every state, so chat.update
 * after a decision replaces the buttons with who decided and why: a decided request has no buttons.
 */
export function renderMuteRequestMessage(view: MuteRequestView): Message {
  const { finding } = view;
  const name = code(truncate(finding.resource.name, 150));
  const owner = finding.ownerUserId ? md`${teamLabel(finding.team)} (${userMention(finding.ownerUserId)})` : escapeMrkdwn(teamLabel(finding.team));
  const blocks: Block[] = [
    section(md`${raw(stateIcon(view.state))} *Mute request* by ${userMention(view.requestedBy)} ${slackDate(view.requestedAt)}: ${raw(stateWord(view.state))}`),
    section(md`*${truncate(finding.rule.title, 300)}*\n${severityBadge(finding.rule.severity)}${raw(severityOverrideNote(finding.severityOverride, 200))} · ${name} · ${truncate(finding.resource.accountId, 40)} · ${truncate(finding.resource.region, 40)}${raw(view.findingPermalink ? md` · ${link(view.findingPermalink, "finding")}` : "")}`),
    fields([
      md`*Owner*\n${raw(owner)}`,
      md`*Reason*\n${reasonLabel(view.reason)}`,
      md`*Expiry*\n${raw(capitalize(expiryText(view.expiresAt)))}`,
      md`*Scope*\n${raw(scopeText(view.scope, finding.rule.id))}`,
    ]),
    section(md`*Justification*\n${raw(quote(view.justification, QUOTE_MAX))}`),
  ];
  if (view.state.kind === "pending") {
    const value = encodeValue("muteRequest", { v: 1, muteId: view.muteId });
    blocks.push(actions([button("Approve", ACTION_IDS.muteApprove, { value, style: "primary" }), button("Deny", ACTION_IDS.muteDeny, { value, style: "danger" })]));
    blocks.push(context(md`The requester cannot approve their own request. Approving mutes ${raw(view.scope.kind === "finding" ? "this finding" : "every matching finding, now and in later scans")} and removes it from the score.`));
  } else {
    blocks.push(divider(), section(decisionText(view.state)));
    if (view.state.kind === "approved") {
      const value = encodeValue("muteRequest", { v: 1, muteId: view.muteId });
      blocks.push(actions([button(":loud_sound: Unmute…", ACTION_IDS.muteRevoke, { value })]), context("Only the security team may unmute, with a reason."));
    }
  }
  const fallback = `Mute request (${view.state.kind}): ${finding.rule.title} on ${finding.resource.name}, ${reasonLabel(view.reason)}`;
  return { text: escapeMrkdwn(truncate(fallback, LIMITS.fallbackText)), blocks };
}

/** A block quote of escaped user text, every line prefixed, so a newline cannot step out of the quote. */
export function quote(text: string, max: number): string {
  return truncate(text.trim(), max)
    .split("\n")
    .map((line) => `>${escapeMrkdwn(line)}`)
    .join("\n");
}

function stateIcon(state: MuteRequestState): string {
  switch (state.kind) {
    case "pending":
      return ":hourglass_flowing_sand:";
    case "approved":
      return ":mute:";
    case "denied":
      return ":no_entry:";
    case "expired":
      return ":alarm_clock:";
    case "revoked":
      return ":loud_sound:";
  }
}

function stateWord(state: MuteRequestState): string {
  switch (state.kind) {
    case "pending":
      return "*pending*, waiting for an approver.";
    case "approved":
      return md`*approved* by ${userMention(state.by)}.`;
    case "denied":
      return md`*denied* by ${userMention(state.by)}.`;
    case "expired":
      return "*expired*.";
    case "revoked":
      return md`*revoked* by ${userMention(state.by)}.`;
  }
}

function decisionText(state: Exclude<MuteRequestState, { kind: "pending" }>): string {
  const words = (comment: string | undefined) => (comment && comment.trim() ? `\n${quote(comment, QUOTE_MAX)}` : "");
  switch (state.kind) {
    case "approved":
      return md`:white_check_mark: *Approved* by ${userMention(state.by)} ${slackDate(state.at)}.${raw(words(state.comment))}`;
    case "denied":
      return md`:no_entry: *Denied* by ${userMention(state.by)} ${slackDate(state.at)}. The finding stays open.${raw(words(state.comment))}`;
    case "expired":
      return md`:alarm_clock: *Expired* ${slackDate(state.at)}. The finding counts in the score again.`;
    case "revoked":
      return md`:loud_sound: *Revoked* by ${userMention(state.by)} ${slackDate(state.at)}: ${unmuteReasonLabel(state.reason)}. The finding counts in the score again.${raw(words(state.comment))}`;
  }
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
