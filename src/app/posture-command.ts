import type { CoverageSummary } from "../core/digest.js";
import type { Evidence } from "../core/condition.js";
import type { FindingStatus } from "../core/findings.js";
import { SEVERITIES, type Severity } from "../core/rule.js";
import type { Tally } from "../core/score.js";
import type { RuleImpact, Scope } from "../core/scope-counts.js";
import type { AppliedOverride } from "../core/severity-overrides.js";

/**
 * `/posture <sub-command>` (DESIGN section 2.6): words -> a typed request -> an answer from stored
 * aggregates and indexed queries only, so it answers in milliseconds with a million findings stored.
 */
export type CommandRequest =
  | { kind: "score"; scope: Scope }
  | { kind: "findings"; team?: string; severities?: Severity[]; ruleId?: string; after?: string }
  | { kind: "scan"; account?: string }
  | { kind: "rules"; framework?: string }
  | { kind: "help" }
  | { kind: "mutes"; team?: string }
  | { kind: "audit"; findingId: number }
  | { kind: "usage"; problem: string; input: string; subcommand?: Subcommand };

/** The sub-commands `/posture` answers. */
export type Subcommand = "score" | "findings" | "scan" | "rules" | "help" | "mutes" | "audit";

/** What the words of a command may name. */
export interface CommandVocabulary {
  teams: readonly string[];
  frameworks: readonly string[];
  ruleIds: ReadonlySet<string>;
  /** Account ids and their names (`scan prod` or `scan 123456789012`). */
  accounts: readonly { id: string; name?: string }[];
}

export const UNOWNED_TEAM = "unowned";

export function parseCommand(text: string, vocabulary: CommandVocabulary): CommandRequest {
  const request = parseWords(text, vocabulary);
  if (request.kind !== "usage") return request;
  const sub = text.trim().toLowerCase().split(/\s+/)[0];
  const known = ["score", "findings", "scan", "rules", "help", "mutes", "audit"].includes(sub ?? "") ? (sub as Subcommand) : undefined;
  return { ...request, input: text.trim(), ...(known ? { subcommand: known } : {}) };
}

function parseWords(text: string, vocabulary: CommandVocabulary): CommandRequest {
  const [sub, ...args] = text.trim().toLowerCase().split(/\s+/).filter((w) => w.length > 0);
  switch (sub) {
    case undefined:
    case "help":
      return { kind: "help" };
    case "score":
      return parseScore(args, vocabulary);
    case "findings":
      return parseFindings(args, vocabulary);
    case "scan":
      return parseScan(args, vocabulary);
    case "rules":
      if (args.length === 0) return { kind: "rules" };
      return args.length === 1 && vocabulary.frameworks.includes(args[0]!) ? { kind: "rules", framework: args[0]! } : usage(`unknown framework "${args.join(" ")}": one of ${vocabulary.frameworks.join(", ")}`);
    case "mutes":
      if (args.length === 0) return { kind: "mutes" };
      if (args.length === 1 && (vocabulary.teams.includes(args[0]!) || args[0] === UNOWNED_TEAM)) return { kind: "mutes", team: args[0]! };
      return usage(`mutes takes at most one team (${vocabulary.teams.join(", ") || "none configured"}), got "${args.join(" ")}"`);
    case "audit":
      return args.length === 1 && /^\d{1,15}$/.test(args[0]!) && Number(args[0]) > 0
        ? { kind: "audit", findingId: Number(args[0]) }
        : usage(`audit takes one finding id (a number, shown on the finding), got "${args.join(" ")}"`);
    default:
      return usage(`unknown sub-command "${sub}"`);
  }
}

const usage = (problem: string): CommandRequest => ({ kind: "usage", problem, input: "" });

function parseScore(args: string[], vocabulary: CommandVocabulary): CommandRequest {
  if (args.length === 0) return { kind: "score", scope: "org" };
  const [word, ...rest] = args;
  if (rest.length > 0) return usage(`score takes one team or framework, got "${args.join(" ")}"`);
  if (word === UNOWNED_TEAM) return { kind: "score", scope: "unowned" };
  if (vocabulary.teams.includes(word!)) return { kind: "score", scope: `team:${word!}` };
  if (vocabulary.frameworks.includes(word!)) return { kind: "score", scope: `framework:${word!}` };
  return usage(`"${word}" is neither a team (${vocabulary.teams.join(", ") || "none configured"}) nor a framework (${vocabulary.frameworks.join(", ")})`);
}

/** Words in any order: a team handle, severities, a rule id. */
function parseFindings(args: string[], vocabulary: CommandVocabulary): CommandRequest {
  const request: Extract<CommandRequest, { kind: "findings" }> = { kind: "findings" };
  for (const word of args) {
    if ((SEVERITIES as readonly string[]).includes(word)) request.severities = [...(request.severities ?? []), word as Severity];
    else if ((vocabulary.teams.includes(word) || word === UNOWNED_TEAM) && request.team === undefined) request.team = word;
    else if (vocabulary.ruleIds.has(word) && request.ruleId === undefined) request.ruleId = word;
    else return usage(`"${word}" is not a team, a severity (${SEVERITIES.join(", ")}) or a rule id (see \`/posture rules\`)`);
  }
  return request;
}

function parseScan(args: string[], vocabulary: CommandVocabulary): CommandRequest {
  if (args.length === 0) return { kind: "scan" };
  if (args.length > 1) return usage(`scan takes at most one account, got "${args.join(" ")}"`);
  const account = vocabulary.accounts.find((a) => a.id === args[0] || a.name?.toLowerCase() === args[0]);
  if (account) return { kind: "scan", account: account.id };
  const known = vocabulary.accounts.map((a) => (a.name ? `${a.name} (${a.id})` : a.id));
  return usage(`unknown account "${args[0]}": ${known.length > 0 ? `one of ${known.join(", ")}` : "no accounts are configured"}`);
}

/** Read side of the state store that the slash commands and App Home use (stored aggregates, indexed pages). */
export interface ScoreSummary {
  scope: Scope;
  score: number | null;
  tally: Tally;
  delta1d: number | null;
  delta7d: number | null;
  topRules: RuleImpact[];
}

export interface FindingListItem {
  id: number;
  ruleId: string;
  severity: Severity;
  /** Set when a severity override gave the finding `severity` instead of its rule's own. */
  severityOverride?: AppliedOverride;
  status: FindingStatus;
  team: string | null;
  resource: { arn: string; name: string; accountId: string; region: string };
  firstSeen: string;
  evidence: Evidence[];
}

export interface PostureReadModel {
  score(scope: Scope, now: Date): Promise<ScoreSummary>;
  scopes(): Promise<Scope[]>;
  /** The latest persisted scan and how many accounts it covered; null before the first. */
  lastScan(): Promise<{ at: string; accounts: number } | null>;
  scoreSeries(scope: Scope, now: Date, days: number): Promise<{ day: string; score: number | null }[]>;
  openFindings(filter: { team?: string; severities?: readonly Severity[]; ruleId?: string; after?: string; limit: number }): Promise<{ findings: FindingListItem[]; next: string | null }>;
  /**
   * Per-account coverage of the latest scans; null before the first (optional: read models without it show none).
   * A team scope (or "unowned") gets the accounts where it owns evaluated resources; any other, every account.
   */
  coverage?(scope?: Scope): Promise<CoverageSummary | null>;
}
