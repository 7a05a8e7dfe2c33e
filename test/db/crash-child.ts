// Child process of crash.test.ts: plans a big reconcile, says "persisting", then writes it in one
// transaction; the parent SIGKILLs it while that transaction is running.
import { writeSync } from "node:fs";
import { planReconcile } from "../../src/app/reconcile-scan.js";
import { openDatabase } from "../../src/db/open.js";
import { loadFindingStates } from "../../src/db/findings-repo.js";
import { loadOwnershipOverrides } from "../../src/db/resources-repo.js";
import { persistReconcile } from "../../src/db/state-store.js";
import { bucket, catalog, ownership, snapshotOf, teams } from "./fixtures.js";

const [path, size] = [process.argv[2]!, Number(process.argv[3] ?? 200_000)];
const { db } = openDatabase(path);
const buckets = Array.from({ length: size }, (_, i) => bucket(`big-${i}`, { logging: i % 2 === 0, versioning: i % 3 === 0 }));
const now = new Date("2026-11-03T08:00:00.000Z");
const { plan } = planReconcile(
  { scanId: "big-scan", trigger: "crash-test", rules: catalog.rules, ruleScope: "all", snapshot: snapshotOf(buckets), startedAt: now, now, ownership, teams, securityChannel: "#security" },
  loadFindingStates(db), loadOwnershipOverrides(db),
);
// Synchronous writes: the parent must see this line before the transaction starts, not after.
writeSync(1, "persisting\n");
persistReconcile(db, plan);
writeSync(1, "committed\n");
db.close();
