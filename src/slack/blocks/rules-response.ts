import type { Severity } from "../../core/rule.js";
import { SLASH_COMMAND, SUBCOMMANDS } from "../ids.js";
import { frameworkLabel, SEVERITY_STYLE } from "./format.js";
import { context, header, LIMITS, packLines, type Block, type Message } from "./kit.js";
import { code, escapeMrkdwn, md, plural, raw, truncate } from "./text.js";
import { SEVERITIES } from "../../core/rule.js";

/** A catalog `Rule` fits. */
export interface RuleListItem {
  id: string;
  title: string;
  severity: Severity;
  resource: string;
  compliance: Readonly<Record<string, readonly string[]>>;
  /** `fix` is set: the rule has a fixer. */
  fix?: string;
}

export interface RulesResponseModel {
  rules: readonly RuleListItem[];
  /** Only the rules mapped to this framework, with their control ids; absent: the whole catalog. */
  framework?: { id: string; name: string; version: string };
  /** Framework ids, for the hint line. */
  frameworkIds: readonly string[];
}

/** `/posture rules [framework]`: the catalog, most severe first, with the controls of a chosen framework. */
export function renderRulesResponse(model: RulesResponseModel): Message {
  const framework = model.framework;
  const rules = framework ? model.rules.filter((r) => r.compliance[framework.id]) : [...model.rules];
  rules.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || (a.id < b.id ? -1 : 1));
  const title = framework ? `${frameworkLabel(framework.id)} rules: ${framework.name} ${framework.version}` : "Posture rule catalog";
  const lines = rules.map((r) => {
    const controls = framework ? md`${code((r.compliance[framework.id] ?? []).join(", "))} ` : "";
    const fixer = r.fix ? " · :hammer_and_wrench: fixer" : "";
    return md`${raw(SEVERITY_STYLE[r.severity].emoji)} ${raw(controls)}*${truncate(r.title, 150)}* ${code(r.id)}${raw(fixer)}`;
  });
  const { blocks, omitted } = packLines(lines, LIMITS.messageBlocks - 4, LIMITS.messageChars - 1_500);
  const out: Block[] = [header(title), context(md`${plural(rules.length, "rule")}, most severe first`), ...blocks];
  if (omitted > 0) out.push(context(md`…and ${plural(omitted, "more rule")}: narrow with ${code(`${SLASH_COMMAND} ${SUBCOMMANDS.rules} <framework>`)}, or run ${code("posture rules")} in a terminal.`));
  out.push(context(md`Frameworks: ${raw(model.frameworkIds.map((id) => code(id).text).join(" · "))}`));
  return { text: escapeMrkdwn(truncate(`${title}: ${plural(rules.length, "rule")}`, LIMITS.fallbackText)), blocks: out };
}
