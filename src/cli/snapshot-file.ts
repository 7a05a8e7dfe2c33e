import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { createInterface } from "node:readline";
import type { z } from "zod";
import { resourceSchema, snapshotSchema, type Resource, type Snapshot } from "../core/snapshot.js";
import { UserError } from "./errors.js";

/**
 * Snapshot files. `posture collect` writes valid JSON laid out one resource per line:
 *
 *   {"schemaVersion":1,"collectedAt":"…","accounts":[…],"resources":[
 *   {…first resource…},
 *   {…last resource…}
 *   ]}
 *
 * so that a 400,000-resource snapshot is read and validated line by line: one JSON.stringify or
 * JSON.parse of the whole file would pass V8's maximum string length, and zod would hold a second
 * copy of everything. Any other JSON layout (hand-written, pretty-printed) is parsed as a whole.
 */
const HEADER = /^\{.*"resources":\[$/;
const FOOTER = "]}";
const SHOWN_PROBLEMS = 3;

export async function loadSnapshotFile(path: string): Promise<Snapshot> {
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  try {
    const iterator = lines[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (first.done) throw new UserError(`snapshot ${path} is empty`);
    if (HEADER.test(first.value)) return await readLineLayout(path, first.value, iterator);
    const rest: string[] = [first.value];
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) rest.push(next.value);
    return validateWhole(path, parseJson(path, rest.join("\n")));
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`cannot read snapshot ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  } finally {
    lines.close();
  }
}

async function readLineLayout(path: string, header: string, lines: AsyncIterator<string>): Promise<Snapshot> {
  const problems = new Problems();
  const envelope = snapshotSchema.safeParse(parseJson(path, `${header}${FOOTER}`, 1));
  if (!envelope.success) problems.addAll(envelope.error, "");
  const resources: Resource[] = [];
  let lineNumber = 1;
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    lineNumber += 1;
    if (next.value === FOOTER) return finish(path, problems, envelope.success ? { ...envelope.data, resources } : undefined);
    const raw = parseJson(path, next.value.endsWith(",") ? next.value.slice(0, -1) : next.value, lineNumber);
    const parsed = resourceSchema.safeParse(raw);
    if (parsed.success) resources.push(parsed.data);
    else problems.addAll(parsed.error, `resources[${lineNumber - 2}]`, raw);
  }
  throw new UserError(`snapshot ${path} is truncated: no closing "${FOOTER}" line after line ${lineNumber}`);
}

function validateWhole(path: string, data: unknown): Snapshot {
  const parsed = snapshotSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems = new Problems();
  for (const issue of parsed.error.issues) problems.add(issue, "", resourceAt(data, issue.path));
  return finish(path, problems, undefined);
}

function finish(path: string, problems: Problems, snapshot: Snapshot | undefined): Snapshot {
  if (problems.count > 0 || !snapshot) throw new UserError(`snapshot ${path} is not a valid Posture snapshot: ${problems.describe()}`);
  return snapshot;
}

function parseJson(path: string, text: string, line?: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UserError(`snapshot ${path} is not valid JSON${line ? ` (line ${line})` : ""}: ${(error as Error).message}`, { cause: error });
  }
}

/** The first few problems, each with its JSON path and, for a resource, its ARN; then how many more. */
class Problems {
  count = 0;
  private readonly shown: string[] = [];

  addAll(error: z.ZodError, prefix: string, resource?: unknown): void {
    for (const issue of error.issues) this.add(issue, prefix, resource);
  }

  add(issue: z.core.$ZodIssue, prefix: string, resource?: unknown): void {
    this.count += 1;
    if (this.shown.length >= SHOWN_PROBLEMS) return;
    const field = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
    const where = `${prefix}${field}`.replace(/^\./, "") || "(top level)";
    const arn = (resource as { arn?: unknown } | undefined)?.arn;
    this.shown.push(`${where}${typeof arn === "string" ? ` (${arn})` : ""}: ${issue.message}`);
  }

  describe(): string {
    const more = this.count - this.shown.length;
    return this.shown.join("; ") + (more > 0 ? `; and ${more} more problem(s)` : "");
  }
}

function resourceAt(data: unknown, path: readonly PropertyKey[]): unknown {
  if (path[0] !== "resources" || typeof path[1] !== "number") return undefined;
  return (data as { resources?: unknown[] }).resources?.[path[1]];
}

/** Writes the line layout above, honouring back-pressure so memory stays flat. */
export async function writeSnapshotFile(path: string, snapshot: Snapshot): Promise<void> {
  const out = createWriteStream(path, { encoding: "utf8" });
  const failed = new Promise<never>((_, reject) => out.once("error", reject));
  failed.catch(() => undefined);
  const write = async (text: string) => {
    if (!out.write(text)) await Promise.race([once(out, "drain"), failed]);
  };
  try {
    const { resources, ...envelope } = snapshot;
    await write(`${JSON.stringify(envelope).slice(0, -1)},"resources":[\n`);
    for (let i = 0; i < resources.length; i++) await write(`${JSON.stringify(resources[i])}${i < resources.length - 1 ? "," : ""}\n`);
    await write(`${FOOTER}\n`);
    out.end();
    await Promise.race([once(out, "finish"), failed]);
  } catch (error) {
    out.destroy();
    throw new UserError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
}
