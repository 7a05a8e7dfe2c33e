import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, expect, it } from "vitest";
import { openDatabase, type Db } from "../../src/db/open.js";
import { bucket, reconcile, snapshotOf, tempDb } from "./fixtures.js";

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((fn) => fn()));
const CHILD = fileURLToPath(new URL("./crash-child.ts", import.meta.url));

/** A digest of every row of every table: equal digests mean an identical state. */
function digestOf(db: Db): Record<string, string> {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
  return Object.fromEntries(tables.map((table) => {
    const rows = db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).raw().all();
    return [table, `${rows.length}:${createHash("sha256").update(JSON.stringify(rows)).digest("hex")}`];
  }));
}

const walSize = (path: string) => { try { return statSync(`${path}-wal`).size; } catch { return 0; } };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it("a SIGKILL in the middle of the reconcile transaction leaves the previous state exactly as it was", async () => {
  const { db, path, cleanup } = tempDb();
  cleanups.push(cleanup);
  await reconcile(db, snapshotOf([bucket("big-1", { logging: false }), bucket("big-2", { versioning: false }), bucket("other", { encryption: false })]), "2026-11-02T08:00:00.000Z");
  const before = digestOf(db);
  db.close();

  const child = spawn(process.execPath, ["--import", "tsx", CHILD, path, "200000"], { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
  while (!output.includes("persisting")) {
    if (child.exitCode !== null) throw new Error(`child ended before persisting: ${output}`);
    await sleep(5);
  }
  const walAtStart = walSize(path);
  // Kill once the uncommitted transaction has spilled pages into the WAL: proof it is mid-write.
  while (walSize(path) < walAtStart + 4 * 1024 * 1024 && !output.includes("committed")) await sleep(2);
  child.kill("SIGKILL");
  expect(await exited).toBe("SIGKILL");
  expect(output).not.toContain("committed");
  expect(walSize(path)).toBeGreaterThan(walAtStart);

  const reopened = openDatabase(path).db;
  cleanups.push(() => reopened.close());
  expect(digestOf(reopened)).toEqual(before);
  expect(reopened.pragma("integrity_check", { simple: true })).toBe("ok");
}, 60_000);
