// `mockjutsu serve` with the replay-target flags in its own process, through the test runner
// (always the current source): node --import tsx test/replay/replayServeRunner.ts --store F --fsync --port 0
import { createServeCommand } from '../../src/sidecar/serveCommand.js';
import { withReplayStore } from '../../src/sidecar/store/index.js';
import { UsageError } from '../../src/cli/cliCommand.js';

try {
  process.exitCode = await withReplayStore(createServeCommand).run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  process.stderr.write(`mockjutsu serve: ${err.message}\n`);
  process.exitCode = 2;
}
