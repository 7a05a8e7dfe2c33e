import { describe, expect, it } from "vitest";
import { coversPattern, matchesPattern, patternsOverlap } from "../../../src/core/policy/index.js";

describe("IAM wildcard matching", () => {
  it.each<[string, string, boolean]>([
    ["s3:Get*", "s3:GetObject", true],
    ["S3:GET*", "s3:getobject", true],
    ["*", "iam:CreateUser", true],
    ["iam:*", "s3:GetObject", false],
    ["s3:?etObject", "s3:GetObject", true],
    ["s3:GetObject", "s3:GetObjectAcl", false],
    ["s3:Get.bject", "s3:GetObject", false],
  ])("%s matches %s: %s", (pattern, action, expected) => {
    expect(matchesPattern(pattern, action)).toBe(expected);
  });

  it.each<[string, string, boolean]>([
    ["s3:*", "s3:Get*", true],
    ["*", "*:*", true],
    ["*:*", "*:*", true],
    ["s3:Get*", "s3:G*", false],
    ["s3:*Object", "s3:*", false],
    ["s3:Get?", "s3:Get*", false],
  ])("%s covers %s: %s", (outer, inner, expected) => {
    expect(coversPattern(outer, inner)).toBe(expected);
  });

  it.each<[string, string, boolean]>([
    ["s3:*Object", "s3:Put*", true],
    ["s3:Get*", "s3:Put*", false],
    ["s3:GetObject", "s3:*Acl", false],
    ["s3:GetObjectAcl", "s3:*Acl", true],
    ["kms:*", "iam:*", false],
  ])("%s overlaps %s: %s", (a, b, expected) => {
    expect(patternsOverlap(a, b)).toBe(expected);
  });
});
