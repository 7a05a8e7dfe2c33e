import { describe, expect, it } from "vitest";
import { emptyTally } from "../../../src/core/score.js";
import { loadCatalog } from "../../../src/rules-files.js";
import { renderFindingsResponse, type FindingListItem, type FindingsResponseModel } from "../../../src/slack/blocks/findings-response.js";
import { closestSubcommand, renderHelp, renderUsage } from "../../../src/slack/blocks/help.js";
import { renderRulesResponse } from "../../../src/slack/blocks/rules-response.js";
import { renderScoreResponse, type ScoreResponseModel } from "../../../src/slack/blocks/score-response.js";
import { ACTION_IDS, BLOCK_IDS, decodeValue, SUBCOMMANDS } from "../../../src/slack/ids.js";
import { HOSTILE, NOW } from "./fixtures.js";
import { expectValidMessage, visibleText } from "./helpers.js";

const catalog = loadCatalog();

const scoreModel = (overrides: Partial<ScoreResponseModel> = {}): ScoreResponseModel => ({
  scope: "team:payments",
  score: 76.75,
  tally: { ...emptyTally(), critical: { pass: 9, fail: 1 }, high: { pass: 8, fail: 2 }, low: { pass: 5, fail: 5 } },
  delta1d: 0.4,
  delta7d: -2.06,
  series: [{ day: "2026-10-31", score: 79 }, { day: "2026-11-01", score: 76.3 }, { day: "2026-11-02", score: 76.75 }],
  topRules: [{ ruleId: "s3-bucket-public-policy", severity: "critical", fail: 1, impact: 7.2 }, { ruleId: "s3-bucket-versioning", severity: "low", fail: 5, impact: 4.1 }],
  ruleTitles: { "s3-bucket-public-policy": "S3 bucket is not public through its bucket policy" },
  ...overrides,
});

describe("renderScoreResponse", () => {
  it.each([
    ["a team", scoreModel()],
    ["the organisation, no history yet", scoreModel({ scope: "org", delta1d: null, delta7d: null, series: [] })],
    ["a framework with nothing failing", scoreModel({ scope: "framework:pci-dss-4.0", score: 100, tally: { ...emptyTally(), high: { pass: 4, fail: 0 } }, topRules: [] })],
    ["a scope never evaluated", scoreModel({ scope: "team:new-team", score: null, tally: emptyTally(), topRules: [] })],
  ])("%s: valid, matches its snapshot", (_name, model) => {
    const message = renderScoreResponse(model, NOW);
    expectValidMessage(message);
    expect(message).toMatchSnapshot();
  });

  it("shows the worked example's 76.8 %, both deltas and the impact order", () => {
    const text = JSON.stringify(renderScoreResponse(scoreModel(), NOW).blocks);
    expect(text).toContain("*76.8 %*");
    expect(text).toContain("▲ +0.4 (1 d) · ▼ −2.1 (7 d)");
    expect(text.indexOf("+7.2 pts")).toBeLessThan(text.indexOf("+4.1 pts"));
  });
});

const item = (i: number, overrides: Partial<FindingListItem> = {}): FindingListItem => ({
  id: i, ruleId: "s3-bucket-public-policy", severity: "critical", status: "open", team: "payments",
  resource: { name: `bucket-${i}`, accountId: "111122223333", region: "eu-west-1" }, firstSeen: "2026-10-30T07:12:00Z",
  evidence: [{ path: "policyStatus.isPublic", expected: "false", observed: true }], ...overrides,
});
const page = (overrides: Partial<FindingsResponseModel> = {}): FindingsResponseModel => ({
  filter: { team: "payments", severities: ["critical", "high"] },
  findings: [item(1), item(2, { severity: "high", ruleId: "iam-user-mfa-enabled", team: null })],
  next: "0.2",
  rules: { "s3-bucket-public-policy": { title: "S3 bucket is not public through its bucket policy", hasFixer: true } },
  ...overrides,
});

describe("renderFindingsResponse", () => {
  it.each([
    ["a first page", page()],
    ["the last page", page({ next: null, filter: {} })],
    ["no match", page({ findings: [], next: null, filter: { ruleId: "s3-bucket-versioning" } })],
  ])("%s: valid, matches its snapshot", (_name, model) => {
    const message = renderFindingsResponse(model, NOW);
    expectValidMessage(message);
    expect(message).toMatchSnapshot();
  });

  it("Next page carries the same filter and the cursor in a versioned value", () => {
    const pager = renderFindingsResponse(page(), NOW).blocks.find((b) => b.block_id === BLOCK_IDS.findingsPager);
    const next = pager?.type === "actions" ? pager.elements[0] : undefined;
    expect(next?.action_id).toBe(ACTION_IDS.findingsNextPage);
    expect(decodeValue("findingsPage", next && "value" in next ? next.value : "")).toEqual({ ok: true, value: { v: 1, team: "payments", severities: ["critical", "high"], after: "0.2" } });
  });

  it("500 findings with long names: what does not fit is said, and no cursor skips it", () => {
    const findings = Array.from({ length: 500 }, (_, i) => item(i + 1, { resource: { name: "n".repeat(500), accountId: "111122223333", region: "eu-west-1" }, evidence: [{ path: "p", expected: "e", observed: "x".repeat(10_000) }] }));
    const message = renderFindingsResponse(page({ findings }), NOW);
    expectValidMessage(message);
    expect(message.blocks.some((b) => b.block_id === BLOCK_IDS.findingsPager)).toBe(false);
    expect(JSON.stringify(message.blocks)).toMatch(/more findings of this page did not fit/);
  });

  it("escapes hostile names and filters", () => {
    const message = renderFindingsResponse(page({ filter: { team: HOSTILE }, findings: [item(1, { resource: { name: HOSTILE, accountId: "1", region: "r" } })] }), NOW);
    expectValidMessage(message);
    expect(visibleText(message)).not.toMatch(/<!channel>|<@U123ABC>|<https:\/\/evil/);
    expect(visibleText(message)).toContain("team &lt;!channel&gt; &lt;@U123ABC&gt; &amp;");
  });
});

describe("renderRulesResponse", () => {
  const frameworkIds = Object.keys(catalog.frameworks);

  it.each([
    ["the whole catalog", undefined],
    ["PCI DSS 4.0", "pci-dss-4.0"],
    ["CIS 7.0", "cis-aws-7.0"],
  ])("%s of the real rules/ fits one message", (_name, id) => {
    const framework = id ? { id, name: catalog.frameworks[id]!.name, version: catalog.frameworks[id]!.version } : undefined;
    const message = renderRulesResponse({ rules: catalog.rules, frameworkIds, ...(framework ? { framework } : {}) });
    expectValidMessage(message);
    expect(message.text).toMatch(/\d+ rules/);
  });

  it("a framework lists only its rules, with their control ids", () => {
    const message = renderRulesResponse({ rules: catalog.rules, frameworkIds, framework: { id: "pci-dss-4.0", name: "PCI DSS", version: "4.0.1" } });
    const text = JSON.stringify(message.blocks);
    expect(text).toContain("`1.4.4` *S3 bucket is not public through its bucket policy* `s3-bucket-public-policy`");
    const pciRules = catalog.rules.filter((r) => r.compliance["pci-dss-4.0"]).length;
    expect(message.text).toContain(`${pciRules} rules`);
  });

  it("2,000 rules: the ones that do not fit are counted", () => {
    const rules = Array.from({ length: 2000 }, (_, i) => ({ ...catalog.rules[0]!, id: `rule-${i}` }));
    const message = renderRulesResponse({ rules, frameworkIds });
    expectValidMessage(message);
    expect(JSON.stringify(message.blocks)).toMatch(/…and [\d,]+ more rules/);
  });
});

describe("help and usage", () => {
  it("help lists every sub-command and is valid", () => {
    const message = renderHelp();
    expectValidMessage(message);
    for (const sub of Object.values(SUBCOMMANDS)) expect(JSON.stringify(message.blocks)).toContain(`/posture ${sub}`);
    expect(message).toMatchSnapshot();
  });

  it.each([
    ["fidnings", "findings"], ["scroe", "score"], ["find", "findings"], ["mute", "mutes"], ["rule", "rules"], ["xyzzy", undefined], ["", undefined],
  ])("%s suggests %s", (typed, expected) => {
    expect(closestSubcommand(typed)).toBe(expected);
  });

  it.each([
    ["an unknown sub-command", { input: "fidnings payments", error: 'unknown sub-command "fidnings"' }],
    ["a bad argument", { input: "findings payments hgh", error: 'unknown severity "hgh": use critical, high, medium, low or info', subcommand: "findings" as const }],
  ])("usage for %s: valid, matches its snapshot", (_name, problem) => {
    const message = renderUsage(problem);
    expectValidMessage(message);
    expect(message).toMatchSnapshot();
  });

  it("usage escapes what the user typed", () => {
    const message = renderUsage({ input: HOSTILE, error: `unknown sub-command "${HOSTILE}"` });
    expectValidMessage(message);
    expect(JSON.stringify(message)).not.toMatch(/<!channel>|<@U123ABC>|<https:\/\/evil/);
  });
});
