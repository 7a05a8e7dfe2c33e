import { CommanderError } from "commander";
import { buildProgram } from "./cli/program.js";
import { describeError, EXIT } from "./cli/errors.js";
import type { CliIo } from "./cli/context.js";

/** Entry point of the `posture` command. User errors end as one line on stderr and exit code 2. */
export async function main(argv: readonly string[]): Promise<number> {
  const io: CliIo = {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    color: process.stdout.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
    clock: () => new Date(),
  };
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync(argv, { from: "node" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const { line, exitCode: code } = describeError(error);
    io.err(`posture: ${line}\n`);
    return code;
  }
}

// `posture scan | head` closes stdout early: that is the reader's choice, not an error worth a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv);
