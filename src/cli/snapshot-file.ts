import { readFile, writeFile } from "node:fs/promises";
import type { z } from "zod";
import { snapshotSchema, type Snapshot } from "../core/snapshot.js";
import { UserError } from "./errors.js";

const SHOWN_PROBLEMS = 3;

/** Reads and validates a snapshot file; every failure names the file and what is wrong with it. */
export async function loadSnapshotFile(path: string): Promise<Snapshot> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new UserError(`cannot read snapshot ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UserError(`snapshot ${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = snapshotSchema.safeParse(data);
  if (!parsed.success) throw new UserError(`snapshot ${path} is not a valid Posture snapshot: ${describeIssues(parsed.error, data)}`);
  return parsed.data;
}

export async function writeSnapshotFile(path: string, snapshot: Snapshot): Promise<void> {
  try {
    await writeFile(path, `${JSON.stringify(snapshot, null, 2)}\n`);
  } catch (error) {
    throw new UserError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
}

/** The first few problems, each with its JSON path and, inside `resources`, the resource's ARN. */
function describeIssues(error: z.ZodError, data: unknown): string {
  const shown = error.issues.slice(0, SHOWN_PROBLEMS).map((issue) => {
    const field = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
    return `${field || "(top level)"}${resourceHint(issue.path, data)}: ${issue.message}`;
  });
  const more = error.issues.length - shown.length;
  return shown.join("; ") + (more > 0 ? `; and ${more} more problem(s)` : "");
}

function resourceHint(path: readonly PropertyKey[], data: unknown): string {
  if (path[0] !== "resources" || typeof path[1] !== "number") return "";
  const resource = (data as { resources?: unknown[] }).resources?.[path[1]] as { arn?: unknown } | undefined;
  return typeof resource?.arn === "string" ? ` (${resource.arn})` : "";
}
