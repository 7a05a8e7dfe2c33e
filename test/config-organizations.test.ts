import { describe, expect, it } from "vitest";
import { configProblemsOf, loadConfigText } from "./config-helpers.js";

const load = loadConfigText;
const problemsOf = configProblemsOf;

describe("config: organizations (account discovery)", () => {
  it("is off by default, with the PostureScanner role and nothing excluded", () => {
    expect(load("").organizations).toEqual({ enabled: false, roleName: "PostureScanner", exclude: [] });
  });

  it("reads every field, a role path included", () => {
    const config = load(`organizations:
  enabled: true
  roleName: security/PostureScanner
  externalId: posture-org
  regions: [eu-west-1, us-east-1]
  exclude: ["999988887777"]
  managementRoleArn: arn:aws:iam::111111111111:role/PostureOrganizationsReader
  managementExternalId: posture-mgmt
  fixerRoleName: security/PostureFixer
  fixerExternalId: posture-fix
`);
    expect(config.organizations).toEqual({
      enabled: true, roleName: "security/PostureScanner", externalId: "posture-org", regions: ["eu-west-1", "us-east-1"], exclude: ["999988887777"],
      managementRoleArn: "arn:aws:iam::111111111111:role/PostureOrganizationsReader", managementExternalId: "posture-mgmt",
      fixerRoleName: "security/PostureFixer", fixerExternalId: "posture-fix",
    });
  });

  it.each([
    ["a role ARN as roleName", "roleName: arn:aws:iam::111122223333:role/PostureScanner", "organizations.roleName: a role name such as PostureScanner or a path and name such as security/PostureScanner (not an ARN)"],
    ["an unquoted account id to exclude", "exclude: [12345]", "organizations.exclude[0]: Invalid input: expected string, received number"],
    ["a short account id to exclude", 'exclude: ["1234"]', "organizations.exclude[0]: a 12-digit AWS account id"],
    ["a management role name instead of an ARN", "managementRoleArn: OrgReader", "organizations.managementRoleArn: an IAM role ARN such as arn:aws:iam::123456789012:role/PostureOrganizationsReader"],
    ["a bad region", "regions: [Ireland]", "organizations.regions[0]: an AWS region such as eu-west-1"],
    ["the scanner role as the fixer role", "fixerRoleName: PostureScanner", "organizations.fixerRoleName: must differ from roleName (received PostureScanner for both)"],
    ["an unknown key", "roles: PostureScanner", 'organizations: Unrecognized key: "roles"'],
  ])("refuses %s and says what to write", (_name, line, expected) => {
    const problems = problemsOf(`organizations:\n  enabled: true\n  ${line}\n`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`posture.config.yml: ${expected}`);
  });
});
