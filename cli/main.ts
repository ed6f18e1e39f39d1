/** Process entry of the `fedgate` command: parse, run, and turn failures into a message and exit code. */
import { buildProgram } from './program.js';

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  process.stderr.write(`fedgate: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
