import type { Membership } from "../core/group-membership.js";
import type { FixAuthorizationPolicy } from "./fix-authorization.js";

/**
 * Effective memberships (issue 5: "approvers are configured: user ids and/or a Slack user group"): the
 * configured ids ∪ the members of the configured user group, as last resolved by the Slack adapter
 * (src/slack/user-groups.ts). Pure: the policies stay synchronous and read whatever is known now.
 */

/** What Posture last learned of one Slack user group. */
export type UserGroupLookup =
  | { resolved: true; members: readonly string[] }
  | { resolved: false; problem: string };

/** By user group id (S0123ABCD). A group missing here has not been looked up. */
export type UserGroupLookups = ReadonlyMap<string, UserGroupLookup>;

export const NO_LOOKUPS: UserGroupLookups = new Map();
const NOT_LOOKED_UP = "Posture has not looked it up yet (it does at start-up when connected to Slack)";

/** A team, the security team or the approvers as posture.config.yml gives them. */
export interface ConfiguredMembership {
  members: readonly string[];
  userGroup?: string;
}

export interface MembershipConfig {
  teams: readonly ({ handle: string } & ConfiguredMembership)[];
  securityTeam: ConfiguredMembership;
  mutes: { approvers: ConfiguredMembership };
}

/** Configured ids ∪ the group's resolved members; an unresolved group adds nobody and says why. */
export function membershipOf(configured: ConfiguredMembership, lookups: UserGroupLookups): Membership {
  const id = configured.userGroup;
  if (id === undefined) return { members: configured.members };
  const lookup = lookups.get(id) ?? { resolved: false, problem: NOT_LOOKED_UP };
  if (!lookup.resolved) return { members: configured.members, userGroup: { id, resolved: false, problem: lookup.problem } };
  return { members: [...new Set([...configured.members, ...lookup.members])], userGroup: { id, resolved: true } };
}

/** Every user group the configuration names (teams, security team, approvers), each once. */
export function configuredUserGroups(config: MembershipConfig): string[] {
  const all = [...config.teams.map((t) => t.userGroup), config.securityTeam.userGroup, config.mutes.approvers.userGroup];
  return [...new Set(all.filter((id): id is string => id !== undefined))];
}

export function teamMembershipsOf(config: Pick<MembershipConfig, "teams">, lookups: UserGroupLookups): ({ handle: string } & Membership)[] {
  return config.teams.map((t) => ({ handle: t.handle, ...membershipOf(t, lookups) }));
}

export function fixPolicyOf(config: Pick<MembershipConfig, "teams" | "securityTeam">, lookups: UserGroupLookups): FixAuthorizationPolicy {
  return { teams: teamMembershipsOf(config, lookups), securityTeam: membershipOf(config.securityTeam, lookups) };
}

/**
 * `derive` recomputed only when the lookups change: the adapter hands out a new map only when a
 * membership changed, so a click reads a memoized policy.
 */
export function liveView<T>(current: () => UserGroupLookups, derive: (lookups: UserGroupLookups) => T): () => T {
  let seen: UserGroupLookups | undefined;
  let value: T | undefined;
  return () => {
    const lookups = current();
    if (lookups !== seen || value === undefined) {
      value = derive(lookups);
      seen = lookups;
    }
    return value;
  };
}

/** Re-reads user groups now, within the adapter's rate limit; true when a membership changed. */
export interface UserGroupRefresh {
  refreshNow(ids: readonly string[]): Promise<boolean>;
}

/**
 * Someone just added to a user group must not be refused until the next background refresh: when a
 * decision is refused on the membership of user groups (`userGroups` on the refusal), those groups are
 * re-read once and the same pure decision asked again.
 */
export async function decideWithFreshGroups<D extends object>(decide: () => D, refresh: UserGroupRefresh | undefined): Promise<D> {
  const first = decide();
  const groups = (first as { userGroups?: readonly string[] }).userGroups ?? [];
  if (refresh === undefined || groups.length === 0) return first;
  return (await refresh.refreshNow(groups)) ? decide() : first;
}
