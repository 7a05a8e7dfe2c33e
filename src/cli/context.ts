import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { FIXER_IDS } from "../aws/fixers/registry.js";
import { loadConfig, type Config } from "../config.js";
import type { Catalog } from "../core/catalog.js";
import { DEFAULT_RULES_DIR, loadCatalog } from "../rules-files.js";
import { UserError } from "./errors.js";

export const DEFAULT_CONFIG_FILE = "posture.config.yml";

/** What every command gets: its output streams, colour choice, environment and clock. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Colours only when stdout is a terminal. */
  color: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  clock(): Date;
}

export interface GlobalOptions {
  config?: string;
  rules?: string;
}

/** `--config FILE`, else ./posture.config.yml when it exists, else the defaults. */
export function loadCliConfig(options: GlobalOptions, io: CliIo): Config {
  const explicit = options.config !== undefined;
  const path = options.config ?? DEFAULT_CONFIG_FILE;
  const absolute = resolve(io.cwd, path);
  if (!explicit && !existsSync(absolute)) return loadConfig(io.env);
  let text: string;
  try {
    text = readFileSync(absolute, "utf8");
  } catch (error) {
    throw new UserError(`cannot read configuration ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
  return loadConfig(io.env, { path, text });
}

/** The bundled rules/ catalog, or `--rules DIR`. */
export function loadCliCatalog(options: GlobalOptions, io: CliIo): Catalog {
  const dir = options.rules === undefined ? DEFAULT_RULES_DIR : `${resolve(io.cwd, options.rules)}/`;
  if (!existsSync(dir)) throw new UserError(`rule catalog directory ${options.rules ?? dir} does not exist`);
  return loadCatalog(dir, FIXER_IDS);
}

/** Rule ids named on the command line or in configuration must exist: a typo would silently scan less. */
export function checkRuleIds(ids: readonly string[], catalog: Catalog, where: string): void {
  const known = new Set(catalog.rules.map((rule) => rule.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length === 0) return;
  const hints = unknown.map((id) => {
    const near = catalog.rules.map((r) => r.id).filter((k) => k.includes(id) || id.includes(k)).slice(0, 3);
    return near.length > 0 ? `"${id}" (did you mean ${near.join(", ")}?)` : `"${id}"`;
  });
  throw new UserError(`${where}: unknown rule id ${hints.join(", ")}; \`posture rules\` lists them`);
}

/**
 * `--account` must name configured accounts (with none configured, the credentials' own account is scanned;
 * with Organizations discovery, any account: the collector keeps the discovered ones named).
 */
export function checkAccountIds(ids: readonly string[] | undefined, config: Pick<Config, "accounts" | "organizations">): void {
  if (ids === undefined || config.accounts.length === 0 || config.organizations.enabled) return;
  const configured = new Set(config.accounts.map((account) => account.id));
  const unknown = ids.filter((id) => !configured.has(id));
  if (unknown.length > 0) {
    throw new UserError(`--account: ${unknown.join(", ")} not in the configuration (configured: ${[...configured].join(", ")})`);
  }
}
