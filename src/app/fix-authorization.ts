import { describeGroupsChecked, groupsOf, isMember, type Membership } from "../core/group-membership.js";

/**
 * Who may run a one-click fix (DESIGN 2.4): the members of the finding's owning team, or of the security
 * team, as effective memberships (configured ids ∪ resolved Slack user groups, see memberships.ts). Pure:
 * the listener passes the live policy and the clicking Slack user, on every click, never what a button
 * value says.
 */
export interface FixAuthorizationPolicy {
  teams: readonly ({ handle: string } & Membership)[];
  securityTeam: Membership;
}

/** `userGroups`: the Slack user groups whose membership decided a refusal (re-reading them may change it). */
export type FixAuthorization =
  | { allowed: true; as: "owning_team" | "security_team" }
  | { allowed: false; reason: string; userGroups?: readonly string[] };

export function authorizeFix(policy: FixAuthorizationPolicy, user: string, findingTeam: string | null): FixAuthorization {
  const index = findingTeam === null ? -1 : policy.teams.findIndex((t) => t.handle === findingTeam);
  const team = policy.teams[index];
  if (team && isMember(team, user)) return { allowed: true, as: "owning_team" };
  if (isMember(policy.securityTeam, user)) return { allowed: true, as: "security_team" };
  const groupNote = describeGroupsChecked([
    { membership: team, source: { label: `team ${team?.handle ?? ""}`, field: `teams[${index}]` } },
    { membership: policy.securityTeam, source: { label: "security team", field: "securityTeam" } },
  ]);
  const userGroups = groupsOf(team, policy.securityTeam);
  const owner = findingTeam === null ? "no team owns this finding" : team ? `it belongs to team ${team.handle}` : `its team ${findingTeam} is no longer configured`;
  return {
    allowed: false, reason: `Only the owning team's members or the security team may fix this finding (${owner}).${groupNote}`,
    ...(userGroups.length > 0 ? { userGroups } : {}),
  };
}
