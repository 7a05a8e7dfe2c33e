import { Option, type Command } from "commander";
import { frameworkScope, ORG, teamScope, type Scope } from "../../core/scope-counts.js";
import { formatScore } from "../../core/score.js";
import { SEVERITIES } from "../../core/rule.js";
import type { Config } from "../../config.js";
import { loadScore, type ScoreView } from "../../db/score-queries.js";
import { EXIT, UserError } from "../errors.js";
import { createPaint } from "../style.js";
import { action, withStateDb, type StateCommandDeps } from "./state-db.js";

interface ScoreFlags { team?: string; framework?: string; format: "table" | "json" }

/** `posture score [--team T | --framework F]`: the score from the database, with 1- and 7-day deltas. */
export function registerScoreCommand(program: Command, deps: StateCommandDeps): void {
  program.command("score")
    .description("posture score of the organisation, a team or a framework, with its trend and the rules to fix first (from the database)")
    .option("--team <handle>", "a configured team handle, or \"unowned\"")
    .option("--framework <id>", "a compliance framework id such as cis-aws-3.0")
    .addOption(new Option("-f, --format <format>", "output format").choices(["table", "json"]).default("table"))
    .action(action(deps, (flags: ScoreFlags) => withStateDb(deps, (db, config) => {
      const view = loadScore(db, scopeOf(flags, config), deps.io.clock());
      deps.io.out(flags.format === "json" ? `${JSON.stringify(view, null, 2)}\n` : renderScore(view, deps.io.color));
      return EXIT.ok;
    })));
}

export function scopeOf(flags: Pick<ScoreFlags, "team" | "framework">, config: Pick<Config, "teams">): Scope {
  if (flags.team !== undefined && flags.framework !== undefined) throw new UserError("--team and --framework: give one of them, not both");
  if (flags.framework !== undefined) return frameworkScope(flags.framework);
  if (flags.team === undefined) return ORG;
  if (flags.team === "unowned") return teamScope(null);
  if (!config.teams.some((team) => team.handle === flags.team)) {
    const known = config.teams.map((team) => team.handle);
    throw new UserError(`--team: no team "${flags.team}" in the configuration (teams: ${known.length > 0 ? known.join(", ") : "none configured"}, or "unowned")`);
  }
  return teamScope(flags.team);
}

const signed = (delta: number | null, label: string) => (delta === null ? `no score ${label}` : `${delta >= 0 ? "+" : ""}${delta.toFixed(1)} vs ${label}`);

export function renderScore(view: ScoreView, color: boolean): string {
  const paint = createPaint(color);
  const lines = [paint.bold(`Posture score (${view.scope}): ${formatScore(view.score)}`), `  ${signed(view.delta1d, "1 day ago")}, ${signed(view.delta7d, "7 days ago")}`, ""];
  for (const severity of SEVERITIES) {
    const { pass, fail } = view.tally[severity];
    if (pass + fail > 0) lines.push(`  ${paint.severity(severity, severity.padEnd(8))}  ${String(pass).padStart(7)} pass  ${String(fail).padStart(7)} fail`);
  }
  if (view.score === null) lines.push("  nothing evaluated in this scope yet: run `posture scan`");
  if (view.topRules.length > 0) {
    lines.push("", "Fix first (points gained if the rule's failures passed):");
    for (const rule of view.topRules) lines.push(`  +${rule.impact.toFixed(1).padStart(5)}  ${rule.ruleId} (${rule.severity}, ${rule.fail} failing)`);
  }
  return `${lines.join("\n")}\n`;
}
