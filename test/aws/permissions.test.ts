import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BUCKET_ATTRIBUTE_OPERATIONS } from "../../src/aws/collection-plan.js";
import { OPERATION_PERMISSIONS, SCANNER_IAM_ACTIONS, scannerPolicyDocument } from "../../src/aws/permissions.js";

/** Every `new XCommand(` in src/aws, as "service:Operation" (the keys of AccountCoverage.apiCalls). */
function operationsInSource(): string[] {
  const dir = new URL("../../src/aws/", import.meta.url);
  const found = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    const text = readFileSync(new URL(file, dir), "utf8");
    const imports = [...text.matchAll(/import \{([^}]*)\} from "@aws-sdk\/client-([a-z0-9-]+)"/g)];
    for (const [, names, client] of imports) {
      const service = client === "s3-control" ? "s3control" : client!;
      for (const raw of names!.split(",")) {
        const [imported, alias] = raw.trim().split(/\s+as\s+/);
        const local = alias ?? imported!;
        if (!imported?.endsWith("Command") || !text.includes(`new ${local}(`)) continue;
        found.add(`${service}:${imported.replace(/Command$/, "")}`);
      }
    }
  }
  return [...found].sort();
}

describe("scanner permissions", () => {
  const operations = operationsInSource();

  it("finds the collectors' operations in the source (the scan below is not vacuous)", () => {
    expect(operations).toEqual(expect.arrayContaining(["sts:GetCallerIdentity", "iam:GetAccountAuthorizationDetails", "s3:ListBuckets", "s3control:GetPublicAccessBlock"]));
    expect(operations.length).toBeGreaterThanOrEqual(19);
  });

  it.each(operationsInSource())("%s maps to an IAM action in the scanner policy", (operation) => {
    const action = OPERATION_PERMISSIONS[operation];
    expect(action, `add ${operation} to OPERATION_PERMISSIONS in src/aws/permissions.ts`).toBeDefined();
    expect(SCANNER_IAM_ACTIONS).toContain(action);
  });

  it.each(Object.values(BUCKET_ATTRIBUTE_OPERATIONS))("bucket operation %s has a permission", (operation) => {
    expect(OPERATION_PERMISSIONS[`s3:${operation}`]).toMatch(/^s3:/);
  });

  it.each([
    ["s3:GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"],
    ["s3:GetBucketEncryption", "s3:GetEncryptionConfiguration"],
    ["s3:GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration"],
    ["s3:ListBuckets", "s3:ListAllMyBuckets"],
    ["s3control:GetPublicAccessBlock", "s3:GetAccountPublicAccessBlock"],
  ])("uses the IAM action name, not the operation name: %s needs %s", (operation, action) => {
    expect(OPERATION_PERMISSIONS[operation]).toBe(action);
  });

  it("is read-only", () => {
    expect(SCANNER_IAM_ACTIONS.every((a) => /^(iam|s3|sts|organizations):(Get|List|Generate)/.test(a))).toBe(true);
    expect(scannerPolicyDocument().Statement[0]!.Action).toEqual(SCANNER_IAM_ACTIONS);
  });
});
