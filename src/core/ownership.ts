import { isUnknown } from "./unknown.js";
import type { Resource } from "./snapshot.js";

/** A team as ownership needs it (the configuration's teams satisfy this shape). */
export interface TeamDefinition {
  handle: string;
  channel: string;
  match: { tags: readonly string[]; accounts: readonly string[]; arns: readonly string[]; names: readonly string[] };
}

/** An owner set by a person (stored in the database); it beats every matcher. */
export interface OwnershipOverride {
  resourceArn: string;
  team: string;
  setBy: string;
  /** ISO time. */
  setAt: string;
}

export interface OwnershipPolicy {
  teams: readonly TeamDefinition[];
  /** Tag keys naming the team, in priority order (compared case-insensitively). */
  tagKeys: readonly string[];
}

export type OwnerSource = "override" | "tag" | "account" | "arn" | "name" | "unowned";

/** Who owns a resource and why, in words fit for a Slack message ("tag team=payments"). */
export interface OwnerDecision {
  team: string | null;
  source: OwnerSource;
  reason: string;
}

export const UNOWNED_REASON = "no team matched: routed to the security channel";

type OwnedResource = Pick<Resource, "arn" | "name" | "accountId"> & { tags?: unknown };

/**
 * Compiles the policy once (maps and regular expressions), then decides per resource in this order:
 * override, tags, account, ARN pattern, name pattern, else unowned. Within one kind, the first team
 * in configuration order wins.
 */
export function compileOwnership(policy: OwnershipPolicy, overrides: ReadonlyMap<string, OwnershipOverride>): (resource: OwnedResource) => OwnerDecision {
  const handles = new Set(policy.teams.map((team) => team.handle));
  const byTag = new Map<string, string>();
  const byAccount = new Map<string, string>();
  for (const team of [...policy.teams].reverse()) {
    for (const value of [team.handle, ...team.match.tags]) byTag.set(value.toLowerCase(), team.handle);
    for (const account of team.match.accounts) byAccount.set(account, team.handle);
  }
  const patterns = (kind: "arns" | "names") => policy.teams.flatMap((team) => team.match[kind].map((glob) => ({ team: team.handle, glob, regex: globToRegExp(glob) })));
  const arnPatterns = patterns("arns");
  const namePatterns = patterns("names");
  const tagKeys = policy.tagKeys.map((key) => key.toLowerCase());

  return (resource) => {
    const override = overrides.get(resource.arn);
    if (override && handles.has(override.team)) {
      return { team: override.team, source: "override", reason: `override by ${override.setBy} on ${override.setAt.slice(0, 10)}` };
    }
    const tagged = decideByTags(resource.tags, tagKeys, byTag);
    if (tagged) return tagged;
    const accountTeam = byAccount.get(resource.accountId);
    if (accountTeam) return { team: accountTeam, source: "account", reason: `account ${resource.accountId}` };
    const arnMatch = arnPatterns.find((p) => p.regex.test(resource.arn));
    if (arnMatch) return { team: arnMatch.team, source: "arn", reason: `ARN matches ${arnMatch.glob}` };
    const nameMatch = namePatterns.find((p) => p.regex.test(resource.name));
    if (nameMatch) return { team: nameMatch.team, source: "name", reason: `name matches ${nameMatch.glob}` };
    return { team: null, source: "unowned", reason: UNOWNED_REASON };
  };
}

/** Tags that failed to collect (`{$unknown}`) or were not collected decide nothing: the next matcher does. */
function decideByTags(tags: unknown, tagKeys: readonly string[], byTag: ReadonlyMap<string, string>): OwnerDecision | undefined {
  if (tags === undefined || tags === null || isUnknown(tags) || typeof tags !== "object") return undefined;
  const entries = Object.entries(tags as Record<string, string>);
  for (const wanted of tagKeys) {
    for (const [key, value] of entries) {
      if (key.toLowerCase() !== wanted) continue;
      const team = byTag.get(value.trim().toLowerCase());
      if (team) return { team, source: "tag", reason: `tag ${key}=${value}` };
    }
  }
  return undefined;
}

/** `*` any run of characters, `?` one character, the rest literal; case-insensitive (IAM names are). */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`, "i");
}
