/**
 * Who belongs to a team, the security team or the mute approvers, as the authorization policies see it:
 * the configured user ids together with the members of the configured Slack user group, when Posture
 * could resolve it. A group that could not be resolved grants nothing, and a refusal says why.
 */
export type UserGroupState =
  | { id: string; resolved: true }
  | { id: string; resolved: false; problem: string };

export interface Membership {
  /** Effective member ids: the configured ids ∪ the resolved members of `userGroup`. */
  members: readonly string[];
  /** The configured Slack user group (S0123ABCD) and whether its membership is known. */
  userGroup?: UserGroupState;
}

/** Where a membership comes from in posture.config.yml, for refusal texts: `label` (approvers), `field` (mutes.approvers). */
export interface MembershipSource {
  label: string;
  field: string;
}

export const isMember = (membership: Membership, user: string): boolean => membership.members.includes(user);

/** The user group ids whose (re-read) membership could change a refusal: the refusal carries them. */
export const groupsOf = (...memberships: readonly (Membership | undefined)[]): string[] =>
  [...new Set(memberships.flatMap((m) => (m?.userGroup ? [m.userGroup.id] : [])))];

/**
 * One sentence per configured user group that was checked for `user` and did not grant: either "not a
 * member of the Slack user group S… (approvers)" or that the group could not be resolved and what to fix.
 */
export function describeGroupsChecked(checked: readonly { membership: Membership | undefined; source: MembershipSource }[]): string {
  return checked.flatMap(({ membership, source }) => {
    const group = membership?.userGroup;
    if (!group) return [];
    if (group.resolved) return [`You are not a member of the Slack user group ${group.id} (${source.label}).`];
    return [`The Slack user group ${group.id} (${source.field}.userGroup) could not be resolved, so it grants nobody: ${group.problem}.`];
  }).map((sentence) => ` ${sentence}`).join("");
}
