import type { Evidence } from "../../core/condition.js";
import type { FindingStatus } from "../../core/findings.js";
import type { Severity } from "../../core/rule.js";
import { ACTION_IDS, BLOCK_IDS, encodeValue, resourceBlockId, VALUE_LIMITS, type FindingMenuAction } from "../ids.js";
import { renderEvidenceLines, severityBadge, severityOverrideNote, SEVERITY_STYLE, teamLabel, type SeverityOverrideView } from "./format.js";
import { actions, button, context, LIMITS, overflow, section, type Block, type Message, type SectionBlock } from "./kit.js";
import { code, escapeMrkdwn, formatAgo, md, plural, raw, truncate } from "./text.js";

export interface FindingsFilterView {
  team?: string;
  severities?: readonly Severity[];
  ruleId?: string;
}

/** A `FindingRow` fits. */
export interface FindingListItem {
  id: number;
  ruleId: string;
  /** The effective severity; `severityOverride` says the rule's own and why when an override set it. */
  severity: Severity;
  severityOverride?: SeverityOverrideView;
  status: FindingStatus;
  team: string | null;
  resource: { name: string; accountId: string; region: string };
  firstSeen: string;
  evidence: readonly Evidence[];
}

export interface FindingsResponseModel {
  filter: FindingsFilterView;
  /** One page of `loadFindings` (most severe first) and its `next` cursor. */
  findings: readonly FindingListItem[];
  next: string | null;
  rules: Readonly<Record<string, { title: string; hasFixer: boolean }>>;
}

/** The page size to ask `loadFindings` for: 20 items always fit Slack's block and text limits. */
export const FINDINGS_PAGE_SIZE = 20;
/** Header, footer and pager around the findings; the text budget keeps room for them. */
const MAX_ITEMS = LIMITS.messageBlocks - 4;
const TEXT_BUDGET = LIMITS.messageChars - 1_000;

/** `/posture findings [team] [severity] [rule]`: a page of findings, each with its actions, and *Next page*. */
export function renderFindingsResponse(model: FindingsResponseModel, now: Date): Message {
  const what = describeFilter(model.filter);
  if (model.findings.length === 0) {
    return { text: escapeMrkdwn(`No open findings: ${what}`), blocks: [section(md`:white_check_mark: No open findings match ${what}.`)] };
  }
  const items = fitItems(model, now);
  const blocks: Block[] = [context(md`*Open findings*, most severe first · ${what}`), ...items];
  const cut = model.findings.length - items.length;
  if (cut > 0) {
    // The cursor points after the page's last row: offering it now would skip the rows not shown.
    blocks.push(context(md`:warning: ${plural(cut, "more finding")} of this page did not fit in one message: narrow the filter (team, severity or rule).`));
  } else if (model.next) {
    const value = encodeValue("findingsPage", { v: 1, ...pageFilter(model.filter), after: model.next });
    blocks.push(actions([button("Next page", ACTION_IDS.findingsNextPage, { value })], BLOCK_IDS.findingsPager));
  } else {
    blocks.push(context(md`End of the list.`));
  }
  return { text: escapeMrkdwn(truncate(`${plural(items.length, "open finding")}: ${what}`, LIMITS.fallbackText)), blocks };
}

function fitItems(model: FindingsResponseModel, now: Date): SectionBlock[] {
  const items: SectionBlock[] = [];
  let used = 0;
  for (const finding of model.findings.slice(0, MAX_ITEMS)) {
    const item = itemSection(finding, model.rules[finding.ruleId], now);
    used += item.text?.text.length ?? 0;
    if (used > TEXT_BUDGET) break;
    items.push(item);
  }
  return items;
}

/** "team payments · critical, high · rule s3-bucket-versioning", or "every team" (plain: escape at use). */
function describeFilter(filter: FindingsFilterView): string {
  const parts = [filter.team ? `team ${filter.team}` : "every team"];
  if (filter.severities && filter.severities.length > 0) parts.push(filter.severities.join(", "));
  if (filter.ruleId) parts.push(`rule ${filter.ruleId}`);
  return truncate(parts.join(" · "), 300);
}

function pageFilter(filter: FindingsFilterView): { team?: string; severities?: Severity[]; ruleId?: string } {
  return {
    ...(filter.team ? { team: filter.team } : {}),
    ...(filter.severities && filter.severities.length > 0 ? { severities: [...filter.severities] } : {}),
    ...(filter.ruleId ? { ruleId: filter.ruleId } : {}),
  };
}

/** The emoji alone does not tell an overridden severity from the rule's: say it, the rule's and why. */
function overrideLine(finding: FindingListItem): string {
  return finding.severityOverride ? md`\n_${severityBadge(finding.severity)}${raw(severityOverrideNote(finding.severityOverride, 100))}_` : "";
}

function itemSection(finding: FindingListItem, rule: { title: string; hasFixer: boolean } | undefined, now: Date): SectionBlock {
  const title = rule?.title ?? finding.ruleId;
  const why = renderEvidenceLines(finding.evidence, 100)[0];
  const text = md`${raw(SEVERITY_STYLE[finding.severity].emoji)} *${truncate(title, 150)}*\n${code(truncate(finding.resource.name, 100))} · ${finding.resource.accountId} · ${finding.resource.region} · ${teamLabel(finding.team)} · first seen ${formatAgo(finding.firstSeen, now)} · #${finding.id}${raw(overrideLine(finding))}${raw(why ? md`\n${code(truncate(why, 100))}` : "")}`;
  const menu: [FindingMenuAction, string][] = [["remediation", "Remediation steps"]];
  if (rule?.hasFixer && finding.status === "open") menu.push(["fix", "Fix it"]);
  if (finding.status === "open") menu.push(["mute", "Mute…"]);
  const accessory = menu.length > 1
    ? overflow(ACTION_IDS.findingMenu, menu.map(([action, label]) => ({ text: label, value: encodeValue("findingMenu", { v: 1, action, findingId: finding.id }, VALUE_LIMITS.option) })))
    : button("Remediation steps", ACTION_IDS.remediationSteps, { value: encodeValue("finding", { v: 1, findingId: finding.id }) });
  return section(text, { accessory, blockId: resourceBlockId(finding.id) });
}
