import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { FIXER_IDS } from "./aws/fixers/registry.js";
import { namedChecks } from "./core/checks/index.js";
import { parseCatalog, type Catalog } from "./core/catalog.js";

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
