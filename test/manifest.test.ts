import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { expect, it } from "vitest";
import { validateManifest } from "./helpers/slack-schemas.js";

it("manifest.yml is a valid Slack app manifest", () => {
  const manifest = parse(readFileSync(new URL("../manifest.yml", import.meta.url), "utf8"));
  const valid = validateManifest(manifest);
  expect(validateManifest.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
});
