import type { SlackSettings, SlackSettingsProblem } from "../config.js";

/** The Slack variables are parsed by loadConfig (config.slack); this is what start-up does with them. */
export type { SlackSettings } from "../config.js";

export class SlackSetupError extends Error {
  readonly code = "POSTURE_SLACK_SETUP";
}

/** The settings `npm start` can run with, or the one actionable line (as a SlackSetupError) saying what to fix. */
export function requireSlackSettings(slack: SlackSettings | SlackSettingsProblem): SlackSettings {
  if (slack.mode === "unusable") throw new SlackSetupError(slack.problem);
  return slack;
}
