import type { CommandAnswer } from "../app/command-answers.js";
import type { ScanResult, ScanTicket } from "../app/scan-runner.js";
import { SLASH_COMMAND } from "./ids.js";
import { formatDeltas, formatFailing, formatScore, severityBadge, teamLabel } from "./blocks/format.js";
import { context, header, packLines, section, type Block, type Message } from "./blocks/kit.js";
import { code, md, plural, raw, truncate } from "./blocks/text.js";

/*
 * Slash-command answers. Interim: built from src/slack/blocks' kit helpers until that folder (owned by
 * the Block Kit engineer) has its slash-command renderers; then this file maps onto them.
 */
export const USAGE_LINES = [
  `${SLASH_COMMAND} score [team|framework]: the posture score, its trend and what to fix first`,
  `${SLASH_COMMAND} findings [team] [severity] [rule]: open findings, most severe first`,
  `${SLASH_COMMAND} scan [account]: scan now (joins a scan already running)`,
  `${SLASH_COMMAND} rules [framework]: the rule catalog`,
  `${SLASH_COMMAND} help: this list`,
];

export function renderAnswer(answer: CommandAnswer): Message {
  switch (answer.kind) {
    case "score": {
      const s = answer.summary;
      const top = s.topRules.slice(0, 5).map((r) => md`• ${code(r.ruleId)} ${severityBadge(r.severity)}: ${plural(r.fail, "failure")}, +${r.impact.toFixed(1)} points if fixed`);
      return message(`Score ${s.scope}: ${formatScore(s.score)}`, [
        header(`Posture score · ${s.scope}`),
        section(md`*${formatScore(s.score)}* ${formatDeltas(s.delta1d, s.delta7d)}\n${raw(formatFailing(s.tally))}`),
        ...(top.length > 0 ? [section(md`*Fix first*\n${raw(top.join("\n"))}`)] : []),
      ]);
    }
    case "findings": {
      const lines = answer.findings.map((f) => md`${severityBadge(f.severity)} ${code(f.ruleId)} ${code(truncate(f.resource.name, 120))} · ${f.resource.accountId} · ${teamLabel(f.team)} · #${f.id}`);
      const { blocks } = packLines(lines.length > 0 ? lines : [md`No open findings match.`], 40);
      return message(`${plural(answer.findings.length, "open finding")}${answer.next ? " (more)" : ""}`, [
        header("Open findings"), ...blocks, ...(answer.next ? [context(md`More match: narrow with a team, severity or rule.`)] : []),
      ]);
    }
    case "rules": {
      const lines = answer.rules.map((r) => md`${severityBadge(r.severity)} ${code(r.id)} ${r.title}`);
      const { blocks, omitted } = packLines(lines, 40);
      return message(`${plural(answer.rules.length, "rule")}`, [header(answer.framework ? `Rules · ${answer.framework}` : "Rules"), ...blocks, ...(omitted > 0 ? [context(md`…and ${omitted} more.`)] : [])]);
    }
    case "help":
      return message("Posture commands", [section(md`*Posture commands*\n${raw(USAGE_LINES.map((l) => md`• ${l}`).join("\n"))}`)]);
    case "usage":
      return message(`Posture: ${answer.problem}`, [section(md`:warning: ${answer.problem}`), section(md`${raw(USAGE_LINES.map((l) => md`• ${l}`).join("\n"))}`)]);
  }
}

export function renderScanStarted(ticket: ScanTicket): Message {
  const scope = ticket.account ? `account ${ticket.account}` : "all accounts";
  const text = ticket.joined ? `A scan of ${scope} is already running: you will be told here when it finishes.` : `Scan of ${scope} started: you will be told here when it finishes.`;
  return message(text, [section(md`:hourglass_flowing_sand: ${text}`)]);
}

export function renderScanFinished(result: ScanResult): Message {
  const t = result.transitions;
  const text = result.written ? `Scan ${result.scanId} finished: ${t.new} new, ${t.reopened} reopened, ${t.resolved} resolved, ${t.deleted} resources deleted; ${result.delivered?.messages ?? 0} messages posted.` : `Scan ${result.scanId} was already saved.`;
  return message(text, [section(md`:white_check_mark: ${text}`)]);
}

export function renderScanFailed(error: string): Message {
  return message(`Scan failed: ${error}`, [section(md`:x: The scan failed: ${truncate(error, 2500)}`)]);
}

/** Never silence: a failed query still answers, and the details are in the log. */
export function renderCommandFailed(text: string): Message {
  const problem = `Posture could not answer \`${SLASH_COMMAND} ${truncate(text, 100)}\` right now (the details are in its log). Try again in a minute.`;
  return message(problem, [section(md`:warning: ${problem}`)]);
}

function message(text: string, blocks: Block[]): Message {
  return { text: truncate(text, 300), blocks };
}
