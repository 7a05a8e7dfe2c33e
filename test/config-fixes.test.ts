import { describe, expect, it } from "vitest";
import { configProblemsOf, loadConfigText } from "./config-helpers.js";

const load = loadConfigText;
const problemsOf = configProblemsOf;

describe("config for one-click fixes", () => {
  it("defaults: no fixer roles, a 60-minute undo window, SSE-S3, an empty security team", () => {
    const config = load(`accounts:\n  - id: "111122223333"\n`);
    expect(config.accounts[0]!.fixerRoleArn).toBeUndefined();
    expect(config.fixes).toEqual({ undoWindowMinutes: 60 });
    expect(config.securityTeam).toEqual({ members: [] });
  });

  it("reads the fixer role, its external id, the KMS key and the security team", () => {
    const config = load(`accounts:\n  - id: "111122223333"\n    roleArn: arn:aws:iam::111122223333:role/PostureScanner\n    fixerRoleArn: arn:aws:iam::111122223333:role/PostureFixer\n    fixerExternalId: ext-fix\nfixes: { kmsKeyId: alias/posture, undoWindowMinutes: 15 }\nsecurityTeam: { members: [U0SEC00001] }\n`);
    expect(config.accounts[0]).toMatchObject({ fixerRoleArn: "arn:aws:iam::111122223333:role/PostureFixer", fixerExternalId: "ext-fix" });
    expect(config.fixes).toEqual({ kmsKeyId: "alias/posture", undoWindowMinutes: 15 });
    expect(config.securityTeam.members).toEqual(["U0SEC00001"]);
  });

  it.each([
    ["the scanner's role reused for fixes", `accounts:\n  - id: "111122223333"\n    roleArn: arn:aws:iam::111122223333:role/S\n    fixerRoleArn: arn:aws:iam::111122223333:role/S\n`, "accounts[0].fixerRoleArn: must differ from roleArn"],
    ["a fixer role that is not a role ARN", `accounts:\n  - id: "111122223333"\n    fixerRoleArn: PostureFixer\n`, "accounts[0].fixerRoleArn: an IAM role ARN such as"],
    ["an undo window of zero", `fixes: { undoWindowMinutes: 0 }\n`, "fixes.undoWindowMinutes"],
    ["an unknown fixes key", `fixes: { undoMinutes: 5 }\n`, "fixes"],
    ["a security team member that is not a user id", `securityTeam: { members: [alice] }\n`, "securityTeam.members[0]: a Slack user id"],
  ])("refuses %s with a message naming the field", (_name, text, expected) => {
    expect(problemsOf(text).join("\n")).toContain(expected);
  });
});
