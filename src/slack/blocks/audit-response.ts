import type { Severity } from "../../core/rule.js";
import { severityBadge, severityOverrideNote, teamLabel, type SeverityOverrideView } from "./format.js";
import { context, header, LIMITS, packLines, section, type Block, type Message } from "./kit.js";
import { code, escapeMrkdwn, link, md, plural, raw, slackDate, truncate, userMention } from "./text.js";

export interface AuditEntryView {
  at: string;
  /** Who did it: a Slack user (id, and the name recorded at the time); null: Posture itself (scans, expiry, jobs). */
  actor: { userId: string; name?: string } | null;
  /** The audit action, e.g. `mute_requested`; shown with spaces for underscores. */
  action: string;
  /** One line of what changed or why; newlines are folded. */
  details?: string;
  /** The Slack message where it happened. */
  permalink?: string;
}

export interface AuditResponseView {
  findingId: number;
  /** `severity` is the finding's effective severity (a severity override may have changed the rule's). */
  rule: { id: string; title: string; severity: Severity };
  severityOverride?: SeverityOverrideView;
  resourceName: string;
  team: string | null;
  /** The finding's lifecycle state now (open, muted, resolved…). */
  status: string;
  /** Oldest first. */
  entries: readonly AuditEntryView[];
  /** How many entries the finding has when the caller loaded fewer than that. */
  totalEntries?: number;
}

const DETAILS_SHOWN = 200;

/** `/posture audit <finding>`: the finding's timeline, one line per entry, cut safely with a pointer to the full export. */
export function renderAuditResponse(view: AuditResponseView): Message {
  const total = Math.max(view.totalEntries ?? 0, view.entries.length);
  const title = `Audit trail of finding #${view.findingId}`;
  const out: Block[] = [
    header(title),
    section(md`*${truncate(view.rule.title, 300)}*\n${severityBadge(view.rule.severity)}${raw(severityOverrideNote(view.severityOverride, 200))} · ${code(truncate(view.resourceName, 200))} · ${teamLabel(view.team)} · now *${truncate(view.status, 40)}*`),
  ];
  if (view.entries.length === 0) {
    out.push(context("No audit entries for this finding yet."));
  } else {
    const { blocks, omitted } = packLines(view.entries.map(entryLine), LIMITS.messageBlocks - 4, LIMITS.messageChars - 1_500);
    out.push(context(md`${plural(total, "entry", "entries")}, oldest first; times in your time zone`), ...blocks);
    const more = omitted + (total - view.entries.length);
    if (more > 0) out.push(context(md`…and ${plural(more, "more entry", "more entries")}; full export: ${code("posture audit export")}`));
  }
  return { text: escapeMrkdwn(truncate(`${title}: ${view.rule.title} on ${view.resourceName}, ${plural(total, "entry", "entries")}`, LIMITS.fallbackText)), blocks: out };
}

function entryLine(entry: AuditEntryView): string {
  const actor = entry.actor === null ? "Posture" : /^[UW][A-Z0-9]{2,20}$/.test(entry.actor.userId) ? userMention(entry.actor.userId).text : escapeMrkdwn(truncate(entry.actor.name ?? entry.actor.userId, 80));
  const action = truncate(entry.action.replace(/[_.]+/g, " ").trim(), 60);
  const details = entry.details?.replace(/\s+/g, " ").trim();
  return md`${slackDate(entry.at)} · ${raw(actor)} · *${action}*${raw(details ? md` · ${truncate(details, DETAILS_SHOWN)}` : "")}${raw(entry.permalink ? md` · ${link(entry.permalink, "message")}` : "")}`;
}
