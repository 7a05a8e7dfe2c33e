import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { afterEach, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/context.js";
import { registerAuditCommand } from "../../src/cli/state/audit-command.js";
import { registerFindingsCommand } from "../../src/cli/state/findings-command.js";
import { registerMigrateCommand } from "../../src/cli/state/migrate-command.js";
import { describePersisted, runScanWithState } from "../../src/cli/state/persist-scan.js";
import { registerScoreCommand } from "../../src/cli/state/score-command.js";
import { loadConfig } from "../../src/config.js";
import { loadMigrations } from "../../src/db/migrate.js";
import { openDatabase } from "../../src/db/open.js";
import { bucket, catalog, snapshotOf, tempDb } from "./fixtures.js";

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((fn) => fn()));

const CONFIG = `securityChannel: "#security"
teams:
  - { handle: payments, channel: "#payments", match: { names: ["pay-*"] } }
`;

function harness() {
  const { dir, cleanup, db } = tempDb();
  db.close();
  cleanups.push(cleanup);
  writeFileSync(join(dir, "posture.config.yml"), CONFIG);
  let out = "";
  let err = "";
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), color: false, env: { POSTURE_DB_PATH: "state/posture.db" }, cwd: dir, clock: () => new Date("2026-11-02T09:00:00.000Z") };
  const run = async (...argv: string[]) => {
    out = "";
    err = "";
    let exitCode = 0;
    const program = new Command("posture").option("-c, --config <file>").exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
    const deps = { io, globals: () => program.opts(), setExitCode: (code: number) => (exitCode = code) };
    [registerMigrateCommand, registerScoreCommand, registerFindingsCommand, registerAuditCommand].forEach((register) => register(program, deps));
    await program.parseAsync(argv, { from: "user" });
    return { out, err, exitCode };
  };
  const config = loadConfig(io.env, { path: "posture.config.yml", text: CONFIG });
  return { dir, io, run, config };
}

describe("state commands", () => {
  it("migrate creates the database, then reports it up to date", async () => {
    const { run } = harness();
    const migrations = loadMigrations();
    const names = migrations.map((m) => `${String(m.version).padStart(4, "0")}-${m.name}`).join(", ");
    const version = migrations.at(-1)!.version;
    expect((await run("migrate")).out).toBe(`database state/posture.db: applied ${names}; now at schema version ${version}\n`);
    expect((await run("migrate")).out).toBe(`database state/posture.db is up to date (schema version ${version})\n`);
  });

  it("scan persists through the lock, then score, findings and audit export read it back", async () => {
    const { run, io, config, dir } = harness();
    const snapshot = snapshotOf([bucket("pay-1", { versioning: false, logging: false }), bucket("misc, \"quoted\"", { encryption: false })]);
    const outcome = await runScanWithState({ rules: catalog.rules, source: { kind: "snapshot", snapshot }, now: io.clock() }, config, io);
    expect(describePersisted(outcome, config.dbPath)).toMatch(/^posture: saved scan 20261102T090000Z-[0-9a-f]{8} to state\/posture.db: 3 new, 0 reopened, 0 resolved, 0 resolved as deleted; 2 to post\n$/);
    const lock = openDatabase(join(dir, "state/posture.db")).db;
    expect(lock.prepare("SELECT COUNT(*) AS n FROM scan_lock").get()).toEqual({ n: 0 });
    lock.close();

    const score = await run("score", "--team", "payments");
    expect(score.out).toContain("Posture score (team:payments): ");
    expect(score.out).toContain("versioning (critical, 1 failing)");
    await expect(run("score", "--team", "nobody")).rejects.toThrow('--team: no team "nobody" in the configuration (teams: payments, or "unowned")');

    const page = await run("findings", "--severity", "high", "--limit", "1");
    expect(page.out).toMatch(/critical {2}versioning {2}pay-1 \(111122223333\) {2}payments, since 2026-11-02/);
    const next = /--after (\S+)/.exec(page.err)![1]!;
    expect((await run("findings", "--severity", "high", "--after", next)).out).toMatch(/high {6}logging {2}pay-1/);

    const csv = (await run("audit", "export", "--since", "2026-11-01", "--action", "finding.new")).out.split("\r\n");
    expect(csv[0]).toBe("id,at,actor,actor_name,action,subject_type,subject_id,finding_id,scan_id,team,reason,permalink,details");
    expect(csv).toHaveLength(5);
    expect(csv.find((line) => line.includes("encryption"))).toContain('"{""ruleId"":""encryption"",""resourceArn"":""arn:aws:s3:::misc, \\""quoted\\""""');
    const json = JSON.parse((await run("audit", "export", "--since", "2026-11-01", "--format", "json", "--team", "payments")).out) as { action: string }[];
    expect(json.map((e) => e.action)).toEqual(["finding.new", "finding.new"]);
  });

  it("refuses a second scan while the lease is held", async () => {
    const { io, config, dir } = harness();
    const db = openDatabase(join(dir, "state/posture.db")).db;
    db.prepare("INSERT INTO scan_lock VALUES (1, 'other-scan', 4242, 'host-x', '2026-11-02T08:59:00.000Z', '2026-11-02T08:59:00.000Z', '2026-11-02T09:09:00.000Z')").run();
    db.close();
    await expect(runScanWithState({ rules: catalog.rules, source: { kind: "snapshot", snapshot: snapshotOf([]) }, now: io.clock() }, config, io))
      .rejects.toThrow("another scan is running (other-scan, pid 4242 on host-x, since 2026-11-02T08:59:00.000Z; its lease expires at 2026-11-02T09:09:00.000Z)");
  });
});
