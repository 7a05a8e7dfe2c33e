import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateSnapshot } from "../../bench/generate.js";
import { UserError } from "../../src/cli/errors.js";
import { loadSnapshotFile, writeSnapshotFile } from "../../src/cli/snapshot-file.js";
import type { Snapshot } from "../../src/core/snapshot.js";

const dir = mkdtempSync(join(tmpdir(), "posture-snapshot-"));
const snapshot = generateSnapshot({ size: 40, resourcesPerAccount: 20 });
const empty: Snapshot = { ...snapshot, resources: [] };

async function failure(path: string): Promise<string> {
  const error = await loadSnapshotFile(path).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(UserError);
  return (error as Error).message;
}

describe("snapshot files", () => {
  it.each([["resources", snapshot], ["no resources", empty]])("round-trip with %s, one resource per line, as valid JSON", async (_name, input) => {
    const path = join(dir, `round-trip-${input.resources.length}.json`);
    await writeSnapshotFile(path, input);
    const text = readFileSync(path, "utf8");
    expect(JSON.parse(text)).toEqual(input);
    expect(text.split("\n")).toHaveLength(input.resources.length + 3);
    expect(await loadSnapshotFile(path)).toEqual(input);
  });

  it("reads any other JSON layout as a whole (the pretty-printed demo)", async () => {
    const path = join(dir, "pretty.json");
    writeFileSync(path, JSON.stringify(snapshot, null, 2));
    expect(await loadSnapshotFile(path)).toEqual(snapshot);
  });

  it("names the bad resource by index and ARN, counts the rest", async () => {
    const path = join(dir, "bad-lines.json");
    await writeSnapshotFile(path, snapshot);
    const lines = readFileSync(path, "utf8").split("\n");
    lines[3] = lines[3]!.replace(/"accountId":"\d+"/, "\"accountId\":\"12\"").replace(/"region":"[^"]+"/, "\"region\":\"\"");
    lines[5] = lines[5]!.replace(/"type":"[^"]+"/, "\"type\":\"aws:ec2:instance\"");
    writeFileSync(path, lines.join("\n"));
    const message = await failure(path);
    expect(message).toMatch(/^snapshot .*bad-lines\.json is not a valid Posture snapshot: resources\[2\]\.accountId \(arn:[^)]+\): a 12-digit AWS account id; resources\[2\]\.region/);
    expect(message).toContain("resources[4].type");
  });

  it.each([
    ["truncated", (text: string) => text.split("\n").slice(0, 5).join("\n"), "is truncated"],
    ["a broken line", (text: string) => text.replace("\"arn\"", "arn"), "is not valid JSON (line 2)"],
    ["a bad envelope", (text: string) => text.replace(/"schemaVersion":1/, "\"schemaVersion\":2"), "schemaVersion"],
    ["empty", () => "", "is empty"],
  ])("rejects %s", async (name, mutate, fragment) => {
    const path = join(dir, `${name}.json`);
    await writeSnapshotFile(path, snapshot);
    writeFileSync(path, mutate(readFileSync(path, "utf8")));
    expect(await failure(path)).toContain(fragment);
  });

  it("reports a missing file and an unwritable path as user errors", async () => {
    expect(await failure(join(dir, "missing.json"))).toMatch(/cannot read snapshot .*ENOENT/);
    await expect(writeSnapshotFile(join(dir, "no-such-dir", "x.json"), snapshot)).rejects.toThrow(/cannot write .*ENOENT/);
  });
});
