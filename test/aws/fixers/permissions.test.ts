import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OPERATION_PERMISSIONS } from "../../../src/aws/permissions.js";
import { FIXER_IAM_ACTIONS, FIXER_OPERATION_PERMISSIONS, fixerPolicyDocument } from "../../../src/aws/fixers/permissions.js";
import { FIXER_SPECS } from "../../../src/aws/fixers/registry.js";
import { BUCKET_ATTRIBUTE_OPERATIONS } from "../../../src/aws/collection-plan.js";
import { catalogRules } from "./fixer-harness.js";

/** Every `new XCommand(` under src/aws/fixers, as "service:Operation". */
function commandsInFixers(): string[] {
  const dir = new URL("../../../src/aws/fixers/", import.meta.url);
  const found = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    const text = readFileSync(new URL(file, dir), "utf8");
    for (const [, names, client] of text.matchAll(/import \{([^}]*)\} from "@aws-sdk\/client-([a-z0-9-]+)"/g)) {
      const service = client === "s3-control" ? "s3control" : client!;
      for (const raw of names!.split(",")) {
        const [imported, alias] = raw.trim().split(/\s+as\s+/);
        const local = alias ?? imported!;
        if (imported?.endsWith("Command") && text.includes(`new ${local}(`)) found.add(`${service}:${imported.replace(/Command$/, "")}`);
      }
    }
  }
  return [...found].sort();
}

/** Read operations of the fixers: the collector's table plus the direct IAM user reads. */
const READ_PERMISSIONS: Record<string, string> = {
  ...OPERATION_PERMISSIONS,
  "iam:GetUser": "iam:GetUser",
  "iam:GetLoginProfile": "iam:GetLoginProfile",
  "iam:ListAccessKeys": "iam:ListAccessKeys",
  "iam:GetAccessKeyLastUsed": "iam:GetAccessKeyLastUsed",
  "iam:ListMFADevices": "iam:ListMFADevices",
  "iam:ListSigningCertificates": "iam:ListSigningCertificates",
};

describe("fixer permissions", () => {
  const commands = commandsInFixers();
  const writes = commands.filter((c) => /:(Put|Update|Delete)/.test(c));

  it("finds the fixers' write commands in the source (the checks below are not vacuous)", () => {
    expect(writes).toEqual(expect.arrayContaining(["s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "iam:UpdateAccessKey", "s3control:PutPublicAccessBlock"]));
    expect(writes.length).toBe(Object.keys(FIXER_OPERATION_PERMISSIONS).length);
  });

  it.each(writes)("write %s maps to an action a fixer declares", (operation) => {
    const action = FIXER_OPERATION_PERMISSIONS[operation as keyof typeof FIXER_OPERATION_PERMISSIONS];
    expect(action, `add ${operation} to FIXER_OPERATION_PERMISSIONS`).toBeDefined();
    expect(FIXER_IAM_ACTIONS).toContain(action);
  });

  it.each(commands.filter((c) => !writes.includes(c)))("read %s maps to an action in the fixer policy", (operation) => {
    expect(FIXER_IAM_ACTIONS).toContain(READ_PERMISSIONS[operation]);
  });

  it("never grants deleting keys, users, login profiles or data", () => {
    expect(FIXER_IAM_ACTIONS.filter((a) => /DeleteAccessKey|DeleteUser|DeleteLoginProfile|DeleteObject|DeleteBucket$/.test(a))).toEqual([]);
  });

  it.each(FIXER_SPECS.map((spec) => [spec.id, spec] as const))("%s declares the reads its rules' verification makes", (_id, spec) => {
    for (const ruleId of spec.rules) {
      const rule = catalogRules().find((r) => r.id === ruleId);
      expect(rule, `${spec.id} names rule ${ruleId}, which is not in rules/`).toBeDefined();
      expect(rule!.resource).toBe(spec.resourceType);
      if (spec.resourceType !== "aws:s3:bucket") continue;
      for (const attribute of rule!.reads.filter((a) => a !== "tags")) {
        const operation = attribute === "accountPublicAccessBlock" ? "s3control:GetPublicAccessBlock" : `s3:${BUCKET_ATTRIBUTE_OPERATIONS[attribute as keyof typeof BUCKET_ATTRIBUTE_OPERATIONS]}`;
        expect(spec.actions, `${spec.id} verifies ${ruleId}, which reads ${attribute}`).toContain(OPERATION_PERMISSIONS[operation]);
      }
    }
  });

  it("is one Allow statement with the sorted, de-duplicated actions", () => {
    const document = fixerPolicyDocument();
    expect(document.Statement).toHaveLength(1);
    expect(document.Statement[0]!.Action).toEqual([...new Set(FIXER_SPECS.flatMap((s) => s.actions))].sort());
  });
});
