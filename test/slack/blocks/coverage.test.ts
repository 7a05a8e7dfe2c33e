import { describe, expect, it } from "vitest";
import type { AccountCoverageLine, CoverageSummary } from "../../../src/core/digest.js";
import { emptyTally } from "../../../src/core/score.js";
import { renderHomeView } from "../../../src/slack/blocks/home.js";
import { renderScoreResponse, type ScoreResponseModel } from "../../../src/slack/blocks/score-response.js";
import { HOSTILE, NOW } from "./fixtures.js";
import { expectValidHome, expectValidMessage, visibleText } from "./helpers.js";

const failed = (id: string, name: string | null, error: string): AccountCoverageLine => ({ accountId: id, name, status: "failed", error });
const SANDBOX = failed("111122223333", "sandbox", "AccessDenied: User: arn:aws:iam::999988887777:user/posture is not authorized to perform: sts:AssumeRole");
const coverage = (patch: Partial<CoverageSummary> = {}): CoverageSummary => ({
  scanId: "scan-1", finishedAt: "2026-11-02T07:00:00Z", total: 20, complete: 19, incomplete: [SANDBOX], discovery: null, ...patch,
});
const score = (patch: Partial<ScoreResponseModel> = {}): ScoreResponseModel => ({
  scope: "org", score: 76.75, tally: { ...emptyTally(), critical: { pass: 9, fail: 1 } }, delta1d: null, delta7d: null, series: [],
  topRules: [], ruleTitles: {}, ...patch,
});
const textOf = (blocks: unknown) => visibleText(blocks as never);

describe("coverage in /posture score", () => {
  it("names the incomplete account with its error under the score", () => {
    const message = renderScoreResponse(score({ coverage: coverage() }), NOW);
    expectValidMessage(message);
    const text = textOf(message.blocks);
    expect(text).toContain("*Coverage*: 19 of 20 accounts complete");
    expect(text).toContain("111122223333 (sandbox): failed: AccessDenied: User: arn:aws:iam::999988887777:user/posture is not authorized to perform: sts:AssumeRole");
  });

  it("lists three accounts, then how many more, failed ones first", () => {
    const incomplete = [
      failed("200000000001", "a", "AccessDenied: x"), failed("200000000002", "b", "AccessDenied: x"), failed("200000000003", null, "ExpiredToken: y"),
      { accountId: "200000000004", name: "d", status: "partial" as const, error: "Throttling: Rate exceeded" },
      failed("200000000005", "e", "AccessDenied: x"),
    ];
    const text = textOf(renderScoreResponse(score({ coverage: coverage({ total: 8, complete: 3, incomplete }) }), NOW).blocks);
    expect(text).toContain("3 of 8 accounts complete");
    expect(text).toContain("200000000003: failed: ExpiredToken: y");
    expect(text).not.toContain("200000000004");
    expect(text).toContain("…and 2 more");
  });

  it("says when discovery failed, even before any score", () => {
    const message = renderScoreResponse(score({ score: null, tally: emptyTally(), coverage: coverage({ total: 1, complete: 1, incomplete: [], discovery: "POSTURE_ORGANIZATIONS_DENIED: AWS Organizations refused ListAccounts" }) }), NOW);
    expectValidMessage(message);
    const text = textOf(message.blocks);
    expect(text).toContain("1 of 1 account complete");
    expect(text).toContain("AWS Organizations discovery failed (accounts not listed were not scanned): POSTURE_ORGANIZATIONS_DENIED: AWS Organizations refused ListAccounts");
  });

  it("says every account is complete, and shows nothing without coverage", () => {
    expect(textOf(renderScoreResponse(score({ coverage: coverage({ complete: 20, incomplete: [] }) }), NOW).blocks)).toContain("all 20 accounts were collected completely");
    expect(textOf(renderScoreResponse(score({ coverage: null }), NOW).blocks)).not.toContain("Coverage");
  });

  it("escapes account names and errors from AWS", () => {
    const message = renderScoreResponse(score({ coverage: coverage({ incomplete: [failed("111122223333", HOSTILE, HOSTILE)] }) }), NOW);
    expectValidMessage(message);
    expect(JSON.stringify(message.blocks)).not.toContain("<!channel>");
  });
});

describe("coverage on the App Home", () => {
  it("shows the coverage line under the last scan", () => {
    const view = renderHomeView({
      viewerTeam: null, lastScan: { at: "2026-11-02T07:00:00Z", accounts: 20 }, teams: [], topRules: [], frameworks: [],
      org: { score: 80, tally: emptyTally(), delta1d: null, delta7d: null, series: [] }, coverage: coverage(),
    }, NOW);
    expectValidHome(view);
    expect(textOf(view.blocks)).toContain("111122223333 (sandbox): failed");
  });
});
