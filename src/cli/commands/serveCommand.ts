import { normalizeSeed } from '../../core/index.js';
import { UsageError, type CliCommand, type CliIo } from '../cliCommand.js';
import { parseCommandArgs, parseIntegerFlag } from '../commandArgs.js';
import { startSidecar, DEFAULT_TIMEOUTS, type SidecarOptions } from '../../sidecar/sidecarServer.js';
import { loadRouteModules, OPTIONAL_ROUTE_MODULES, type RouteModule } from '../../sidecar/routeModules.js';
import { withReplayStore } from './storeServeCommand.js';

const USAGE = 'mockjutsu serve [--port 8099] [--host 127.0.0.1] [--seed N] [--token T] [--max-streams 10000] [--shutdown-timeout 10]';

const HELP = `Usage: ${USAGE}

Runs the HTTP sidecar: the generator over REST, for JMeter, Gatling, Locust or anything that
speaks HTTP. Prints "mockjutsu sidecar listening on http://HOST:PORT (seed S)" once it listens.

Options:
  --port N              TCP port (default 8099; 0 picks a free port)
  --host H              interface to bind (default 127.0.0.1: this machine only)
  --seed S              default seed of /sessions requests without one (default: random, printed
                        and reported by GET /health)
  --token T             require "Authorization: Bearer T" on every endpoint but /health
                        (default: the MOCKJUTSU_TOKEN environment variable, if set)
  --max-streams N       live per-key session streams kept in memory, about 12 KB each (default 10000)
  --shutdown-timeout S  on SIGTERM/SIGINT, seconds to let in-flight requests finish (default 10)
  -h, --help            this text

Endpoints (GET /openapi.json describes them all):
  GET  /health                      status, default seed, uptime, version
  GET  /types                       the types served
  GET  /generate/:type              one item; ?seed=&session=&partition=&users=&start=&raw=1
  GET  /bulk/:type?count=N          N items (JSON up to 10,000; format=ndjson streams up to 10,000,000)
  POST /template                    {"types":["event_stream"],"count":1,"seed":42}
  GET  /sessions/:key/next          next event of a key's stream (?seed=&unit=event|session&from=)
  GET  /sessions/:key/batch?n=N     n items of a key's stream (&format=ndjson&from=&unit=&seed=)
Stop it with SIGTERM or Ctrl-C: it stops accepting, finishes in-flight requests, exits 0.
`;

/** An optional integer flag: undefined when absent (the CLI's parser and message otherwise). */
function integerFlag(name: string, value: string | undefined, min: number, max: number): number | undefined {
  return value === undefined ? undefined : parseIntegerFlag(value, '--' + name, min, max);
}

/**
 * A `serve` command whose sidecar gets `extra` options as well (e.g. more routes) plus the
 * routes of every route module found (default: {@link OPTIONAL_ROUTE_MODULES}); the flags given
 * on the command line win.
 */
const SERVE_FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  seed: { type: 'string' },
  token: { type: 'string' },
  'max-streams': { type: 'string' },
  'shutdown-timeout': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function createServeCommand(
  extra: Omit<SidecarOptions, 'port' | 'host' | 'seed' | 'token'> = {},
  routeModules: readonly RouteModule[] = OPTIONAL_ROUTE_MODULES,
): CliCommand {
  return {
    name: 'serve',
    summary: 'run the HTTP sidecar (REST API, per-thread session streams for JMeter)',
    help: HELP,
    async run(args: string[], io: CliIo): Promise<number> {
      const { values } = parseCommandArgs(args, SERVE_FLAGS, 0);
      if (values.help === true) {
        io.stdout.write(HELP);
        return 0;
      }
      const port = integerFlag('port', values.port as string | undefined, 0, 65535) ?? 8099;
      const host = (values.host as string | undefined) ?? '127.0.0.1';
      if (host.length === 0) throw new UsageError('--host is empty; give an interface such as 127.0.0.1 or 0.0.0.0');
      let seed: string | undefined;
      if (values.seed !== undefined) {
        try {
          seed = normalizeSeed(values.seed, '--seed');
        } catch (err) {
          throw new UsageError((err as Error).message);
        }
      }
      const token = (values.token as string | undefined) ?? (process.env.MOCKJUTSU_TOKEN || undefined);
      if (token !== undefined && !/^[\x21-\x7e]{1,1024}$/.test(token)) {
        throw new UsageError('--token must be 1 to 1024 visible ASCII characters (no spaces)');
      }
      const maxLiveStreams = integerFlag('max-streams', values['max-streams'] as string | undefined, 1, 10_000_000);
      const graceS = integerFlag('shutdown-timeout', values['shutdown-timeout'] as string | undefined, 0, 3600);
      const graceMs = graceS === undefined ? DEFAULT_TIMEOUTS.shutdownGraceMs : graceS * 1000;

      let modules;
      try {
        modules = await loadRouteModules(routeModules);
      } catch (err) {
        io.stderr.write(`mockjutsu serve: cannot load extra routes: ${(err as Error).message}\n`);
        return 1;
      }
      let sidecar;
      try {
        sidecar = await startSidecar({
          ...extra,
          routes: [...(extra.routes ?? []), ...modules.routes],
          openapiSchemas: { ...extra.openapiSchemas, ...modules.schemas },
          port,
          host,
          seed,
          token,
          sessions: { ...extra.sessions, ...(maxLiveStreams === undefined ? {} : { maxLiveStreams }) },
          log: extra.log ?? ((line) => void io.stderr.write(line + '\n')),
        });
      } catch (err) {
        io.stderr.write(`mockjutsu serve: cannot listen on ${host}:${port}: ${(err as Error).message}\n`);
        return 1;
      }
      io.stdout.write(`mockjutsu sidecar listening on ${sidecar.url} (seed ${sidecar.seed})\n`);

      const running = sidecar;
      await new Promise<void>((resolve) => {
        let stopping = false;
        const onSignal = (signal: NodeJS.Signals): void => {
          if (stopping) {
            io.stderr.write(`mockjutsu sidecar: ${signal} again: closing every connection now\n`);
            running.server.closeAllConnections();
            return;
          }
          stopping = true;
          io.stderr.write(`mockjutsu sidecar: ${signal}: stopped accepting; finishing ${running.inFlight()} in-flight request(s) (up to ${graceMs / 1000} s)\n`);
          running.close(graceMs).then(() => {
            process.off('SIGTERM', onSignal);
            process.off('SIGINT', onSignal);
            resolve();
          });
        };
        process.on('SIGTERM', onSignal);
        process.on('SIGINT', onSignal);
      });
      io.stderr.write('mockjutsu sidecar: stopped\n');
      return 0;
    },
  };
}

/**
 * `mockjutsu serve`: the CLI dispatcher routes `serve` here. The event store adds its
 * `--store FILE [--fsync]` flags around the plain command (src/sidecar/store/).
 */
export const serveCommand: CliCommand = withReplayStore(createServeCommand);
