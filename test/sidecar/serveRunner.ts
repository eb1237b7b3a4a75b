// Runs `serveCommand` as its own process (`node --import tsx test/sidecar/serveRunner.ts --port 0 ...`),
// standing in for `mockjutsu serve` until the CLI dispatcher routes it.
import { serveCommand } from '../../src/cli/commands/serveCommand.js';
import { UsageError } from '../../src/cli/cliCommand.js';

try {
  process.exitCode = await serveCommand.run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  process.stderr.write(`mockjutsu serve: ${err.message}\n`);
  process.exitCode = 2;
}
