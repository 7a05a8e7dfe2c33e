/**
 * "Unknown" is a first-class value: a collector that could not read an attribute (AccessDenied,
 * throttling, any failure) stores `{ $unknown: reason }` in its place. The engine turns a read of it
 * into `not_evaluated`, never into a pass.
 */
export interface Unknown {
  readonly $unknown: string;
}

export type OrUnknown<T> = T | Unknown;

export function unknown(reason: string): Unknown {
  return { $unknown: reason };
}

export function isUnknown(value: unknown): value is Unknown {
  return typeof value === "object" && value !== null && typeof (value as { $unknown?: unknown }).$unknown === "string";
}
