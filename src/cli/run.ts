import { cliT } from "../i18n/cli";
import { messageOf } from "../i18n";

/** How every CLI entry point runs: the exit code from `main`, a one-line message for an unexpected error. */
export function runMain(main: (argv: readonly string[]) => Promise<number>): void {
  // Piped into `head`, the reader may go away first: stop quietly rather than with a stack trace.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${cliT().error(messageOf(e))}\n`);
      process.exitCode = 1;
    },
  );
}
