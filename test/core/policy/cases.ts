/** Table rows `[name, ...inputs, expected]` titled "name => expected" (vitest's %s would print the inputs). */
export function cases<T extends [string, ...unknown[]]>(rows: T[]): T[] {
  return rows.map((row) => [`${row[0]} => ${JSON.stringify(row[row.length - 1])}`, ...row.slice(1)] as T);
}
