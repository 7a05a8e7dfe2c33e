import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";
import { checkConfigAgainstCatalog, loadCatalog } from "../src/rules-files.js";

const load = (text: string) => loadConfig({}, { path: "posture.config.yml", text });
const problemsOf = (text: string): string[] => {
  try {
    load(text);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
};

describe("notifications.severities", () => {
  it("defaults to critical and high, and keeps a configured list without duplicates", () => {
    expect(load("").notifications.severities).toEqual(["critical", "high"]);
    expect(load("notifications:\n  severities: [medium, critical, medium]\n").notifications.severities).toEqual(["medium", "critical"]);
  });

  it("needs at least one known severity, and says what it received", () => {
    expect(problemsOf("notifications:\n  severities: []\n")).toEqual(["posture.config.yml: notifications.severities: list at least one severity to notify (to post nothing, leave Slack unconfigured)"]);
    expect(problemsOf("notifications:\n  severities: [hgh]\n")).toEqual(["posture.config.yml: notifications.severities[0]: expected one of critical, high, medium, low, info; received \"hgh\""]);
  });
});

describe("severityOverrides", () => {
  it("parses rules, a tag with one value or several, accounts and the reason", () => {
    const config = load([
      "severityOverrides:",
      "  - { severity: low, rules: [s3-bucket-public-read], tags: { public: intended }, reason: public website }",
      "  - { severity: critical, accounts: [\"111122223333\"], tags: { env: [prod, production] }, reason: production }",
    ].join("\n"));
    expect(config.severityOverrides).toEqual([
      { severity: "low", rules: ["s3-bucket-public-read"], tags: { public: "intended" }, reason: "public website" },
      { severity: "critical", accounts: ["111122223333"], tags: { env: ["prod", "production"] }, reason: "production" },
    ]);
    expect(load("").severityOverrides).toEqual([]);
  });

  it("names each field to fix: the reason, the severity, an account id, an entry that matches everything", () => {
    expect(problemsOf([
      "severityOverrides:",
      "  - { severity: urgent, rules: [s3-bucket-public-read], reason: why }",
      "  - { severity: low, accounts: [\"1234\"], reason: test account }",
      "  - { severity: low, rules: [s3-bucket-public-read] }",
      "  - { severity: low, reason: everything is low }",
    ].join("\n"))).toEqual([
      "posture.config.yml: severityOverrides[0].severity: expected one of critical, high, medium, low, info; received \"urgent\"",
      "posture.config.yml: severityOverrides[1].accounts[0]: a 12-digit AWS account id, quoted in YAML (\"012345678901\")",
      "posture.config.yml: severityOverrides[2].reason: required: say why (shown next to the severity in Slack and the CLI)",
      "posture.config.yml: severityOverrides[3]: give at least one of rules, tags or accounts (an override matching every finding is a new default severity for all rules)",
    ]);
  });

  it("unknown rule ids and globs matching no rule are a start-up error against the bundled catalog", () => {
    const catalog = loadCatalog();
    const config = load("severityOverrides:\n  - { severity: low, rules: [s3-bucket-publc-read, \"ec2-*\"], reason: typo }\n");
    expect(() => checkConfigAgainstCatalog(config, catalog)).toThrow(ConfigError);
    try {
      checkConfigAgainstCatalog(config, catalog);
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        "posture.config.yml: severityOverrides[0].rules[0]: unknown rule id \"s3-bucket-publc-read\" (see `posture rules` for the ids)",
        "posture.config.yml: severityOverrides[0].rules[1]: the glob \"ec2-*\" matches no rule of the catalog (see `posture rules`)",
      ]);
    }
    const known = catalog.rules[0]!.id;
    expect(() => checkConfigAgainstCatalog(load(`severityOverrides:\n  - { severity: low, rules: [${known}, "s3-*"], reason: fine }\n`), catalog)).not.toThrow();
  });
});

describe("posture.config.example.yml", () => {
  it("its commented severityOverrides example is valid once uncommented, against the bundled catalog", async () => {
    const { readFileSync } = await import("node:fs");
    const text = readFileSync(new URL("../posture.config.example.yml", import.meta.url), "utf8");
    const block = text.slice(text.indexOf("# severityOverrides:")).split("\n").filter((line) => line.startsWith("# ")).map((line) => line.slice(2)).join("\n");
    const config = load(block);
    expect(config.severityOverrides.map((o) => o.severity)).toEqual(["low", "critical"]);
    expect(() => checkConfigAgainstCatalog(config, loadCatalog())).not.toThrow();
    expect(load(text).notifications.severities).toEqual(["critical", "high"]);
  });
});
