import type { Severity } from "../../core/rule.js";
import { SLASH_COMMAND, SUBCOMMANDS } from "../ids.js";
import { SEVERITY_STYLE } from "./format.js";
import { context, header, LIMITS, packLines, section, type Block, type Message } from "./kit.js";
import { expiryText, reasonLabel, type MuteScopeView } from "./mute-modal.js";
import { code, escapeMrkdwn, link, md, plural, raw, truncate, userMention } from "./text.js";

export interface MuteListItem {
  muteId: number;
  rule: { id: string; title: string; severity: Severity };
  /** The muted resource of a finding-scoped mute; a rule-wide mute names its tag in `scope`. */
  resourceName: string | null;
  team: string | null;
  /** A MuteReason key; an unknown key is shown as is. */
  reason: string;
  justification: string;
  /** null: permanent. */
  expiresAt: string | null;
  requestedBy: string;
  /** Set once approved. */
  approvedBy?: string;
  scope: MuteScopeView;
  /** The request message in the approvals channel. */
  requestPermalink?: string;
}

export interface MutesResponseView {
  /** `/posture mutes <team>`; absent: every team the asker may see. */
  team?: string;
  now: Date;
  /** Approved mutes in force; the renderer picks out those expiring within 7 days of `now`. */
  active: readonly MuteListItem[];
  pending: readonly MuteListItem[];
}

export const EXPIRING_WITHIN_DAYS = 7;
const JUSTIFICATION_SHOWN = 120;

/** `/posture mutes [team]`: pending requests, mutes expiring within 7 days, then the rest in force. */
export function renderMutesResponse(view: MutesResponseView): Message {
  const horizon = view.now.getTime() + EXPIRING_WITHIN_DAYS * 86_400_000;
  const expiresSoon = (m: MuteListItem) => m.expiresAt !== null && Date.parse(m.expiresAt) <= horizon;
  const byExpiry = (a: MuteListItem, b: MuteListItem) => (a.expiresAt === null ? 1 : b.expiresAt === null ? -1 : Date.parse(a.expiresAt) - Date.parse(b.expiresAt)) || a.muteId - b.muteId;
  const expiring = view.active.filter(expiresSoon).sort(byExpiry);
  const rest = view.active.filter((m) => !expiresSoon(m)).sort(byExpiry);
  const title = view.team ? `Mutes of team ${view.team}` : "Mutes";
  const summary = `${plural(view.active.length, "active mute")} (${expiring.length} expiring within ${EXPIRING_WITHIN_DAYS} days) · ${plural(view.pending.length, "pending request")}`;

  if (view.active.length === 0 && view.pending.length === 0) {
    return {
      text: escapeMrkdwn(truncate(`${title}: none`, LIMITS.fallbackText)),
      blocks: [
        header(title),
        section(md`:loud_sound: No active or pending mutes${raw(view.team ? md` for ${code(view.team)}` : "")}: every failing finding counts in the score.`),
        context("To accept a risk, use *Mute…* on a finding message; an approver decides."),
      ],
    };
  }

  const groups: [string, readonly MuteListItem[]][] = [
    [":hourglass_flowing_sand: *Pending approval*", view.pending],
    [`:alarm_clock: *Expiring within ${EXPIRING_WITHIN_DAYS} days*`, expiring],
    [":mute: *Active*", rest],
  ];
  const lines: { text: string; entry: boolean }[] = [];
  for (const [heading, items] of groups) {
    if (items.length === 0) continue;
    lines.push({ text: `${heading} (${items.length})`, entry: false });
    for (const item of items) lines.push({ text: entryText(item), entry: true });
  }
  const { blocks, omitted } = packLines(lines.map((l) => l.text), LIMITS.messageBlocks - 5, LIMITS.messageChars - 1_500);
  const omittedEntries = lines.slice(lines.length - omitted).filter((l) => l.entry).length;
  const out: Block[] = [header(title), context(md`${summary}`), ...blocks];
  if (omittedEntries > 0) out.push(context(md`…and ${plural(omittedEntries, "more mute")}: narrow with ${code(`${SLASH_COMMAND} ${SUBCOMMANDS.mutes} <team>`)}, or run ${code("posture audit export")}.`));
  return { text: escapeMrkdwn(truncate(`${title}: ${summary}`, LIMITS.fallbackText)), blocks: out };
}

/** Two lines: what is muted, then why, until when and by whom. */
function entryText(item: MuteListItem): string {
  const what = item.scope.kind === "finding"
    ? (item.resourceName === null ? "this finding" : code(truncate(item.resourceName, 120)).text)
    : md`all resources tagged ${code(truncate(`${item.scope.tag.key}=${item.scope.tag.value}`, 120))}`;
  const team = item.team ? md` · ${item.team}` : "";
  const who = item.approvedBy ? md`${userMention(item.requestedBy)}, approved by ${userMention(item.approvedBy)}` : md`requested by ${userMention(item.requestedBy)}`;
  const request = item.requestPermalink ? md` · ${link(item.requestPermalink, "request")}` : "";
  const justification = truncate(item.justification.replace(/\s+/g, " ").trim(), JUSTIFICATION_SHOWN);
  return md`${raw(SEVERITY_STYLE[item.rule.severity].emoji)} *${truncate(item.rule.title, 150)}* · ${raw(what)}${raw(team)}\n      ${reasonLabel(item.reason)}: “${justification}” · ${raw(expiryText(item.expiresAt))} · ${raw(who)}${raw(request)}`;
}
