import { listMutes } from "../../../app/mutes.js";
import type { CommandRequest } from "../../../app/posture-command.js";
import type { Mute } from "../../../core/mutes.js";
import type { AuditEntryView } from "../../blocks/audit-response.js";
import { renderAuditResponse } from "../../blocks/audit-response.js";
import { section, type Message } from "../../blocks/kit.js";
import { renderMutesResponse, type MuteListItem } from "../../blocks/mutes-response.js";
import type { SlackDeps } from "../deps.js";

const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;

/** `/posture mutes [team]` (listMutes) and `/posture audit <finding>` (the finding's timeline). */
export async function answerMutesOrAudit(request: Extract<CommandRequest, { kind: "mutes" | "audit" }>, deps: SlackDeps): Promise<Message> {
  const mutes = deps.mutes;
  if (!mutes) return { text: "Mutes are not set up on this Posture.", blocks: [section("Mutes are not set up on this Posture.")] };
  const now = deps.clock();
  if (request.kind === "mutes") {
    const listed = await listMutes(mutes.mute, { ...(request.team ? { team: request.team } : {}), now });
    const items = async (list: readonly Mute[]) => (await Promise.all(list.map((m) => itemOf(m, deps)))).filter((i): i is MuteListItem => i !== undefined);
    return renderMutesResponse({ ...(request.team ? { team: request.team } : {}), now, active: await items(listed.active), pending: await items(listed.pending) });
  }
  const finding = await deps.findings.load(request.findingId);
  const rule = finding ? deps.rules.get(finding.ruleId) : undefined;
  if (!finding || !rule) {
    const text = `No finding ${request.findingId}: the id is shown on each finding message and in \`/posture findings\`.`;
    return { text, blocks: [section(text)] };
  }
  const entries = await mutes.timeline(finding.id);
  return renderAuditResponse({
    findingId: finding.id, rule: { id: rule.id, title: rule.title, severity: finding.severity }, ...(finding.severityOverride ? { severityOverride: finding.severityOverride } : {}), resourceName: finding.resource.name, team: finding.team,
    status: finding.status, entries: entries.map(entryView),
  });
}

async function itemOf(mute: Mute, deps: SlackDeps): Promise<MuteListItem | undefined> {
  const rule = deps.rules.get(mute.scope.ruleId);
  if (!rule) return undefined;
  const finding = mute.scope.kind === "finding" ? await deps.findings.load(mute.findingId) : undefined;
  return {
    muteId: Number(mute.id), rule: { id: rule.id, title: rule.title, severity: finding?.severity ?? rule.severity }, resourceName: finding?.resource.name ?? null, team: mute.team,
    reason: mute.reason, justification: mute.justification, expiresAt: mute.expiresAt, requestedBy: mute.requestedBy,
    ...(mute.state === "approved" && mute.decidedBy ? { approvedBy: mute.decidedBy } : {}),
    scope: mute.scope.kind === "finding" ? { kind: "finding" } : { kind: "rule_tag", tag: mute.scope.tag },
    ...(mute.permalink ? { requestPermalink: mute.permalink } : {}),
  };
}

function entryView(entry: { at: string; actor: string; action: string; details: Record<string, unknown> }): AuditEntryView {
  const d = entry.details;
  const name = typeof d.actorName === "string" ? d.actorName : undefined;
  const words = ["reason", "justification", "comment", "code", "summary", "from", "to"]
    .filter((k) => typeof d[k] === "string" && d[k] !== "")
    .map((k) => `${k}: ${String(d[k])}`);
  return {
    at: entry.at,
    actor: SLACK_USER.test(entry.actor) ? { userId: entry.actor, ...(name ? { name } : {}) } : null,
    action: entry.action,
    ...(words.length > 0 ? { details: words.join("; ") } : {}),
    ...(typeof d.permalink === "string" ? { permalink: d.permalink } : {}),
  };
}
