import type { Logger } from "pino";
import type { RuleListing } from "../../app/command-answers.js";
import type { UserGroupRefresh } from "../../app/memberships.js";
import type { CommandVocabulary, PostureReadModel } from "../../app/posture-command.js";
import type { ScanRunner } from "../../app/scan-runner.js";
import type { StoredFindingView } from "../../app/slack-ports.js";
import type { Rule } from "../../core/rule.js";
import type { FixSlackDeps } from "./fix-deps.js";
import type { MuteSlackDeps } from "./mute-deps.js";

/** What the listeners need, built once in main.ts (STYLE habit 4). */
export interface SlackDeps {
  readModel: PostureReadModel;
  vocabulary: CommandVocabulary;
  ruleListings: readonly RuleListing[];
  frameworks: Readonly<Record<string, { name: string; version: string }>>;
  rules: ReadonlyMap<string, Rule>;
  findings: { load(id: number): Promise<StoredFindingView | undefined> };
  scans: ScanRunner;
  home: HomePublisher;
  clock: () => Date;
  logger: Logger;
  /** One-click fixes (DESIGN 2.4); absent: *Fix it* says fixes are not set up. */
  fixes?: FixSlackDeps;
  /** Mutes with approval (DESIGN 2.5); absent: *Mute…* says mutes are not set up. */
  mutes?: MuteSlackDeps;
  /** Re-reads Slack user groups before a membership refusal stands (memberships.ts decideWithFreshGroups). */
  userGroups?: UserGroupRefresh;
}

export interface HomePublisher {
  /** Publishes the dashboard for one user (app_home_opened) and remembers them for later refreshes. */
  publishFor(userId: string): Promise<void>;
}
