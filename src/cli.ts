// The `mockjutsu` bin: wires the process to the CLI dispatcher.
import { runCli } from './cli/main.js';

// A closed pipe (`mockjutsu export ... | head`) ends the run quietly, as for other Unix tools.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  process.stderr.write(`mockjutsu: cannot write to stdout: ${e.message}\n`);
  process.exit(1);
});
process.stderr.on('error', () => undefined);

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
