/**
 * Who may run a one-click fix (DESIGN 2.4): the members of the finding's owning team, or of the security
 * team. Pure: the listener passes the configured teams and the clicking Slack user, on every click,
 * never what a button value says.
 */
export interface FixAuthorizationPolicy {
  teams: readonly { handle: string; members: readonly string[]; userGroup?: string }[];
  securityTeam: { members: readonly string[]; userGroup?: string };
}

export type FixAuthorization =
  | { allowed: true; as: "owning_team" | "security_team" }
  | { allowed: false; reason: string };

export function authorizeFix(policy: FixAuthorizationPolicy, user: string, findingTeam: string | null): FixAuthorization {
  const team = findingTeam === null ? undefined : policy.teams.find((t) => t.handle === findingTeam);
  if (team?.members.includes(user)) return { allowed: true, as: "owning_team" };
  if (policy.securityTeam.members.includes(user)) return { allowed: true, as: "security_team" };
  // A user group's membership needs a Slack API call (usergroups.users.list) Posture does not make
  // here: an unresolved group must never grant a write, so it counts as "not a member" and we say so.
  const groups = [team?.userGroup, policy.securityTeam.userGroup].filter((g): g is string => g !== undefined);
  const groupNote = groups.length > 0
    ? ` Membership of the Slack user group${groups.length > 1 ? "s" : ""} ${groups.join(", ")} cannot be checked by Posture: list the members by user id in posture.config.yml (teams[].members or securityTeam.members).`
    : "";
  const owner = findingTeam === null ? "no team owns this finding" : team ? `it belongs to team ${team.handle}` : `its team ${findingTeam} is no longer configured`;
  return { allowed: false, reason: `Only the owning team's members or the security team may fix this finding (${owner}).${groupNote}` };
}
