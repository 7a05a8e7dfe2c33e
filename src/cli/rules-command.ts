import type { Catalog } from "../core/catalog.js";
import { severityRank } from "../core/report.js";
import { loadCliCatalog, type CliIo, type GlobalOptions } from "./context.js";
import { EXIT, UserError } from "./errors.js";
import { createPaint } from "./style.js";

/** `posture rules [--framework ID]`: the catalog, most severe first. */
export function rulesCommand(flags: { framework?: string }, global: GlobalOptions, io: CliIo): number {
  const catalog = loadCliCatalog(global, io);
  if (flags.framework !== undefined && !(flags.framework in catalog.frameworks)) {
    throw new UserError(`--framework: unknown framework "${flags.framework}" (known: ${Object.keys(catalog.frameworks).join(", ") || "none"})`);
  }
  io.out(renderRules(catalog, flags.framework, io.color));
  return EXIT.ok;
}

export function renderRules(catalog: Catalog, framework: string | undefined, color: boolean): string {
  const paint = createPaint(color);
  const rules = catalog.rules
    .filter((rule) => framework === undefined || rule.compliance[framework] !== undefined)
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.id.localeCompare(b.id));
  const idWidth = Math.max(4, ...rules.map((r) => r.id.length));
  const heading = framework === undefined
    ? `${rules.length} rules`
    : `${rules.length} rules mapped to ${catalog.frameworks[framework]!.name} ${catalog.frameworks[framework]!.version}`;
  const lines = [paint.bold(heading), paint.dim(`${"severity".padEnd(10)}${"id".padEnd(idWidth + 2)}${"resource".padEnd(28)}title`)];
  for (const rule of rules) {
    const controls = framework === undefined ? "" : paint.dim(`  (${rule.compliance[framework]!.join(", ")})`);
    lines.push(`${paint.severity(rule.severity, rule.severity.padEnd(10))}${rule.id.padEnd(idWidth + 2)}${rule.resource.padEnd(28)}${rule.title}${controls}`);
  }
  if (framework === undefined) {
    lines.push("", paint.dim(`frameworks (--framework ID): ${Object.keys(catalog.frameworks).join(", ") || "none"}`));
  }
  return `${lines.join("\n")}\n`;
}
