import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

const file = (text: string) => ({ path: "posture.config.yml", text });
const problemsOf = (text: string) => {
  try {
    loadConfig({}, file(text));
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe("configuration: teams, security channel, ownership, retention", () => {
  it("parses teams with defaults for the new keys, keeping the existing fields", () => {
    const config = loadConfig({}, file(`
securityChannel: "#security"
teams:
  - handle: payments
    channel: C0123ABCD
    members: [U0123ABCD]
    match: { tags: [pay], accounts: ["111122223333"], names: ["pay-*"] }
`));
    expect(config.teams[0]).toMatchObject({ handle: "payments", match: { tags: ["pay"], accounts: ["111122223333"], arns: [], names: ["pay-*"] } });
    expect(config.ownership.tagKeys).toEqual(["team", "owner"]);
    expect(config.retention.evaluationDays).toBe(90);
    expect(config.securityChannel).toBe("#security");
    expect(config.dbPath).toBe("./data/posture.db");
    expect(config.scan.concurrency).toBe(8);
  });

  it("keeps working without a file", () => {
    expect(loadConfig({ POSTURE_DB_PATH: "/tmp/x.db" })).toMatchObject({ teams: [], dbPath: "/tmp/x.db", retention: { evaluationDays: 90 } });
  });

  it.each([
    ["a bad channel", "teams:\n  - { handle: pay, channel: payments }", "posture.config.yml: teams[0].channel: a Slack channel id (C0123ABCD) or a #channel-name in lower case"],
    ["a bad handle", "teams:\n  - { handle: Pay Team, channel: '#pay' }", "posture.config.yml: teams[0].handle: a lower-case handle such as payments or data-platform"],
    ["a bad member id", "teams:\n  - { handle: pay, channel: '#pay', members: [bob] }", "posture.config.yml: teams[0].members[0]: a Slack user id such as U0123ABCD"],
    ["an unknown matcher", "teams:\n  - { handle: pay, channel: '#pay', match: { tag: [x] } }", 'posture.config.yml: teams[0].match: Unrecognized key: "tag"'],
    ["a duplicate handle", "teams:\n  - { handle: pay, channel: '#pay' }\n  - { handle: pay, channel: '#pay2' }", 'posture.config.yml: teams[1].handle: handle "pay" is already claimed by teams[0].handle'],
    ["an account claimed twice", "teams:\n  - { handle: a, channel: '#a', match: { accounts: ['111122223333'] } }\n  - { handle: b, channel: '#b', match: { accounts: ['111122223333'] } }", 'posture.config.yml: teams[1].match.accounts[0]: account "111122223333" is already claimed by teams[0].match.accounts[0]'],
    ["a tag alias equal to another team", "teams:\n  - { handle: a, channel: '#a' }\n  - { handle: b, channel: '#b', match: { tags: [A] } }", 'posture.config.yml: teams[1].match.tags[0]: handle "A" is already claimed by teams[0].handle'],
    ["members and a user group", "teams:\n  - { handle: a, channel: '#a', members: [U0123ABCD], userGroup: S0123ABCD }", "posture.config.yml: teams[0]: give either members or userGroup, not both"],
    ["a retention of zero days", "retention: { evaluationDays: 0 }", "posture.config.yml: retention.evaluationDays: Too small"],
  ])("names file, path and problem for %s", (_name, text, expected) => {
    expect(problemsOf(text).join("\n")).toContain(expected);
  });
});

it("the commented example configuration is valid", async () => {
  const { readFileSync } = await import("node:fs");
  const text = readFileSync(new URL("../../posture.config.example.yml", import.meta.url), "utf8");
  const config = loadConfig({}, { path: "posture.config.example.yml", text });
  expect(config.teams.map((t) => t.handle)).toEqual(["payments", "data"]);
  expect(config.securityChannel).toBe("#security-posture");
});
