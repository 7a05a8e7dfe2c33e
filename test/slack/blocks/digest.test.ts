import { describe, expect, it } from "vitest";
import { buildDigest, buildOrgDigest, DEFAULT_SLA_DAYS, emptyActivity, type DigestInput, type DigestSettings, type FindingBrief, type ScopeActivity } from "../../../src/core/digest.js";
import { renderDigestMessage } from "../../../src/slack/blocks/digest.js";
import { expectValidMessage, visibleText } from "./helpers.js";

const NOW = new Date("2026-11-02T08:00:00.000Z");
const HOSTILE = "<!channel> & <https://evil.example|click>";
const settings: DigestSettings = { timeZone: "Europe/Paris", slaDays: DEFAULT_SLA_DAYS, allClear: "post", topRules: 3 };

const brief = (id: number, severity: FindingBrief["severity"], name = `bucket-${id}`, firstSeen = "2026-10-01T08:00:00.000Z"): FindingBrief =>
  ({ id, ruleId: `rule-${severity}`, severity, resourceName: name, accountId: "111122223333", firstSeen });

function busy(examples = 2): ScopeActivity {
  const a = emptyActivity();
  a.transitions.new.critical = 1;
  a.transitions.new.medium = examples;
  a.transitions.reopened.high = 1;
  a.transitions.resolved.low = 4;
  a.open.critical = 2;
  a.open.high = 7;
  a.overdue.critical = 1;
  a.overdue.medium = 3;
  a.examples.new.push(brief(1, "critical"), ...Array.from({ length: examples }, (_, i) => brief(10 + i, "medium")));
  a.examples.reopened.push(brief(2, "high"));
  a.oldestOverdue.push(brief(1, "critical", "bucket-1", "2026-10-20T08:00:00.000Z"), brief(3, "medium", "old-logs", "2026-07-01T08:00:00.000Z"));
  return a;
}

const input = (activity: ScopeActivity, extra: Partial<DigestInput> = {}): DigestInput => ({
  scope: "team:payments", label: "payments", score: { score: 76.75, delta1d: -1.24, delta7d: 2.5 }, activity,
  topRules: [{ ruleId: "s3-bucket-public-policy", severity: "critical", fail: 2, impact: 4.213 }, { ruleId: "iam-user-mfa", severity: "high", fail: 12, impact: 2.05 }],
  ruleTitles: { "s3-bucket-public-policy": "S3 bucket is not public through its bucket policy" }, ...extra,
});

function mrkdwnTexts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(mrkdwnTexts);
  if (value === null || typeof value !== "object") return [];
  const o = value as Record<string, unknown>;
  return o.type === "mrkdwn" && typeof o.text === "string" ? [o.text] : Object.values(o).flatMap(mrkdwnTexts);
}

const mutes = [{ ruleId: "s3-bucket-logging", resourceName: "tmp-scratch", expiresAt: "2026-11-05T14:30:00.000Z" }];
const chart = { filename: "posture-payments-2026-11-02.png", title: "payments: posture score, last 30 days" };

describe("renderDigestMessage", () => {
  it.each([
    ["a team's report with its chart", buildDigest(input(busy()), settings, NOW)!, chart],
    ["a team's report with expiring mutes, no chart", buildDigest(input(busy(), { mutes }), settings, NOW)!, null],
    ["mutes known, none expiring", buildDigest(input(busy(), { mutes: [] }), settings, NOW)!, null],
    ["all clear", buildDigest(input(emptyActivity(), { topRules: [] }), settings, NOW)!, null],
    ["a first scan: no score change yet", buildDigest(input(busy(), { score: { score: 50, delta1d: null, delta7d: null } }), settings, NOW)!, chart],
  ])("%s", (_name, digest, chartRef) => {
    const message = renderDigestMessage(digest, chartRef);
    expectValidMessage(message);
    expect(message).toMatchSnapshot();
  });

  it("the org digest lists teams, needing attention first, and the accounts not fully collected", () => {
    const teams = [
      { input: input(emptyActivity(), { scope: "team:quiet", label: "quiet" }) },
      { input: input(busy(), { scope: "team:payments", label: "payments" }) },
    ];
    const coverage = [
      { accountId: "111122223333", name: "prod", status: "ok" as const, error: null },
      { accountId: "444455556666", name: "legacy", status: "failed" as const, error: "AccessDenied: not authorized to perform sts:AssumeRole" },
    ];
    const digest = buildOrgDigest(input(busy(), { scope: "org", label: "Organisation", coverage }), teams, settings, NOW);
    const message = renderDigestMessage(digest, chart);
    expectValidMessage(message);
    const text = visibleText(message.blocks);
    expect(text.indexOf("*payments*")).toBeLessThan(text.indexOf("*quiet*"));
    expect(text).toContain("1 of 2 accounts collected completely");
    expect(text).toContain("444455556666 (legacy): failed: AccessDenied");
    expect(message).toMatchSnapshot();
  });

  it("escapes names from AWS and configuration: no channel ping, no injected link", () => {
    const activity = busy();
    activity.examples.new.push(brief(99, "low", HOSTILE));
    const digest = buildDigest(input(activity, { label: HOSTILE, ruleTitles: { "s3-bucket-public-policy": HOSTILE } }), settings, NOW)!;
    const message = renderDigestMessage(digest, null);
    expectValidMessage(message);
    // Slack parses mentions and links in mrkdwn (and the fallback text) only; a plain_text header shows them literally.
    const text = `${message.text}\n${mrkdwnTexts(message.blocks).join("\n")}`;
    expect(text).not.toContain("<!channel>");
    expect(text).not.toContain("<https://evil");
    expect(text).toContain("&lt;!channel&gt; &amp;");
  });

  it("stays within Slack's limits with 500 teams and long lists, saying how many were left out", () => {
    const teams = Array.from({ length: 500 }, (_, i) => ({ input: input(busy(), { scope: `team:t${i}` as const, label: `team-${i}-${"x".repeat(50)}` }) }));
    const big = busy(400);
    const digest = buildOrgDigest(input(big, { scope: "org", label: "Organisation", coverage: Array.from({ length: 300 }, (_, i) => ({ accountId: String(100000000000 + i), name: null, status: "failed" as const, error: "AccessDenied: ".padEnd(300, "x") })) }), teams, settings, NOW);
    const message = renderDigestMessage(digest, chart);
    expectValidMessage(message);
    expect(visibleText(message.blocks)).toContain("…and 485 more teams");
    expect(visibleText(message.blocks)).toMatch(/…and \d+ more/);
  });

  it.each([
    ["post", 1],
    ["skip", 0],
  ] as const)("a quiet team with allClear %s gets %i message(s) of one line", (allClear, count) => {
    const digest = buildDigest(input(emptyActivity()), { ...settings, allClear }, NOW);
    const messages = digest ? [renderDigestMessage(digest)] : [];
    expect(messages).toHaveLength(count);
    if (count === 1) expect(messages[0]!.blocks).toHaveLength(1);
  });
});
