import { CommanderError } from "commander";
import type { CliIo } from "./context.js";
import { describeError, EXIT } from "./errors.js";
import { buildProgram } from "./program.js";

/**
 * Runs one `posture` command line against the given I/O and returns the exit code. User errors end
 * as one line on stderr (exit 2), never a stack trace. `src/cli.ts` wires it to the real process.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const { line, exitCode: code } = describeError(error);
    io.err(`posture: ${line}\n`);
    return code;
  }
}
