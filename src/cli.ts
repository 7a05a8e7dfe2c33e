import type { CliIo } from "./cli/context.js";
import { runCli } from "./cli/run.js";

const io: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  // https://no-color.org: a set NO_COLOR turns colours off even on a terminal.
  color: process.stdout.isTTY === true && !process.env.NO_COLOR,
  env: process.env,
  cwd: process.cwd(),
  clock: () => new Date(),
};

// `posture scan | head` closes stdout early: that is the reader's choice, not an error worth a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), io);
