import type { Writable } from 'node:stream';
import type { CliIo } from './cliCommand.js';
import { openOutput, type OutputSink } from './outputSink.js';
import type { ProgressBar } from './progressBar.js';
import { ChunkEncoder } from '../export/index.js';

/** Signals that stop a run cleanly (SIGHUP: the terminal was closed). */
export type StopSignal = 'SIGHUP' | 'SIGINT' | 'SIGTERM';
const STOP_SIGNALS: readonly StopSignal[] = ['SIGHUP', 'SIGINT', 'SIGTERM'];
const SIGNAL_NUMBER: Record<StopSignal, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** The run was stopped by a signal; its atomic output was discarded. */
export class InterruptedError extends Error {
  constructor(readonly signal: StopSignal, output: string) {
    super(`interrupted by ${signal}; nothing written to ${output}`);
    this.name = 'InterruptedError';
  }

  /** 128 + signal number, as a shell reports a process killed by it. */
  get exitCode(): number {
    return 128 + SIGNAL_NUMBER[this.signal];
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
  /**
   * Given the output's `written` once it is open (when it can tell): resolves once every chunk
   * written so far has left its Buffer, so a producer may fill that Buffer again.
   */
  output?: { written?: () => Promise<void> };
}

/**
 * Streams `chunks` to the output with backpressure. For an atomic file, SIGHUP/SIGINT/SIGTERM
 * stop the run between two chunks, remove the temp file and throw {@link InterruptedError}; any
 * error removes it too, so the final name only ever holds complete output. stdout, a device
 * and a FIFO have nothing to remove: a signal takes its default action (a write to a FIFO
 * whose reader stalls cannot be interrupted, and the run waited for the reader before).
 */
export async function writeOutput(chunks: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>, options: WriteOutputOptions): Promise<void> {
  const sink: OutputSink = await openOutput(options.out, options.io.stdout as Writable);
  if (options.output !== undefined) options.output.written = sink.written;
  options.onOpen?.();
  const { progress } = options;
  const atomic = sink.atomic;
  let caught: StopSignal | undefined;
  const onSignal = (signal: StopSignal) => {
    caught ??= signal;
  };
  if (atomic) for (const s of STOP_SIGNALS) process.on(s, onSignal);
  const encoder = sink.written === undefined ? undefined : new ChunkEncoder(sink.written);
  try {
    for await (const chunk of chunks) {
      if (caught) throw new InterruptedError(caught, sink.name);
      if (typeof chunk === 'string' && encoder !== undefined) {
        await sink.write(await encoder.encode(chunk));
        encoder.sent();
      } else await sink.write(chunk);
      progress?.update();
    }
    if (caught) throw new InterruptedError(caught, sink.name);
    await sink.finish();
  } catch (e) {
    await sink.abort();
    throw e;
  } finally {
    progress?.clear();
    if (atomic) for (const s of STOP_SIGNALS) process.off(s, onSignal);
  }
}
