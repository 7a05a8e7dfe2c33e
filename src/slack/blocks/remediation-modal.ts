import { renderRemediation } from "../../core/remediation.js";
import type { Rule } from "../../core/rule.js";
import type { Resource } from "../../core/snapshot.js";
import { CALLBACK_IDS, encodeValue, VALUE_LIMITS } from "../ids.js";
import { severityBadge, severityOverrideNote, type SeverityOverrideView } from "./format.js";
import { context, divider, header, LIMITS, modalTitle, section, type Block, type ModalView } from "./kit.js";
import { code, escapeMrkdwn, link, md, raw, truncate, truncateMrkdwn } from "./text.js";

export interface RemediationModalView {
  findingId: number;
  /** `severity` is the finding's effective severity (a severity override may have changed the rule's). */
  rule: Pick<Rule, "id" | "title" | "severity" | "risk" | "remediation">;
  severityOverride?: SeverityOverrideView;
  resource: Pick<Resource, "name" | "arn" | "accountId" | "region" | "type">;
  /** Where the finding message is, so a follow-up action (fix, mute) can update it. */
  channelId?: string;
  messageTs?: string;
}

/** Room for the fences and the title of a code section within Slack's 3,000 characters. */
const CODE_CHUNK = 2_800;

/**
 * DESIGN 2.3: risk, console steps, AWS CLI and Terraform with the real names filled in, and the AWS
 * docs. Code is split over several sections rather than cut: a truncated command is worse than none.
 */
export function renderRemediationModal(view: RemediationModalView): ModalView {
  const steps = renderRemediation(view.rule, view.resource);
  const blocks: Block[] = [
    header(view.rule.title),
    context(md`*${severityBadge(view.rule.severity)}*${raw(severityOverrideNote(view.severityOverride, 200))}`, md`${code(truncate(view.resource.name, 200))} · ${view.resource.accountId} · ${view.resource.region}`),
    section(md`*Risk*\n${truncate(view.rule.risk, 2_900)}`),
    divider(),
    section(md`*Console*\n${raw(consoleSteps(steps.console))}`),
    ...codeSections("AWS CLI", steps.cli),
    ...codeSections("Terraform", steps.terraform),
    divider(),
    context(md`:books: ${raw(steps.references.slice(0, 8).map((url) => link(url, referenceLabel(url)).text).join(" · "))}`),
  ];
  return {
    type: "modal",
    callback_id: CALLBACK_IDS.remediationModal,
    title: modalTitle("Remediation steps"),
    close: modalTitle("Close"),
    private_metadata: encodeValue("modal", { v: 1, findingId: view.findingId, ...(view.channelId ? { channelId: view.channelId } : {}), ...(view.messageTs ? { messageTs: view.messageTs } : {}) }, VALUE_LIMITS.privateMetadata),
    blocks: blocks.slice(0, LIMITS.surfaceBlocks),
  };
}

/** The rules write numbered console steps one per line; they read well as mrkdwn once escaped. */
function consoleSteps(text: string): string {
  return escapeMrkdwn(truncate(text.trim(), 2_900));
}

/** A code block per ~2,800 escaped characters, split at line ends; the first one carries the title. */
export function codeSections(title: string, text: string, maxSections = 10): Block[] {
  const chunks: string[] = [];
  let current = "";
  for (const line of text.replace(/\n+$/, "").split("\n")) {
    const piece = truncateMrkdwn(escapeMrkdwn(line.replace(/```/g, "ˋˋˋ")), CODE_CHUNK);
    if (current && current.length + piece.length + 1 > CODE_CHUNK) {
      chunks.push(current);
      current = piece;
    } else {
      current = current ? `${current}\n${piece}` : piece;
    }
  }
  if (current) chunks.push(current);
  return chunks.slice(0, maxSections).map((chunk, i) => {
    const fenced = "```" + chunk + "```";
    return section(i === 0 ? `*${escapeMrkdwn(title)}*\n${fenced}` : fenced);
  });
}

/** "docs.aws.amazon.com: access-control-block-public-access" rather than a 150-character URL. */
function referenceLabel(url: string): string {
  try {
    const parsed = new URL(url);
    const page = parsed.pathname.split("/").filter(Boolean).at(-1)?.replace(/\.html?$/, "") ?? "";
    return truncate(page ? `${parsed.hostname}: ${page}` : parsed.hostname, 80);
  } catch {
    return truncate(url, 80);
  }
}
