import { Command, Option } from "commander";
import { collectCommand } from "./collect-command.js";
import { doctorCommand, type DoctorFlags } from "./doctor-command.js";
import type { CliIo, GlobalOptions } from "./context.js";
import { iamPolicyCommand, POLICY_KINDS, type IamPolicyFlags } from "./iam-policy-command.js";
import { FORMATS } from "./options.js";
import { rulesCommand } from "./rules-command.js";
import { scanCommand, type ScanFlags } from "./scan-command.js";
import { SEVERITIES } from "../core/rule.js";
import { registerAuditCommand } from "./state/audit-command.js";
import { registerFindingsCommand } from "./state/findings-command.js";
import { registerMigrateCommand } from "./state/migrate-command.js";
import { addPersistOption } from "./state/persist-scan.js";
import { registerScoreCommand } from "./state/score-command.js";

const EXIT_CODES_HELP = `
Exit codes:
  0  scan finished (and nothing failed at or above --fail-on)
  2  bad usage, configuration, rule catalog or snapshot file (one line on stderr says what)
  3  --fail-on SEVERITY: at least one finding of that severity or higher failed
  4  no account could be collected (credentials, role assumption or network)

Examples:
  posture scan --snapshot demo/demo-snapshot.json --config demo/posture.config.yml
  posture scan --severity high --format csv > findings.csv
  posture scan --fail-on critical        # for CI: exit 3 when a critical finding fails
  posture scan --no-persist              # report only: record nothing in the database (POSTURE_DB_PATH)
  posture collect --out snapshot.json`;

/**
 * The command tree. Each action parses nothing itself: it hands commander's values to one command
 * module and records the exit code it returns.
 */
export function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command("posture")
    .description("Cloud security posture for AWS S3 and IAM: collect, evaluate the rule catalog, report.")
    .option("-c, --config <file>", "configuration file (default: ./posture.config.yml when it exists)")
    .option("--rules <dir>", "rule catalog directory (default: the bundled rules/)")
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .addHelpText("after", EXIT_CODES_HELP);

  const globals = () => program.opts<GlobalOptions>();

  const scan = program.command("scan")
    .description("evaluate the rules on a snapshot file, or collect from AWS first, report the findings and record them in the database")
    .option("-s, --snapshot <file>", "evaluate this snapshot (from `posture collect`) instead of collecting live")
    .addOption(new Option("-f, --format <format>", "output format").choices(FORMATS).default("table"))
    .option("--severity <list|min>", `only these severities: a minimum ("high" = critical and high) or a comma list ("critical,low"); one of ${SEVERITIES.join(", ")}`)
    .option("-r, --rule <id...>", "only these rule ids (repeatable or comma separated)")
    .option("--fail-on <severity>", "exit with code 3 when a finding of this severity or higher fails (for CI)")
    .option("-a, --account <id...>", "live collection: only these configured account ids")
    .option("--all", "table: list every failing resource (default: the first 8 per rule)")
    .option("--now <iso>", "evaluate as of this time (default: now); ages such as key rotation are measured from it")
    // The default since findings are keyed by resourceId; `--persist` stays accepted for scripts written when it was opt-in.
    .addOption(new Option("--persist", "record the scan in the database (the default)").hideHelp());
  addPersistOption(scan)
    .addHelpText("after", EXIT_CODES_HELP)
    .action(async (flags: ScanFlags) => setExitCode(await scanCommand(flags, globals(), io)));

  program.command("collect")
    .description("collect the configuration of the configured AWS accounts into a snapshot file")
    .requiredOption("-o, --out <file>", "where to write the snapshot JSON")
    .option("-a, --account <id...>", "only these configured account ids")
    .action(async (flags: { out: string; account?: string[] }) => setExitCode(await collectCommand(flags, globals(), io)));

  program.command("rules")
    .description("list the rule catalog")
    .option("--framework <id>", "only rules mapped to this compliance framework (e.g. cis-aws-3.0), with their controls")
    .action((flags: { framework?: string }) => setExitCode(rulesCommand(flags, globals(), io)));

  program.command("doctor")
    .description("check the configuration, rules, database, Slack (token, scopes, channels, user groups) and AWS (identity, roles, scanner policy) and print what to fix")
    .option("--json", "print the checks as JSON")
    .addHelpText("after", "\nExit codes: 0 everything needed passes (warnings allowed), 1 a check failed.")
    .action(async (flags: DoctorFlags) => setExitCode(await doctorCommand(flags, globals(), io)));

  program.command("iam-policy")
    .description(`print an IAM policy document as JSON: ${POLICY_KINDS.join(" | ")} (the scanner's read-only policy, the fixer's write policy, or a role's trust policy)`)
    .argument("<document>", POLICY_KINDS.join(" | "))
    .option("--principal <arn>", "trust: the identity Posture runs as (its role or user ARN)")
    .option("--external-id <id>", "trust: the external id the role requires (externalId in posture.config.yml)")
    .action((document: string, flags: IamPolicyFlags) => setExitCode(iamPolicyCommand(document, flags, io)));

  // The state commands (src/cli/state, the database side): migrate, score, findings, audit export.
  const deps = { io, globals, setExitCode };
  for (const register of [registerMigrateCommand, registerScoreCommand, registerFindingsCommand, registerAuditCommand]) register(program, deps);

  return program;
}
