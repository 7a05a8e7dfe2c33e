import { SLASH_COMMAND, SUBCOMMANDS, type Subcommand } from "../ids.js";
import { context, header, section, type Message } from "./kit.js";
import { code, escapeMrkdwn, md, raw, truncate } from "./text.js";

/** Arguments and what each sub-command answers (DESIGN 2.6); also the text of `renderUsage`. */
export const USAGE: Record<Subcommand, { args: string; summary: string; example: string }> = {
  score: { args: "[team|framework]", summary: "posture score, trend over 1 and 7 days, failing checks per severity, and the rules to fix first", example: "score payments" },
  findings: { args: "[team] [severity] [rule]", summary: "open findings, most severe first, a page at a time", example: "findings payments critical" },
  mutes: { args: "[team]", summary: "active, pending and expiring mutes", example: "mutes payments" },
  scan: { args: "[account]", summary: "start a scan now (or join the one running)", example: "scan 111122223333" },
  rules: { args: "[framework]", summary: "the rule catalog, optionally for one compliance framework", example: "rules pci-dss-4.0" },
  audit: { args: "<finding-id>", summary: "the history of one finding: who did what, when and why", example: "audit 1234" },
  help: { args: "", summary: "this help", example: "help" },
};

const usageLine = (sub: Subcommand): string => md`${code(`${SLASH_COMMAND} ${sub}${USAGE[sub].args ? ` ${USAGE[sub].args}` : ""}`)}: ${USAGE[sub].summary}`;

/** `/posture help`: every sub-command with its arguments and an example. */
export function renderHelp(): Message {
  const subs = Object.values(SUBCOMMANDS);
  return {
    text: `Posture commands: ${subs.map((s) => `${SLASH_COMMAND} ${s}`).join(", ")}`,
    blocks: [
      header("Posture commands"),
      section(subs.map(usageLine).join("\n")),
      section(md`*Examples*\n${raw(subs.filter((s) => s !== "help").map((s) => code(`${SLASH_COMMAND} ${USAGE[s].example}`).text).join("\n"))}`),
      context(md`Severities: critical, high, medium, low, info. Teams are the handles in the configuration; ${code("unowned")} lists what no team owns. Answers are visible only to you.`),
    ],
  };
}

export interface UsageProblem {
  /** What the user typed after the command. */
  input: string;
  /** What was wrong, as an instruction ("unknown severity \"hgh\": use critical, high, medium, low or info"). */
  error: string;
  /** The sub-command the input was for, when it was recognised. */
  subcommand?: Subcommand;
}

/** An unknown sub-command or a bad argument: say what was wrong, how to write it, never silence. */
export function renderUsage(problem: UsageProblem): Message {
  const typed = code(truncate(`${SLASH_COMMAND} ${problem.input}`.trim(), 200));
  const suggestion = problem.subcommand ? undefined : closestSubcommand(problem.input.trim().split(/\s+/)[0] ?? "");
  const lines = [
    md`:warning: ${typed}: ${truncate(problem.error, 500)}`,
    ...(suggestion ? [md`Did you mean ${code(`${SLASH_COMMAND} ${suggestion}`)}?`] : []),
    problem.subcommand ? md`Usage: ${raw(usageLine(problem.subcommand))}\nExample: ${code(`${SLASH_COMMAND} ${USAGE[problem.subcommand].example}`)}` : md`Commands: ${raw(Object.values(SUBCOMMANDS).map((s) => code(s).text).join(" · "))}`,
  ];
  return {
    text: escapeMrkdwn(truncate(`${SLASH_COMMAND} ${problem.input}: ${problem.error}`, 300)),
    blocks: [section(lines.join("\n")), context(md`${code(`${SLASH_COMMAND} help`)} shows every command with examples.`)],
  };
}

/** The sub-command one or two edits away from what was typed ("fidnings" → findings), if any. */
export function closestSubcommand(word: string): Subcommand | undefined {
  const lower = word.toLowerCase();
  if (lower.length === 0) return undefined;
  let best: { sub: Subcommand; distance: number } | undefined;
  for (const sub of Object.values(SUBCOMMANDS)) {
    const distance = sub.startsWith(lower) && lower.length >= 2 ? 0 : editDistance(lower, sub);
    if (distance <= 2 && (!best || distance < best.distance)) best = { sub, distance };
  }
  return best?.sub;
}

/** Damerau-Levenshtein (optimal string alignment): a swapped pair of letters counts as one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, d[i - 2]![j - 2]! + 1);
      d[i]![j] = value;
    }
  }
  return d[a.length]![b.length]!;
}
