import type { Writable } from 'node:stream';
import type { CliIo } from './cliCommand.js';
import { openOutput, type OutputSink } from './outputSink.js';
import type { ProgressBar } from './progressBar.js';

/** The run was stopped by SIGINT or SIGTERM; its output was discarded. */
export class InterruptedError extends Error {
  constructor(readonly signal: 'SIGINT' | 'SIGTERM', output: string) {
    super(`interrupted by ${signal}; ${output === 'stdout' ? 'output is incomplete' : `nothing written to ${output}`}`);
    this.name = 'InterruptedError';
  }

  /** 128 + signal number, as a shell reports a process killed by it. */
  get exitCode(): number {
    return this.signal === 'SIGINT' ? 130 : 143;
  }
}

/** Options of {@link writeOutput}. */
export interface WriteOutputOptions {
  /** `--out` value: a file written atomically; stdout when undefined or "-". */
  out: string | undefined;
  io: CliIo;
  progress?: ProgressBar;
  /** Called once the output is open, before anything is written (e.g. to report the seed). */
  onOpen?: () => void;
}

/**
 * Streams `chunks` to the output with backpressure. For a file, SIGINT/SIGTERM stop the run
 * between two chunks, remove the temp file and throw {@link InterruptedError}; any error
 * removes it too, so the final name only ever holds complete output.
 */
export async function writeOutput(chunks: Iterable<string>, options: WriteOutputOptions): Promise<void> {
  const sink: OutputSink = await openOutput(options.out, options.io.stdout as Writable);
  options.onOpen?.();
  const { progress } = options;
  const isFile = sink.name !== 'stdout';
  let caught: 'SIGINT' | 'SIGTERM' | undefined;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    caught ??= signal;
  };
  if (isFile) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  try {
    for (const chunk of chunks) {
      if (caught) throw new InterruptedError(caught, sink.name);
      await sink.write(chunk);
      progress?.update();
    }
    if (caught) throw new InterruptedError(caught, sink.name);
    await sink.finish();
  } catch (e) {
    await sink.abort();
    throw e;
  } finally {
    progress?.clear();
    if (isFile) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}
