import { describe, expect, it } from "vitest";
import { fixerPolicyDocument } from "../../src/aws/fixers/permissions.js";
import { scannerPolicyDocument } from "../../src/aws/permissions.js";
import { runCli } from "../../src/cli/run.js";

async function posture(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { out: (t) => void (stdout += t), err: (t) => void (stderr += t), color: false, env: {}, cwd: process.cwd(), clock: () => new Date() });
  return { code, stdout, stderr };
}

describe("posture iam-policy", () => {
  it("prints the scanner and fixer policies the code declares, as JSON", async () => {
    const scanner = await posture(["iam-policy", "scanner"]);
    expect(scanner.code).toBe(0);
    expect(JSON.parse(scanner.stdout)).toEqual(scannerPolicyDocument());
    const fixer = await posture(["iam-policy", "fixer"]);
    expect(fixer.code).toBe(0);
    expect(JSON.parse(fixer.stdout)).toEqual(fixerPolicyDocument());
    // The scanner's document never grants a write; the fixer's is a different, narrower set.
    const actions = (doc: { Statement: { Action: string[] }[] }) => doc.Statement.flatMap((s) => s.Action);
    expect(actions(scannerPolicyDocument()).every((a) => /^[a-z0-9-]+:(Get|List|Generate)/.test(a))).toBe(true);
    expect(actions(fixerPolicyDocument()).some((a) => /:Put/.test(a))).toBe(true);
  });

  it("prints a trust policy for the given principal, requiring the external id", async () => {
    const run = await posture(["iam-policy", "trust", "--principal", "arn:aws:iam::111111111111:role/posture", "--external-id", "posture-scan"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:role/posture" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "posture-scan" } } }],
    });
  });

  it.each([
    [["iam-policy", "admin"], 'unknown document "admin" (expected one of scanner, fixer, trust)'],
    [["iam-policy", "trust", "--external-id", "posture-scan"], "--principal must be the ARN of the identity Posture runs as"],
    [["iam-policy", "trust", "--principal", "arn:aws:iam::111111111111:role/posture"], "--external-id must be"],
    [["iam-policy", "trust", "--principal", "posture", "--external-id", "x1"], 'received "posture"'],
  ])("refuses %j with one line that says what to give", async (args, message) => {
    const run = await posture(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain(message);
  });
});
