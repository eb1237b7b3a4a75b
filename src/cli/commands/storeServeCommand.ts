import { EventLogCorruption } from '../../store/index.js';
import { UsageError, type CliCommand, type CliIo } from '../cliCommand.js';
import type { RouteModule } from '../../sidecar/routeModules.js';
import type { SidecarOptions } from '../../sidecar/sidecarServer.js';
import { openReplayTarget, type ReplayTarget } from '../../replay/replayTarget.js';

/** The shape of `createServeCommand` (taken as an argument, so this module does not import serveCommand.ts). */
export type ServeCommandFactory = (
  extra?: Omit<SidecarOptions, 'port' | 'host' | 'seed' | 'token'>,
  routeModules?: readonly RouteModule[],
) => CliCommand;

const STORE_USAGE = ' [--store FILE [--fsync]]';

const STORE_HELP = `
Event store (replay target): kept in memory (lost when the sidecar stops), or with --store:
  --store FILE          keep it in FILE (JSONL, one record per line; created when missing,
                        reloaded when present; a torn last line left by a crash is reported and
                        cut off). Either way the whole store is also held in memory
  --fsync               fsync every append before answering it (survives power loss, slower)

  POST /streams/:id                 append a generated event (body: the event), a batch (an array,
                                    atomic) or {"expected_version": n, "event"|"events": ...};
                                    expected version from the body or If-Match: a number (0 = new
                                    stream), no_stream, any (the default), stream_exists or *.
                                    201 {status, stream_id, stream_version, global_position};
                                    200 with "duplicate": true for an event already stored (its
                                    event_id is the idempotency key); 409 CONCURRENCY_CONFLICT with
                                    current_version when the expected version is not met
  GET  /streams/:id?from=&to=       the stream's records
  GET  /all?from=N&limit=M          the global log (next_from to page on)
  GET  /projections/orders/:id      an order of the live orders projection (total, paid, attempts)
  GET  /projections/orders?limit=&session_id=&paid=
Check a run afterwards with: mockjutsu verify --seed S --partitions P --sessions K --against FILE|URL
`;

interface StoreFlags {
  store: string | undefined;
  fsync: boolean;
  rest: string[];
}

/** Takes `--store FILE` / `--store=FILE` and `--fsync` out of the arguments; the rest go to serve. */
export function extractStoreFlags(args: readonly string[]): StoreFlags {
  let store: string | undefined;
  let fsync = false;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      rest.push(...args.slice(i));
      break;
    }
    if (arg === '--fsync') {
      fsync = true;
    } else if (arg.startsWith('--fsync=')) {
      throw new UsageError('--fsync takes no value');
    } else if (arg === '--store' || arg.startsWith('--store=')) {
      const value = arg === '--store' ? args[++i] : arg.slice('--store='.length);
      if (value === undefined || value.length === 0 || (arg === '--store' && value.startsWith('-'))) throw new UsageError('--store needs a value: the JSONL file of the event store');
      if (store !== undefined) throw new UsageError('--store is given twice; give one file');
      store = value;
    } else {
      rest.push(arg);
    }
  }
  if (fsync && store === undefined) throw new UsageError('--fsync only applies with --store FILE');
  return { store, fsync, rest };
}

/**
 * The `serve` command with the replay-target flags: without `--store` it is `serve` as it is
 * (whose route modules give it an in-memory store); with it, the store routes serve the file.
 * Wire it as `export const serveCommand = withReplayStore(createServeCommand)`.
 */
export function withReplayStore(factory: ServeCommandFactory): CliCommand {
  const base = factory();
  const help = base.help.replace(/^(Usage: .*)$/m, (line) => line + STORE_USAGE).replace(/\n*$/, '\n') + STORE_HELP;
  return {
    name: base.name,
    summary: base.summary.replace(/\)$/, ', event-store replay target)'),
    help,
    async run(args: string[], io: CliIo): Promise<number> {
      const flags = extractStoreFlags(args);
      if (flags.store === undefined) return base.run(flags.rest, io);
      const log = (line: string): void => void io.stderr.write(line + '\n');
      let target: ReplayTarget;
      try {
        target = openReplayTarget({ store: flags.store, fsync: flags.fsync, log });
      } catch (err) {
        const why = err instanceof EventLogCorruption ? err.message : `cannot open ${flags.store}: ${(err as Error).message}`;
        io.stderr.write(`mockjutsu serve: ${why}\n`);
        return 1;
      }
      io.stderr.write(`mockjutsu sidecar: event store ${target.file} (${target.store.globalPosition} events, fsync ${flags.fsync ? 'on' : 'off'})\n`);
      try {
        // No route modules: they would add the in-memory store's routes a second time.
        return await factory({ routes: target.routes, openapiSchemas: target.openapiSchemas }, []).run(flags.rest, io);
      } finally {
        target.close();
      }
    },
  };
}
