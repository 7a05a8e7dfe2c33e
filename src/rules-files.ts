import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { FIXER_IDS } from "./aws/fixers/registry.js";
import { namedChecks } from "./core/checks/index.js";
import { ConfigError, type FileConfig } from "./config.js";
import { parseCatalog, type Catalog } from "./core/catalog.js";
import { checkSeverityOverrides } from "./core/severity-overrides.js";

export const DEFAULT_RULES_DIR = new URL("../rules/", import.meta.url).pathname;

/**
 * Reads `rules/frameworks.yaml` and every `rules/<service>/<id>.yaml`, then validates them all. A rule's
 * `fix:` must name a fixer of the registry (by default, every caller checks against the real fixers).
 */
export function loadCatalog(rulesDir = DEFAULT_RULES_DIR, fixers: ReadonlySet<string> = FIXER_IDS): Catalog {
  const root = join(rulesDir, "..");
  const ruleFiles = listYaml(rulesDir).filter((path) => !path.endsWith("frameworks.yaml"));
  const read = (path: string) => ({ path: relative(root, path), text: readFileSync(path, "utf8") });
  return parseCatalog({
    frameworks: read(join(rulesDir, "frameworks.yaml")),
    rules: ruleFiles.map(read),
    checks: namedChecks,
    fixers,
  });
}

function listYaml(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return listYaml(path);
      return /\.ya?ml$/.test(entry.name) ? [path] : [];
    })
    .sort();
}

/**
 * Where configuration meets the catalog: `severityOverrides` rules must name rules that exist (a typo would
 * silently override nothing). Throws a ConfigError naming each field to fix.
 */
export function checkConfigAgainstCatalog(config: Pick<FileConfig, "severityOverrides">, catalog: Pick<Catalog, "rules">): void {
  const problems = checkSeverityOverrides(config.severityOverrides, new Set(catalog.rules.map((rule) => rule.id)));
  if (problems.length > 0) throw new ConfigError(problems.map((problem) => `posture.config.yml: ${problem}`));
}
