import { describe, expect, it } from "vitest";
import { fixerRoleOf, scannerRoleOf } from "../../src/aws/account-roles.js";
import { mergeAccounts } from "../../src/aws/organizations.js";
import { testConfig } from "./nock-aws.js";

const EXPLICIT = "111122223333";
const DISCOVERED = "444455556666";

describe("roles in explicit and discovered accounts", () => {
  const config = testConfig({
    accounts: [{ id: EXPLICIT, roleArn: `arn:aws:iam::${EXPLICIT}:role/Scanner`, fixerRoleArn: `arn:aws:iam::${EXPLICIT}:role/Fixer`, fixerExternalId: "fx" }, { id: "777788889999" }],
    organizations: { enabled: true, roleName: "security/PostureScanner", fixerRoleName: "security/PostureFixer", fixerExternalId: "org-fx" },
  });

  it("fixes in a discovered account assume fixerRoleName there; an explicit account keeps its own fixer role, or none", () => {
    expect(fixerRoleOf(config, DISCOVERED)).toEqual({ roleArn: `arn:aws:iam::${DISCOVERED}:role/security/PostureFixer`, externalId: "org-fx" });
    expect(fixerRoleOf(config, EXPLICIT)).toEqual({ roleArn: `arn:aws:iam::${EXPLICIT}:role/Fixer`, externalId: "fx" });
    expect(fixerRoleOf(config, "777788889999")).toBeUndefined();
  });

  it("the scanner role is known in both kinds of account (the fixer clients refuse to write with it)", () => {
    expect(scannerRoleOf(config, DISCOVERED)).toBe(`arn:aws:iam::${DISCOVERED}:role/security/PostureScanner`);
    expect(scannerRoleOf(config, EXPLICIT)).toBe(`arn:aws:iam::${EXPLICIT}:role/Scanner`);
  });

  it("no fixes in discovered accounts without fixerRoleName, nor with discovery off; GovCloud gets its partition", () => {
    expect(fixerRoleOf(testConfig({ organizations: { enabled: true } }), DISCOVERED)).toBeUndefined();
    expect(fixerRoleOf(testConfig({ organizations: { enabled: false, fixerRoleName: "PostureFixer" } }), DISCOVERED)).toBeUndefined();
    const gov = { ...testConfig({ organizations: { enabled: true, fixerRoleName: "PostureFixer" } }), homeRegion: "us-gov-west-1" };
    expect(fixerRoleOf(gov, DISCOVERED)?.roleArn).toBe(`arn:aws-us-gov:iam::${DISCOVERED}:role/PostureFixer`);
  });

  it("an explicit entry wins over the discovered account with its id", () => {
    const merged = mergeAccounts([{ id: EXPLICIT, name: "prod", regions: ["eu-west-1"] }], [
      { id: DISCOVERED, name: "data", roleArn: `arn:aws:iam::${DISCOVERED}:role/PostureScanner` },
      { id: EXPLICIT, name: "prod-in-org", roleArn: `arn:aws:iam::${EXPLICIT}:role/PostureScanner` },
    ]);
    expect(merged).toEqual([{ id: EXPLICIT, name: "prod", regions: ["eu-west-1"] }, { id: DISCOVERED, name: "data", roleArn: `arn:aws:iam::${DISCOVERED}:role/PostureScanner` }]);
  });
});
