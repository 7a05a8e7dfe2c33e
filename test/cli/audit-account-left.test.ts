import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { afterEach, describe, expect, it } from "vitest";
import { reconcileScan } from "../../src/app/reconcile-scan.js";
import type { CliIo } from "../../src/cli/context.js";
import { registerAuditCommand } from "../../src/cli/state/audit-command.js";
import { RESOLVED_ACCOUNT_LEFT } from "../../src/core/findings.js";
import { createSqliteStateStore } from "../../src/db/state-store.js";
import { ACCOUNT, bucket, catalog, ownership, reconcile, snapshotOf, teams, tempDb } from "../db/fixtures.js";

const LEFT = "555566667777";
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((fn) => fn()));

describe("posture audit export --reason for a retired account", () => {
  it("lists the finding resolved as its account left, and the scan's retirement entry", async () => {
    const t = tempDb();
    cleanups.push(t.cleanup);
    await reconcile(t.db, snapshotOf([bucket("pay-a", { versioning: false }), bucket("pay-left", { versioning: false, account: LEFT })]), "2026-11-02T07:00:00.000Z", "scan-1");
    const at = new Date("2026-11-02T08:00:00.000Z");
    await reconcileScan(createSqliteStateStore(t.db), {
      scanId: "scan-2", trigger: "test", rules: catalog.rules, ruleScope: "all", snapshot: snapshotOf([bucket("pay-a", { versioning: false })]), startedAt: at, now: at,
      ownership, teams, securityChannel: "#security", accountScope: [ACCOUNT],
    });
    t.db.close();
    writeFileSync(join(t.dir, "posture.config.yml"), "securityChannel: \"#security\"\n");
    let out = "";
    const io: CliIo = { out: (text) => void (out += text), err: () => undefined, color: false, env: { POSTURE_DB_PATH: t.path }, cwd: t.dir, clock: () => at };
    const program = new Command("posture").option("-c, --config <file>").exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
    registerAuditCommand(program, { io, globals: () => program.opts(), setExitCode: () => undefined });
    await program.parseAsync(["audit", "export", "--since", "2026-11-01", "--format", "json", "--reason", RESOLVED_ACCOUNT_LEFT], { from: "user" });

    const entries = JSON.parse(out) as { action: string; details: Record<string, unknown> }[];
    expect(entries.map((e) => e.action)).toEqual(["finding.resolved", "scan.accounts_retired"]);
    expect(entries.at(-1)!.details).toMatchObject({ accounts: [LEFT], resourcesRemoved: 1, findingsResolved: { [LEFT]: 1 } });
  });
});
