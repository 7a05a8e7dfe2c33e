import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseEnv } from "node:util";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { renderDoctorReport, runDoctor, type DoctorInput, type Loaded } from "../app/doctor.js";
import { createAwsDoctorProbes } from "../aws/doctor-probes.js";
import { ConfigError, type Config } from "../config.js";
import { CatalogError } from "../core/catalog.js";
import { inspectDatabaseFile } from "../db/health-queries.js";
import { createSlackDoctorProbes } from "../slack/doctor-probes.js";
import { DEFAULT_CONFIG_FILE, loadCliCatalog, loadCliConfig, type CliIo, type GlobalOptions } from "./context.js";
import { EXIT, UserError } from "./errors.js";

export interface DoctorFlags {
  json?: boolean;
}

/** Seams for tests: the base AWS identity (default: the SDK's provider chain) and its attempts per call. */
export interface DoctorSeams {
  awsCredentials?: AwsCredentialIdentityProvider;
  awsMaxAttempts?: number;
}

/** Exit code when a needed check fails (usage errors keep their own code, 2). */
export const DOCTOR_FAILED = 1;

const MANIFEST = new URL("../../manifest.yml", import.meta.url);
const manifestSchema = z.object({
  features: z.object({ bot_user: z.object({ display_name: z.string() }) }),
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()) }) }),
});

/** `posture doctor`: one line per check with what to fix; exit 0 when everything needed passes, 1 otherwise. */
export async function doctorCommand(flags: DoctorFlags, given: GlobalOptions, cliIo: CliIo, seams: DoctorSeams = {}): Promise<number> {
  // Check what `npm start` would run with: .env under the real variables, and the file and the
  // catalog from POSTURE_CONFIG / POSTURE_RULES_DIR.
  const io: CliIo = { ...cliIo, env: withDotEnv(cliIo) };
  const globals: GlobalOptions = { config: given.config ?? io.env.POSTURE_CONFIG, rules: given.rules ?? io.env.POSTURE_RULES_DIR };
  const catalog = loadOrProblems(() => ({ rules: loadCliCatalog(globals, io).rules.length }));
  const loaded = loadOrProblems(() => loadCliConfig(globals, io));
  const configuration: DoctorInput["configuration"] = loaded.ok ? { ok: true, value: { config: loaded.value, source: configSource(globals, io) } } : loaded;
  const config = loaded.ok ? loaded.value : undefined;
  const report = await runDoctor({
    catalog, configuration,
    ...(config ? { database: inspectDatabaseFile(config.dbPath === ":memory:" ? config.dbPath : resolve(io.cwd, config.dbPath), config.dbPath) } : {}),
    slack: config ? slackInput(config) : "console",
    aws: createAwsDoctorProbes({
      homeRegion: config?.homeRegion ?? "us-east-1",
      ...(config?.awsEndpointUrl !== undefined ? { endpointUrl: config.awsEndpointUrl } : {}),
      ...(seams.awsCredentials ? { base: seams.awsCredentials } : {}),
      ...(seams.awsMaxAttempts !== undefined ? { maxAttempts: seams.awsMaxAttempts } : {}),
    }),
  });
  io.out(flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderDoctorReport(report));
  return report.ok ? EXIT.ok : DOCTOR_FAILED;
}

/** Like `npm start` (process.loadEnvFile): `.env` in the working directory, real variables winning. */
function withDotEnv(io: CliIo): CliIo["env"] {
  const file = resolve(io.cwd, ".env");
  if (!existsSync(file)) return io.env;
  return { ...parseEnv(readFileSync(file, "utf8")), ...io.env };
}

function slackInput(config: Config): DoctorInput["slack"] {
  if (config.slack.mode === "console") return "console";
  if (config.slack.mode === "unusable") return { problem: config.slack.problem };
  const manifest = manifestSchema.parse(parseYaml(readFileSync(MANIFEST, "utf8")));
  return { probes: createSlackDoctorProbes(config.slack), manifestScopes: manifest.oauth_config.scopes.bot, botName: manifest.features.bot_user.display_name };
}

function configSource(globals: GlobalOptions, io: CliIo): string {
  if (globals.config !== undefined) return globals.config;
  return existsSync(resolve(io.cwd, DEFAULT_CONFIG_FILE)) ? DEFAULT_CONFIG_FILE : `the defaults (no ${DEFAULT_CONFIG_FILE})`;
}

/** Configuration and catalog problems are lines of the report, not the end of the run. */
function loadOrProblems<T>(load: () => T): Loaded<T> {
  try {
    return { ok: true, value: load() };
  } catch (error) {
    if (error instanceof ConfigError || error instanceof CatalogError) return { ok: false, problems: error.problems };
    if (error instanceof UserError) return { ok: false, problems: [error.message] };
    throw error;
  }
}
