import { z } from "zod";
import { FIX_RUN_STATES, type FixRun, type FixRunStore } from "../app/fix-ports.js";
import { RESOURCE_TYPES } from "../core/snapshot.js";
import { createAuditWriter } from "./audit-repo.js";
import { parseJsonColumn } from "./json-columns.js";
import type { Db } from "./open.js";

interface Row {
  id: string; fixer_id: string; rule_id: string; finding_id: number; resource_arn: string; target: string; team: string | null;
  requested_by: string; state: string; preview: string; previous_config: string; new_config: string; created_at: string;
  applied_by: string | null; applied_at: string | null; verification: string | null; error: string | null;
  undo_until: string | null; undone_by: string | null; undone_at: string | null;
}

const targetColumn = z.object({
  arn: z.string(), type: z.enum(RESOURCE_TYPES as [string, ...string[]]), accountId: z.string(), region: z.string(), name: z.string(),
});
const previewColumn = z.looseObject({
  fixerId: z.string(), ruleId: z.string(), summary: z.string(), before: z.unknown(), after: z.unknown(),
  calls: z.array(z.looseObject({ service: z.string(), operation: z.string(), params: z.record(z.string(), z.unknown()) })),
  notes: z.array(z.string()), beforeHash: z.string(),
});
const verificationColumn = z.looseObject({ status: z.enum(["pass", "fail", "not_applicable", "not_evaluated"]) }).nullable();
const errorColumn = z.object({ code: z.string(), message: z.string() }).nullable();

function toRow(run: FixRun): Row {
  return {
    id: run.id, fixer_id: run.fixerId, rule_id: run.ruleId, finding_id: run.findingId, resource_arn: run.target.arn,
    target: JSON.stringify(run.target), team: run.team, requested_by: run.requestedBy, state: run.state,
    preview: JSON.stringify(run.preview), previous_config: JSON.stringify(run.previous ?? null), new_config: JSON.stringify(run.next ?? null),
    created_at: run.createdAt, applied_by: run.appliedBy, applied_at: run.appliedAt,
    verification: run.verification === null ? null : JSON.stringify(run.verification), error: run.error === null ? null : JSON.stringify(run.error),
    undo_until: run.undoUntil, undone_by: run.undoneBy, undone_at: run.undoneAt,
  };
}

function fromRow(row: Row): FixRun {
  const where = (column: string) => `fix_runs ${row.id}.${column}`;
  return {
    id: row.id, fixerId: row.fixer_id, ruleId: row.rule_id, findingId: row.finding_id,
    target: parseJsonColumn(targetColumn, row.target, where("target")) as FixRun["target"],
    team: row.team, requestedBy: row.requested_by, state: z.enum(FIX_RUN_STATES).parse(row.state),
    // The calls were written by this code from typed plans; the column check guards against hand edits.
    preview: parseJsonColumn(previewColumn, row.preview, where("preview")) as unknown as FixRun["preview"],
    previous: JSON.parse(row.previous_config) as unknown, next: JSON.parse(row.new_config) as unknown,
    createdAt: row.created_at, appliedBy: row.applied_by, appliedAt: row.applied_at,
    verification: parseJsonColumn(verificationColumn, row.verification, where("verification")) as FixRun["verification"],
    error: parseJsonColumn(errorColumn, row.error, where("error")),
    undoUntil: row.undo_until, undoneBy: row.undone_by, undoneAt: row.undone_at,
  };
}

const COLUMNS = Object.keys(toRow({
  id: "", fixerId: "", ruleId: "", findingId: 0, target: { arn: "", type: "aws:s3:bucket", accountId: "", region: "", name: "" }, team: null,
  requestedBy: "", state: "previewed", preview: { fixerId: "", ruleId: "", summary: "", before: null, after: null, calls: [], notes: [], beforeHash: "" },
  previous: null, next: null, createdAt: "", appliedBy: null, appliedAt: null, verification: null, error: null, undoUntil: null, undoneBy: null, undoneAt: null,
}));

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE";

/**
 * fix_runs on SQLite. `claim` relies on the partial unique index on busy runs per resource, so two
 * processes confirming fixes of the same bucket cannot both write to it.
 */
export function createFixRunStore(db: Db): FixRunStore {
  const insert = db.prepare(`INSERT INTO fix_runs (${COLUMNS.join(", ")}) VALUES (${COLUMNS.map((c) => `@${c}`).join(", ")})`);
  const select = db.prepare("SELECT * FROM fix_runs WHERE id = ?");
  const busyOn = db.prepare("SELECT * FROM fix_runs WHERE resource_arn = ? AND state IN ('applying', 'undoing') AND id <> ?");
  const get = (id: string) => {
    const row = select.get(id) as Row | undefined;
    return row ? fromRow(row) : undefined;
  };
  const update = (id: string, patch: Partial<FixRun>) => {
    const current = get(id);
    if (!current) throw new Error(`no fix run ${id}`);
    const row = toRow({ ...current, ...patch });
    const sets = COLUMNS.filter((c) => c !== "id").map((c) => `${c} = @${c}`).join(", ");
    db.prepare(`UPDATE fix_runs SET ${sets} WHERE id = @id`).run(row);
  };
  const claim = db.transaction((id: string, from: readonly string[], to: FixRun["state"], patch: Partial<FixRun>): true | false | FixRun => {
    const run = get(id);
    if (!run || !from.includes(run.state)) return false;
    const busy = busyOn.get(run.target.arn, id) as Row | undefined;
    if (busy) return fromRow(busy);
    update(id, { ...patch, state: to });
    return true;
  });
  return {
    insert: async (run) => void insert.run(toRow(run)),
    get: async (id) => get(id),
    update: async (id, patch) => update(id, patch),
    async claim(id, from, to, patch) {
      try {
        return claim(id, from, to, patch);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // Another connection claimed the resource between our check and our write.
        const run = get(id);
        const busy = run && (busyOn.get(run.target.arn, id) as Row | undefined);
        return busy ? fromRow(busy) : false;
      }
    },
  };
}

/**
 * Runs left `applying` or `undoing` by a process that stopped mid-call (one process applies fixes):
 * marked failed with the reason, so the resource is not blocked forever, and audited. What AWS
 * holds now is unknown; the next preview re-reads it. Returns the runs recovered.
 */
export function recoverInterruptedFixRuns(db: Db, at: string): FixRun[] {
  const error = { code: "Interrupted", message: "Posture stopped while this fix was running; the next preview re-reads the resource" };
  const recover = db.transaction(() => {
    const rows = db.prepare("SELECT * FROM fix_runs WHERE state IN ('applying', 'undoing')").all() as Row[];
    const mark = db.prepare("UPDATE fix_runs SET state = 'failed', error = ? WHERE id = ?");
    const audit = createAuditWriter(db);
    for (const row of rows) {
      mark.run(JSON.stringify(error), row.id);
      audit({
        at, actor: "posture", action: "fix.interrupted", subjectType: "finding", subjectId: String(row.finding_id), findingId: row.finding_id,
        scanId: null, team: row.team,
        details: { fixRunId: row.id, fixerId: row.fixer_id, ruleId: row.rule_id, resourceArn: row.resource_arn, interruptedState: row.state, error },
      });
    }
    return rows;
  });
  return recover().map(fromRow).map((run) => ({ ...run, state: "failed" as const, error }));
}
