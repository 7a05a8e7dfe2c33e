import { describe, expect, it } from "vitest";
import { formatDelta, renderSparkline } from "../../../src/slack/blocks/format.js";
import { packLines } from "../../../src/slack/blocks/kit.js";
import { code, codeBlock, escapeMrkdwn, link, md, raw, truncate, truncateMrkdwn, userMention } from "../../../src/slack/blocks/text.js";
import { NOW } from "./fixtures.js";

describe("mrkdwn text", () => {
  it.each([
    ["a broadcast", "<!channel>", "&lt;!channel&gt;"],
    ["a user mention", "<@U123>", "&lt;@U123&gt;"],
    ["an ampersand", "a & b", "a &amp; b"],
    ["an existing entity", "&amp;", "&amp;amp;"],
    ["plain text", "payments-exports", "payments-exports"],
  ])("escapes %s", (_name, input, expected) => {
    expect(escapeMrkdwn(input)).toBe(expected);
    expect(md`${input}`).toBe(expected);
  });

  it("md keeps raw() parts and escapes the rest", () => {
    expect(md`${raw("*bold*")} ${"<b>"}`).toBe("*bold* &lt;b&gt;");
  });

  it.each([
    ["an entity", `${"a".repeat(95)}&amp;&amp;&amp;`, 100],
    ["a date token", `${"a".repeat(90)}<!date^1^{date}|2026-01-01>`, 100],
    ["an open code block", `\`\`\`${"a".repeat(200)}`, 100],
  ])("truncateMrkdwn never splits %s and stays within the limit", (_name, text, max) => {
    const cut = truncateMrkdwn(text, max);
    expect(cut.length).toBeLessThanOrEqual(max);
    expect(cut).not.toMatch(/&[a-z]*…/);
    expect(cut).not.toMatch(/<[^>]*…/);
    expect((cut.match(/```/g) ?? []).length % 2).toBe(0);
  });

  it("truncate never splits a surrogate pair", () => {
    expect(truncate(`${"a".repeat(8)}😀😀`, 10)).toBe(`${"a".repeat(8)}…`);
  });

  it.each([
    ["code", code("a`b<c>").text, "`aˋb&lt;c&gt;`"],
    ["codeBlock", codeBlock("x```y").text, "```xˋˋˋy```"],
    ["an https link", link("https://a.example/?x=1&y=2", "docs|here").text, "<https://a.example/?x=1&amp;y=2|docs¦here>"],
    ["a javascript: link", link("javascript:alert(1)", "click").text, "click"],
    ["a user id", userMention("U0ABC123").text, "<@U0ABC123>"],
    ["a forged mention", userMention("<!channel>").text, "&lt;!channel&gt;"],
  ])("%s is safe", (_name, actual, expected) => {
    expect(actual).toBe(expected);
  });
});

describe("trend formatting", () => {
  it.each([
    [1.24, "▲ +1.2"], [-0.51, "▼ −0.5"], [0.04, "= 0.0"], [null, "n/a"],
  ])("delta %s reads %s", (delta, expected) => {
    expect(formatDelta(delta)).toBe(expected);
  });

  it("a sparkline has one cell per day, gaps as ·, and small changes stay small", () => {
    const day = (offset: number) => new Date(NOW.getTime() - offset * 86_400_000).toISOString().slice(0, 10);
    expect(renderSparkline([{ day: day(2), score: 80 }, { day: day(0), score: 80.5 }], NOW, 4)).toBe("·▇·█");
    expect(renderSparkline([{ day: day(1), score: 50 }, { day: day(0), score: 90 }], NOW, 2)).toBe("▁█");
    expect(renderSparkline([], NOW)).toBe("");
  });
});

describe("packLines", () => {
  it("packs lines into sections of at most 3,000 characters and counts what did not fit", () => {
    const lines = Array.from({ length: 100 }, (_, i) => `${i}`.padEnd(100, "x"));
    const { blocks, omitted } = packLines(lines, 2);
    expect(blocks).toHaveLength(2);
    for (const block of blocks) expect(block.text!.text.length).toBeLessThanOrEqual(3000);
    expect(omitted).toBe(100 - blocks.reduce((n, b) => n + b.text!.text.split("\n").length, 0));
  });
});
