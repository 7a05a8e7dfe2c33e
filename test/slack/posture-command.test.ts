import { describe, expect, it } from "vitest";
import { parseCommand, type CommandVocabulary } from "../../src/app/posture-command.js";

const vocabulary: CommandVocabulary = {
  teams: ["payments", "data"], frameworks: ["cis-aws-3.0", "pci-dss-4.0"], ruleIds: new Set(["s3-bucket-public-read"]),
  accounts: [{ id: "111122223333", name: "prod" }],
};

describe("parseCommand", () => {
  it.each([
    ["", { kind: "help" }],
    ["help", { kind: "help" }],
    ["score", { kind: "score", scope: "org" }],
    ["score payments", { kind: "score", scope: "team:payments" }],
    ["SCORE PCI-DSS-4.0", { kind: "score", scope: "framework:pci-dss-4.0" }],
    ["score unowned", { kind: "score", scope: "unowned" }],
    ["findings", { kind: "findings" }],
    ["findings critical data high s3-bucket-public-read", { kind: "findings", team: "data", severities: ["critical", "high"], ruleId: "s3-bucket-public-read" }],
    ["scan", { kind: "scan" }],
    ["scan prod", { kind: "scan", account: "111122223333" }],
    ["scan 111122223333", { kind: "scan", account: "111122223333" }],
    ["rules", { kind: "rules" }],
    ["rules cis-aws-3.0", { kind: "rules", framework: "cis-aws-3.0" }],
  ])("%j", (text, expected) => {
    expect(parseCommand(text, vocabulary)).toEqual(expected);
  });

  it.each([
    ["frobnicate", /unknown sub-command "frobnicate"/],
    ["score nobody", /"nobody" is neither a team \(payments, data\) nor a framework/],
    ["score payments data", /one team or framework/],
    ["findings purple", /"purple" is not a team, a severity/],
    ["scan staging", /unknown account "staging": one of prod \(111122223333\)/],
    ["rules hipaa", /unknown framework "hipaa"/],
  ])("%j answers with usage", (text, problem) => {
    const request = parseCommand(text, vocabulary);
    expect(request.kind).toBe("usage");
    expect(request.kind === "usage" && request.problem).toMatch(problem);
  });
});
