import type { CommandAnswer, RuleListing } from "../app/command-answers.js";
import type { ScanResult, ScanTicket } from "../app/scan-runner.js";
import { SLASH_COMMAND } from "./ids.js";
import { renderFindingsResponse } from "./blocks/findings-response.js";
import { renderHelp, renderUsage } from "./blocks/help.js";
import { section, type Block, type Message } from "./blocks/kit.js";
import { renderRulesResponse } from "./blocks/rules-response.js";
import { renderScoreResponse } from "./blocks/score-response.js";
import { md, truncate } from "./blocks/text.js";

/*
 * Slash-command answers: the query answers map onto src/slack/blocks' renderers. The scan
 * acknowledgements and the failure line are local, built from its kit helpers (no renderer for them yet).
 */

/** What the slash-command renderers need from the catalog beyond an answer. */
export interface AnswerContext {
  rules: readonly RuleListing[];
  frameworks: Readonly<Record<string, { name: string; version: string }>>;
  now: Date;
}

/** Maps a use-case answer onto the slash-command renderers of src/slack/blocks. */
export function renderAnswer(answer: CommandAnswer, context: AnswerContext): Message {
  switch (answer.kind) {
    case "score": {
      const titles = Object.fromEntries(context.rules.map((r) => [r.id, r.title]));
      return renderScoreResponse({ ...answer.summary, series: answer.series, ruleTitles: titles, coverage: answer.coverage }, context.now);
    }
    case "findings": {
      const rules = Object.fromEntries(context.rules.map((r) => [r.id, { title: r.title, hasFixer: r.fix !== undefined }]));
      const { team, severities, ruleId } = answer.filter;
      return renderFindingsResponse({ filter: { team, severities, ruleId }, findings: answer.findings, next: answer.next, rules }, context.now);
    }
    case "rules": {
      const framework = answer.framework ? { id: answer.framework, ...context.frameworks[answer.framework]! } : undefined;
      return renderRulesResponse({ rules: answer.rules, framework, frameworkIds: Object.keys(context.frameworks) });
    }
    case "help":
      return renderHelp();
    case "usage":
      return renderUsage({ input: answer.input, error: answer.problem, subcommand: answer.subcommand });
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
