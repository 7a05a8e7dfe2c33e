import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// DESIGN section 6: imports point inwards (adapters -> app -> core); core has no I/O, clock or env.
const eslint = new ESLint({ cwd: new URL("..", import.meta.url).pathname });
async function ruleIdsFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? "parse-error");
}

describe("import boundaries", () => {
  it.each([
    ["core importing the file system", "src/core/x.ts", 'import { readFileSync } from "node:fs";\nexport const f = readFileSync;\n', "no-restricted-imports"],
    ["core importing an adapter", "src/core/x.ts", 'import { createAwsCollector } from "../aws/collector.js";\nexport const f = createAwsCollector;\n', "no-restricted-imports"],
    ["core importing the config", "src/core/x.ts", 'import { loadConfig } from "../config.js";\nexport const f = loadConfig;\n', "no-restricted-imports"],
    ["core reading the clock", "src/core/x.ts", "export const t = Date.now();\n", "no-restricted-syntax"],
    ["core reading the environment", "src/core/x.ts", "export const e = process.env.X;\n", "no-restricted-globals"],
    ["app importing the AWS SDK", "src/app/x.ts", 'import { S3Client } from "@aws-sdk/client-s3";\nexport const c = S3Client;\n', "no-restricted-imports"],
    ["app importing the database adapter", "src/app/x.ts", 'import * as db from "../db/open.js";\nexport const d = db;\n', "no-restricted-imports"],
    ["a Block Kit builder reading a file", "src/slack/blocks/x.ts", 'import { readFileSync } from "node:fs";\nexport const f = readFileSync;\n', "no-restricted-imports"],
    ["a Block Kit builder querying the database", "src/slack/blocks/x.ts", 'import * as db from "../../db/finding-queries.js";\nexport const d = db;\n', "no-restricted-imports"],
    ["a Block Kit builder reading the clock", "src/slack/blocks/x.ts", "export const t = new Date();\n", "no-restricted-syntax"],
    ["the AWS adapter importing the Slack adapter", "src/aws/x.ts", 'import * as s from "../slack/app.js";\nexport const d = s;\n', "no-restricted-imports"],
  ])("rejects %s", async (_name, filePath, code, ruleId) => {
    expect(await ruleIdsFor(filePath, code)).toContain(ruleId);
  });

  it("accepts core importing core and an adapter importing core", async () => {
    expect(await ruleIdsFor("src/core/x.ts", 'import { scoreOf } from "./score.js";\nexport const f = scoreOf;\n')).toEqual([]);
    expect(await ruleIdsFor("src/aws/x.ts", 'import { unknown } from "../core/unknown.js";\nexport const f = unknown;\n')).toEqual([]);
  });
});
