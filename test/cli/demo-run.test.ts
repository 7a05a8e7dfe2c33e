import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "posture-demo-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("npm run demo scans the bundled account, records it and prints what each team channel would get, then the daily digests", () => {
  const run = () => execFileSync("npx", ["tsx", "demo/run-demo.ts"], {
    cwd: new URL("../..", import.meta.url).pathname, encoding: "utf8", env: { ...process.env, POSTURE_DEMO_DB: join(dir, "demo.db"), NO_COLOR: "1" },
  });
  const output = run();
  expect(output).toContain("Posture score");
  for (const channel of ["#team-payments", "#team-data", "#team-platform", "#team-web", "#security"]) {
    expect(output).toContain(`would post to ${channel}`);
  }
  expect(output).toMatch(/\d+ message\(s\) for \d+ finding\(s\)/);
  // Then the daily digest job: one digest per team channel and the org digest, each with its chart.
  for (const [channel, title] of [["#team-payments", "Payments"], ["#team-web", "Web"], ["#security", "Organisation"]]) {
    expect(output).toContain(`would post the digest to ${channel}`);
    expect(output).toContain(`# Daily posture digest: ${title}`);
  }
  expect(output.match(/── chart: posture-score-[a-z-]+-2026-11-02\.png, \d+ bytes ──/g)).toHaveLength(5);
  // A second run starts from a fresh demo database and shows the whole pipeline again.
  expect(run()).toContain("would post to #team-payments");
}, 120_000);
