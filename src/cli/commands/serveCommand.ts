import { readFileSync } from 'node:fs';
import { BUILT_IN_DOMAINS, createGenerator, MockjutsuError, normalizeSeed, type CompiledDomain } from '../../core/index.js';
import { EventLogCorruption, EventLogLocationError } from '../../store/index.js';
import { ServedTypes, startSidecar, loadMockEventSchemas, parseSchemaSpec, DEFAULT_TIMEOUTS, type RegisteredSchema, type RunningSidecar } from '../../sidecar/index.js';
import { openSidecarData, sidecarDataPlugin, type SidecarData } from '../../sidecar/sidecarData.js';
import { openReplayTarget, replayTargetPlugin, type ReplayTarget } from '../../replay/index.js';
import { UsageError, type CliCommand, type CliIo } from '../cliCommand.js';
import { parseCommandArgs, parseIntegerFlag } from '../commandArgs.js';
import { parseUsersFlag } from '../generatorFlags.js';
import { applyServeParams, loadDomainFlag } from '../domainFlags.js';

const USAGE = 'mockjutsu serve [--port 8099] [--host 127.0.0.1] [--seed N] [--domain NAME|FILE]... [--param [DOMAIN.]NAME=VALUE]... [--users N|FILE] [--token-file FILE] [--store FILE [--fsync]] [--records-dir DIR [--record-format msgpack|ndjson]] [--pool NAME=FILE[:recyclable]]... [--schema NAME=FILE[#REF]]... [--max-streams 10000] [--shutdown-timeout 10] [--bulk-workers 0 [--bulk-worker-sessions 2000]]';

const HELP = `Usage: ${USAGE}

Runs the HTTP sidecar: the generator over REST, for JMeter, Gatling, Locust or anything that
speaks HTTP, and an event store to replay the traffic into. Prints
"mockjutsu sidecar listening on http://HOST:PORT (seed S)" once it listens.

Options:
  --port N              TCP port (default 8099; 0 picks a free port)
  --host H              interface to bind (default 127.0.0.1: this machine only). Any other
                        interface needs a token (or --insecure-public)
  --seed S              default seed of /sessions requests without one (default: random, printed)
  --domain NAME|FILE    also serve a domain's sessions, by its name: a built-in (${Object.keys(BUILT_IN_DOMAINS).join(', ')}) or a
                        domain file (JSON or YAML). GET /generate/NAME, /bulk/NAME, /sessions/:key/next?type=NAME
                        (JMeter: \${__mockjutsu_event_sourcing(NAME)}); the replay target and verify read its
                        events' envelope. Repeatable; the shop is always served (as event_stream and shop)
  --param [DOMAIN.]NAME=VALUE
                        set a param of the served --domain domains for every request of theirs
                        (repeatable): max_loans=1 sets it in every served domain that has it,
                        library.max_loans=1 in that domain only; the value takes the type of the
                        domain's own value
  --users N|FILE        users of the sessions served when a request names none (?users=): a count
                        (1..10000000, default 1000), or a file of users that exist in the system
                        under test (.msgpack as the recorder writes it, .ndjson, .json or .csv;
                        records with user_id or id): every session of /sessions, /generate and
                        /bulk then belongs to one of them, as export/verify --users FILE make them
  --token-file FILE     require "Authorization: Bearer <token>" on every endpoint but GET /health,
                        the token being FILE's first line (default: the MOCKJUTSU_TOKEN environment
                        variable, if set). --token T works too, but shows the token in ps
  --insecure-public     allow a non-local --host without a token (anyone who reaches it can write
                        to the event store); a warning is printed
  --store FILE          keep the event store in FILE (JSONL, one record per line; created when
                        missing, in a directory that must exist; reloaded when present; a torn
                        last line left by a crash is reported and cut off). Default: in memory,
                        lost when the sidecar stops
  --fsync               with --store: fsync every append before answering it (slower)
  --records-dir DIR     serve the recorder: POST /record/:name appends to DIR/NAME.msgpack (created
                        when missing) and to the live pool NAME, drawn by POST /pools/NAME/take
  --record-format F     msgpack (default; mite's format) or ndjson, for new record files
  --pool NAME=FILE[:recyclable]
                        a data pool over FILE (.msgpack, .ndjson, .jsonl, .json or .csv), loaded at
                        start: each item handed out once across all clients, then 410
                        POOL_EXHAUSTED; :recyclable goes round-robin forever. Repeatable
  --max-streams N       live per-key session streams kept in memory, about 12 KB each (default 10000)
  --shutdown-timeout S  on SIGTERM/SIGINT, seconds to let in-flight requests finish (default 10)
  --bulk-workers N      NDJSON event_stream bulks made by worker threads at once, off the event loop
                        (default 0: every bulk is made in the event loop in 64 K-character turns;
                        on 2 cores a worker per bulk cost more CPU than it saved: worth it with
                        cores to spare). A bulk beyond N is made in the event loop
  --bulk-worker-sessions N
                        with --bulk-workers: the fewest sessions of a bulk a worker makes
                        (default 2000; a smaller bulk is done before a worker starts)
  --schema NAME=FILE    serve mock events of a schema file (OpenAPI, JSON Schema, AsyncAPI or
                        EventBridge export; JSON or YAML) at GET /mock-event/NAME; repeatable.
                        FILE#REF picks a schema of the document (as mock-event --ref). Loaded and
                        compiled at start: a bad file stops serve (exit 2). NAME: A-Z a-z 0-9 _ . -
  -h, --help            this text

Endpoints (GET /openapi.json describes them all):
  GET  /health                      status, uptime, version (public)
  GET  /types                       the types served
  GET  /generate/:type              one item; ?seed=&session=&partition=&users=&start=&raw=1
  GET  /bulk/:type?count=N          N items (JSON up to 10,000; format=ndjson streams up to 10,000,000)
  POST /template                    {"types":["event_stream"],"count":1,"seed":42}
  GET  /sessions/:key/next          next event of a key's stream (?seed=&unit=event|session&from=)
  GET  /sessions/:key/batch?n=N     n items of a key's stream (&format=ndjson&from=&unit=&seed=)
  POST /mock-event                  {"schema": DOC, "ref": NAME}: mock events (?count=&seed=&mode=
                                    &envelope=&partition=&from=&start=&format=ndjson)
  GET  /mock-event[/NAME]           the registered schemas; events of one (same query)
  POST /streams/:id                 append a generated event, a batch (array, atomic) or
                                    {"expected_version": n, "event"|"events": ...}; expected version
                                    from the body or If-Match: a number (0 = new stream), no_stream,
                                    any (the default), stream_exists or *. 201; 200 with
                                    "duplicate": true for an event already stored; 409 when the
                                    expected version is not met
  GET  /streams/:id?from=&to=       the stream's records
  GET  /all?from=N&limit=M          the global log (next_from to page on)
  GET  /projections/orders[/:id]    the live orders projection
  GET  /pools                       the data pools: size, position, remaining
  POST /pools/:name/take?n=K        up to K items of a pool ({"items":[...],"exhausted":bool}); 410 when none is left
  POST /record/:name                (--records-dir) one JSON item or an array: recorded, and into the live pool
  GET  /records[/:name]             (--records-dir) the record files; one as NDJSON
Check a run afterwards with: mockjutsu verify --seed S --partitions P --sessions K --against FILE|URL
Stop it with SIGTERM or Ctrl-C: it stops accepting, finishes in-flight requests, exits 0.
`;

const SERVE_FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  seed: { type: 'string' },
  users: { type: 'string' },
  token: { type: 'string' },
  'token-file': { type: 'string' },
  'insecure-public': { type: 'boolean' },
  store: { type: 'string' },
  fsync: { type: 'boolean' },
  'records-dir': { type: 'string' },
  'record-format': { type: 'string' },
  pool: { type: 'string', multiple: true },
  'max-streams': { type: 'string' },
  'shutdown-timeout': { type: 'string' },
  'bulk-workers': { type: 'string' },
  'bulk-worker-sessions': { type: 'string' },
  schema: { type: 'string', multiple: true },
  domain: { type: 'string', multiple: true },
  param: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

/** An optional integer flag: undefined when absent (the CLI's parser and message otherwise). */
function integerFlag(name: string, value: string | undefined, min: number, max: number): number | undefined {
  return value === undefined ? undefined : parseIntegerFlag(value, '--' + name, min, max);
}

/** True for an interface only this machine can reach. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The token from --token, --token-file or MOCKJUTSU_TOKEN (one source), checked. */
function tokenOf(values: { token?: string; 'token-file'?: string }): string | undefined {
  if (values.token !== undefined && values['token-file'] !== undefined) throw new UsageError('--token and --token-file are both given; give one');
  let token = values.token;
  if (values['token-file'] !== undefined) {
    const file = values['token-file'];
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`--token-file ${JSON.stringify(file)} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    token = text.split(/\r?\n/, 1)[0]!.trim();
    if (token.length === 0) throw new UsageError(`--token-file ${JSON.stringify(file)} is empty; its first line must be the token`);
  }
  token ??= process.env.MOCKJUTSU_TOKEN || undefined;
  if (token !== undefined && !/^[\x21-\x7e]{1,1024}$/.test(token)) {
    throw new UsageError('the token must be 1 to 1024 visible ASCII characters (no spaces)');
  }
  return token;
}

/** `mockjutsu serve`: the sidecar with its replay target (in memory, or `--store FILE`). */
export const serveCommand: CliCommand = {
  name: 'serve',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs(args, SERVE_FLAGS, 0);
    if (values.help === true) {
      io.stdout.write(HELP);
      return 0;
    }
    const port = integerFlag('port', values.port, 0, 65535) ?? 8099;
    const host = values.host ?? '127.0.0.1';
    if (host.length === 0) throw new UsageError('--host is empty; give an interface such as 127.0.0.1 or 0.0.0.0');
    let seed: string | undefined;
    if (values.seed !== undefined) {
      try {
        seed = normalizeSeed(values.seed, '--seed');
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    }
    const users = values.users === undefined ? undefined : parseUsersFlag(values.users, '--users');
    if (users !== undefined) {
      try {
        createGenerator({ seed: seed ?? 1, users });
      } catch (err) {
        if (err instanceof MockjutsuError) throw new UsageError(`--users ${JSON.stringify(values.users)}: ${err.message}`);
        throw err;
      }
    }
    const token = tokenOf(values);
    const insecure = values['insecure-public'] === true;
    if (!isLoopback(host) && token === undefined && !insecure) {
      throw new UsageError(`--host ${host} would expose the sidecar, and writes to its event store, to other machines without a token; ` +
        'give --token-file FILE (or MOCKJUTSU_TOKEN), or --insecure-public to do it anyway');
    }
    if (values.fsync === true && values.store === undefined) throw new UsageError('--fsync only applies with --store FILE');
    if (values.store === '') throw new UsageError('--store needs a value: the JSONL file of the event store');
    const maxLiveStreams = integerFlag('max-streams', values['max-streams'], 1, 10_000_000);
    const graceS = integerFlag('shutdown-timeout', values['shutdown-timeout'], 0, 3600);
    const graceMs = graceS === undefined ? DEFAULT_TIMEOUTS.shutdownGraceMs : graceS * 1000;
    const bulkWorkers = integerFlag('bulk-workers', values['bulk-workers'], 0, 256);
    const bulkWorkerSessions = integerFlag('bulk-worker-sessions', values['bulk-worker-sessions'], 1, 10_000_000);
    if (bulkWorkerSessions !== undefined && !(bulkWorkers! > 0)) {
      throw new UsageError(`--bulk-worker-sessions only applies with --bulk-workers N (N >= 1); --bulk-workers is ${bulkWorkers === undefined ? 'not given' : bulkWorkers}`);
    }
    const log = (line: string): void => void io.stderr.write(line + '\n');
    if (!isLoopback(host) && token === undefined) {
      log(`mockjutsu sidecar: WARNING: --insecure-public: listening on ${host} without a token; anyone who reaches it can write to the event store`);
    }

    // schemas first: a bad file fails serve before anything is opened or bound
    let schemas: RegisteredSchema[];
    try {
      schemas = await loadMockEventSchemas((values.schema ?? []).map(parseSchemaSpec));
    } catch (err) {
      if (err instanceof MockjutsuError) throw new UsageError(err.message);
      throw err;
    }
    for (const s of schemas) log(`mockjutsu sidecar: schema ${s.name}: ${s.info.kind} ${s.info.name} (${s.info.pointer}) at GET /mock-event/${s.name}`);

    const loaded: CompiledDomain[] = [];
    for (const v of values.domain ?? []) loaded.push((await loadDomainFlag(v)).compiled);
    const domains = applyServeParams(values.param, loaded);
    try {
      new ServedTypes(domains); // names that clash stop serve now, before anything is opened
    } catch (err) {
      if (err instanceof MockjutsuError) throw new UsageError(`--domain: ${err.message}`);
      throw err;
    }
    for (const [i, d] of domains.entries()) {
      const params = d === loaded[i] ? '' : `, params ${Object.keys(d.params).map((k) => `${k}=${JSON.stringify(d.params[k])}`).join(' ')}`;
      log(`mockjutsu sidecar: domain ${d.name}: ${d.events.length} event types at GET /generate/${d.name}, /sessions/:key/next?type=${d.name}${params}`);
    }

    if (values['records-dir'] === '') throw new UsageError('--records-dir needs a value: the directory records are written to');
    const recordFormat = values['record-format'];
    if (recordFormat !== undefined && recordFormat !== 'msgpack' && recordFormat !== 'ndjson') {
      throw new UsageError(`--record-format is ${JSON.stringify(recordFormat)}; allowed: msgpack, ndjson`);
    }
    if (recordFormat !== undefined && values['records-dir'] === undefined) throw new UsageError('--record-format only applies with --records-dir DIR');
    let data: SidecarData;
    try {
      data = openSidecarData({ recordsDir: values['records-dir'], recordFormat, pools: values.pool });
    } catch (err) {
      io.stderr.write(`mockjutsu serve: ${(err as Error).message}\n`);
      return 2;
    }
    if (typeof users === 'object') log(`mockjutsu sidecar: users: ${users.length} records from ${values.users} (sessions of requests without ?users= belong to them)`);
    for (const p of data.pools.status()) {
      log(`mockjutsu sidecar: pool ${p.name}: ${p.size} items, ${p.recyclable ? 'recyclable' : 'each handed out once'}`);
    }

    let target: ReplayTarget;
    try {
      target = await openReplayTarget({ store: values.store, fsync: values.fsync === true, log, domains });
    } catch (err) {
      const why = err instanceof EventLogCorruption || err instanceof EventLogLocationError ? err.message : `cannot open ${values.store}: ${(err as Error).message}`;
      io.stderr.write(`mockjutsu serve: ${why}\n`);
      data.close();
      return 1;
    }
    if (target.file !== undefined) {
      log(`mockjutsu sidecar: event store ${target.file} (${target.initialRecords} events, fsync ${values.fsync === true ? 'on' : 'off'})`);
    }
    let sidecar: RunningSidecar;
    try {
      sidecar = await startSidecar({
        port,
        host,
        seed,
        users,
        token,
        plugins: [replayTargetPlugin(target), sidecarDataPlugin(data)],
        schemas,
        domains,
        sessions: maxLiveStreams === undefined ? undefined : { maxLiveStreams },
        limits: { ...(bulkWorkers === undefined ? {} : { bulkWorkers }), ...(bulkWorkerSessions === undefined ? {} : { bulkWorkerSessions }) },
        log,
      });
    } catch (err) {
      await target.close();
      data.close();
      io.stderr.write(`mockjutsu serve: cannot listen on ${host}:${port}: ${(err as Error).message}\n`);
      return 1;
    }
    const running = sidecar;
    const limits = sidecar.context.limits; // what the sidecar took, not the flags
    if (limits.bulkWorkers > 0) {
      log(`mockjutsu sidecar: NDJSON event_stream bulks of ${limits.bulkWorkerSessions} sessions or more made by up to ${limits.bulkWorkers} worker thread(s) at once`);
    }
    const stopped = new Promise<void>((resolve) => {
      let stopping = false;
      const onSignal = (signal: NodeJS.Signals): void => {
        if (stopping) {
          log(`mockjutsu sidecar: ${signal} again: closing every connection now`);
          running.server.closeAllConnections();
          return;
        }
        stopping = true;
        log(`mockjutsu sidecar: ${signal}: stopped accepting; finishing ${running.inFlight()} in-flight request(s) (up to ${graceMs / 1000} s)`);
        running.close(graceMs).then(() => {
          process.off('SIGTERM', onSignal);
          process.off('SIGINT', onSignal);
          resolve();
        });
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    });
    // Only now: whoever reads this line may signal at once, so the handlers must be in place.
    io.stdout.write(`mockjutsu sidecar listening on ${sidecar.url} (seed ${sidecar.seed})\n`);
    await stopped;
    log('mockjutsu sidecar: stopped');
    return 0;
  },
};
