import { ConfigError, loadConfig } from "../src/config.js";

/** posture.config.yml text through loadConfig with an empty environment. */
export const loadConfigText = (text: string) => loadConfig({}, { path: "posture.config.yml", text });

/** The problems loadConfig reports for this text (none: []). */
export function configProblemsOf(text: string): string[] {
  try {
    loadConfigText(text);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}
