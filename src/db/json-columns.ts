import { z } from "zod";
import { SEVERITIES } from "../core/rule.js";

/** JSON columns are parsed with zod when read: a hand-edited or corrupted row fails loudly, naming the column. */
export const evidenceColumn = z.array(z.object({ path: z.string(), expected: z.string(), observed: z.unknown() }));
export const stringsColumn = z.array(z.string());
export const tagsColumn = z.record(z.string(), z.string()).nullable();
export const detailsColumn = z.record(z.string(), z.unknown());
export const tallyColumn = z.record(z.enum(SEVERITIES), z.object({ pass: z.number().int(), fail: z.number().int() }));

export class CorruptRowError extends Error {
  readonly code = "POSTURE_DB_CORRUPT_ROW";
}

export function parseJsonColumn<T extends z.ZodType>(schema: T, text: string | null, where: string): z.infer<T> {
  let value: unknown;
  try {
    value = text === null ? null : JSON.parse(text);
  } catch (error) {
    throw new CorruptRowError(`${where}: not valid JSON`, { cause: error });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new CorruptRowError(`${where}: unexpected content: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"} ${i.message}`).join("; ")}`);
  return parsed.data;
}
