// Sidecar throughput and latency against a bare node:http server returning a fixed 2 KB body,
// both measured in the same run, each server in its own child process so that the load
// generator (autocannon, in this process) never shares a server's event loop.
// Goal: GET /generate/event_stream?seed=... at >= 0.8x the bare server's requests/s, p99 < 5 ms.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { cpus, loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { createHash } from 'node:crypto';
import { get } from 'node:http';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';

interface AutocannonResult {
  errors: number;
  non2xx: number;
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  throughput: { average: number };
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CONNECTIONS = 64;
const SECONDS = Number(process.env.SIDECAR_BENCH_SECONDS ?? 5);
const WARMUP_SECONDS = 2;
/** Items per request of the batched pool draw (the JMeter function's recyclable batch). */
const POOL_BATCH = 64;

const BARE_SERVER = `
const http = require('node:http');
const body = Buffer.from(JSON.stringify({ status: 'ok', result: 'x'.repeat(2000) }).slice(0, 2048));
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));
`;

// What fastify itself costs: the same fixed body through a bare fastify route (no schema, no hooks).
const BARE_FASTIFY = `
const body = Buffer.from(JSON.stringify({ status: 'ok', result: 'x'.repeat(2000) }).slice(0, 2048));
const app = require('fastify')({ logger: false });
app.get('/', (req, reply) => { reply.header('Content-Type', 'application/json').send(body); });
app.listen({ port: 0, host: '127.0.0.1' }).then((url) => console.log('listening on ' + url));
`;

interface Server {
  name: string;
  url: string;
  child: ChildProcess;
}

function start(name: string, command: string, args: string[]): Promise<Server> {
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const m = /(http:\/\/[\d.]+:\d+)/.exec(line);
      if (m === null) reject(new Error(`${name}: unexpected output ${line}`));
      else resolve({ name, url: m[1]!, child });
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
}

/** The sidecar as users run it: the built CLI (`npm run bench` builds first). */
/** A recyclable pool of 100,000 users (never exhausted, so draws can go on for the whole bench). */
const POOL_ITEMS = 100_000;
function poolFile(dir: string): string {
  const file = join(dir, 'users.ndjson');
  writeFileSync(file, Array.from({ length: POOL_ITEMS }, (_, i) => JSON.stringify({ user_id: `u-${i}`, email: `user${i}@shop.test` }) + '\n').join(''));
  return file;
}

function startSidecar(pool: string): Promise<Server> {
  const cli = join(root, 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run node build.mjs first`);
  return start('sidecar', process.execPath, [cli, 'serve', '--port', '0', '--seed', '1', '--pool', `users=${pool}:recyclable`]);
}

/** A case's request: a path (GET), or `POST path`. */
function load(url: string, seconds: number, path: (i: number) => string): Promise<AutocannonResult> {
  let i = 0;
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{
      method: 'GET',
      setupRequest: (req: Record<string, unknown>) => {
        const p = path(i++);
        return p.startsWith('POST ') ? { ...req, method: 'POST', path: p.slice(5) } : { ...req, path: p };
      },
    }],
  });
}

interface Row {
  what: string;
  r: AutocannonResult;
}

/** Per-slice figures of one case, merged: requests/s over the whole time, median of the slice p50/p99. */
function merge(slices: AutocannonResult[]): AutocannonResult {
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return {
    errors: slices.reduce((a, r) => a + r.errors, 0),
    non2xx: slices.reduce((a, r) => a + r.non2xx, 0),
    requests: { total: slices.reduce((a, r) => a + r.requests.total, 0), average: slices.reduce((a, r) => a + r.requests.average, 0) / slices.length },
    latency: { p50: median(slices.map((r) => r.latency.p50)), p99: median(slices.map((r) => r.latency.p99)) },
    throughput: { average: slices.reduce((a, r) => a + r.throughput.average, 0) / slices.length },
  };
}

export default async function sidecarBench(): Promise<void> {
  // SIDECAR_BENCH_PARTS=bulk runs the bulk part only
  const parts = (process.env.SIDECAR_BENCH_PARTS ?? 'requests,bulk').split(',');
  if (parts.includes('requests')) await requestsBench();
  if (parts.includes('bulk')) await bulkBench();
}

async function requestsBench(): Promise<void> {
  const loadBefore = loadavg()[0]!;
  const bare = await start('bare node:http', process.execPath, ['-e', BARE_SERVER]);
  const bareFastify = await start('bare fastify', process.execPath, ['-e', BARE_FASTIFY]);
  const poolDir = mkdtempSync(join(tmpdir(), 'mockjutsu-bench-pool-'));
  const sidecar = await startSidecar(poolFile(poolDir));
  const rows: Row[] = [];
  try {
    const cases: Array<[string, Server, (i: number) => string]> = [
      ['bare node:http, fixed 2 KB body', bare, () => '/'],
      ['bare fastify, fixed 2 KB body (what fastify costs)', bareFastify, () => '/'],
      ['GET /generate/event_stream?seed=42', sidecar, () => '/generate/event_stream?seed=42'],
      ['  ... ?seed=<1 of 100>', sidecar, (i) => `/generate/event_stream?seed=${i % 100}`],
      ['  ... ?seed=42&session=<i> (never cached)', sidecar, (i) => `/generate/event_stream?seed=42&session=${i + 1_000_000}`],
      ['GET /sessions/<1 of 1000>/next', sidecar, (i) => `/sessions/k${i % 1000}/next`],
      ['POST /pools/users/take?n=1', sidecar, () => 'POST /pools/users/take?n=1'],
      [`POST /pools/users/take?n=${POOL_BATCH} (batched)`, sidecar, () => `POST /pools/users/take?n=${POOL_BATCH}`],
    ];
    for (const [, server, path] of cases) await load(server.url, WARMUP_SECONDS, path); // JIT and caches
    // Cases take turns in 1 s slices, so that load from elsewhere on the machine hits them alike.
    const slices: AutocannonResult[][] = cases.map(() => []);
    for (let round = 0; round < SECONDS; round++) {
      for (let c = 0; c < cases.length; c++) slices[c]!.push(await load(cases[c]![1].url, 1, cases[c]![2]));
    }
    cases.forEach(([what, server], c) => rows.push({ what: `${what} [${server.name}]`, r: merge(slices[c]!) }));
  } finally {
    bare.child.kill('SIGTERM');
    bareFastify.child.kill('SIGTERM');
    sidecar.child.kill('SIGTERM');
    rmSync(poolDir, { recursive: true, force: true });
  }
  const base = rows[0]!.r.requests.average;
  const table = rows.map(({ what, r }) => ({
    request: what,
    'req/s': Math.round(r.requests.average),
    'vs bare': (r.requests.average / base).toFixed(2) + 'x',
    'p50 ms': r.latency.p50,
    'p99 ms': r.latency.p99,
    'MB/s': (r.throughput.average / 1e6).toFixed(1),
    'errors+non2xx': r.errors + r.non2xx,
  }));
  console.log(`${CONNECTIONS} connections, ${SECONDS} x 1 s slices per case, taking turns, after warm-up; p50/p99: median over slices; autocannon runs in this process; ` +
    `${cpus().length} cores, load average ${loadBefore.toFixed(1)} before / ${loadavg()[0]!.toFixed(1)} after (other work on the machine skews absolute figures; the ratio is measured in the same run)`);
  console.table(table);
  const next = rows[5]!.r.requests.average;
  const one = rows[6]!.r.requests.average;
  const batched = rows[7]!.r.requests.average * POOL_BATCH;
  console.log(`pool draws through the sidecar: ${Math.round(one)} items/s one per request (${(one / next).toFixed(2)}x GET /sessions/:key/next requests/s), ` +
    `${Math.round(batched)} items/s ${POOL_BATCH} per request (${(batched / next).toFixed(1)}x GET /sessions/:key/next)`);
  const main = rows[2]!.r;
  const ratio = main.requests.average / base;
  console.log(`goal: >= 0.80x bare and p99 < 5 ms for GET /generate/event_stream?seed=42 -> ${ratio.toFixed(2)}x, p99 ${main.latency.p99} ms: ` +
    (ratio >= 0.8 && main.latency.p99 < 5 ? 'met' : 'NOT met') +
    `; bare fastify: ${(rows[1]!.r.requests.average / base).toFixed(2)}x`);
}

// ---------------------------------------------------------------------------- NDJSON bulks

/** Sessions of the measured bulk (~129 MB of NDJSON). */
const BULK_SESSIONS = Number(process.env.SIDECAR_BULK_SESSIONS ?? 20_000);
const BULK_ROUNDS = 3;

/**
 * The bulk route as it was before it took the export's path (kept here as the baseline): the
 * library's ndjsonChunks of eventStream in 16 K-character string chunks, each written as a
 * string (the socket encodes it), a setImmediate after each, 'drain' awaited, on bare node:http.
 */
const OLD_BULK_SERVER = `
const http = require('node:http');
const { setImmediate: turn } = require('node:timers/promises');
Promise.all([import(process.argv[1] + '/dist/core/index.js'), import(process.argv[1] + '/dist/formats/index.js')]).then(([core, formats]) => {
  const server = http.createServer(async (req, res) => {
    if (req.url === '/health') { res.writeHead(200, { 'Content-Type': 'application/json' }); res.end('{"status":"ok"}'); return; }
    const q = new URL(req.url, 'http://x').searchParams;
    let closed = false;
    res.on('close', () => (closed = true));
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8' });
    const events = core.eventStream({ seed: q.get('seed'), sessions: Number(q.get('count')) });
    for (const chunk of formats.ndjsonChunks(events, 16 * 1024)) {
      if (closed) return;
      if (!res.write(chunk)) await new Promise((r) => { const done = () => { res.off('drain', done); res.off('close', done); r(); }; res.on('drain', done); res.on('close', done); });
      await turn();
    }
    res.end();
  });
  server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));
});
`;

/** The sidecar from the library, with its bulks made by worker threads (limits.bulkWorkers). */
const WORKER_SIDECAR = `
import(process.argv[1] + '/dist/sidecar/index.js').then(async (m) => {
  const s = await m.startSidecar({ port: 0, seed: 1, limits: { bulkWorkers: 4, bulkWorkerSessions: 1 } });
  console.log('listening on ' + s.url);
});
`;

/** CPU seconds (user + system, every thread, exited ones included) of a process so far. */
function processCpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

function fetchBulk(url: string): Promise<{ bytes: number; md5: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      const hash = createHash('md5');
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        hash.update(c);
      });
      res.on('end', () => resolve({ bytes, md5: hash.digest('hex') }));
    }).on('error', reject);
  });
}

/** p50/p99 of GET /health (new connection each) while 4 clients stream 10,000,000-session bulks. */
async function healthUnderBulks(server: Server): Promise<{ p50: number; p99: number; probes: number; mbEach: number }> {
  const port = Number(new URL(server.url).port);
  const got = [0, 0, 0, 0];
  const sockets = got.map((_, i) => {
    const so = connect(port, '127.0.0.1');
    so.on('error', () => undefined);
    so.on('data', (c: Buffer) => (got[i] += c.length));
    so.write(`GET /bulk/event_stream?count=10000000&seed=${i + 1}&format=ndjson HTTP/1.1\r\nHost: x\r\n\r\n`);
    return so;
  });
  await new Promise((r) => setTimeout(r, 500));
  const latencies: number[] = [];
  const until = performance.now() + 4000;
  while (performance.now() < until && latencies.length < 150) {
    const t0 = performance.now();
    await new Promise<void>((resolve, reject) => get(`${server.url}/health`, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    }).on('error', reject));
    latencies.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 10));
  }
  for (const so of sockets) so.destroy();
  await new Promise((r) => setTimeout(r, 300));
  latencies.sort((a, b) => a - b);
  return { p50: latencies[latencies.length >> 1]!, p99: latencies[Math.ceil(latencies.length * 0.99) - 1]!, probes: latencies.length, mbEach: got.reduce((a, b) => a + b, 0) / 4 / 1e6 };
}

/**
 * GET /bulk/event_stream?format=ndjson of BULK_SESSIONS sessions, one stream at a time: the
 * server's CPU seconds (best of BULK_ROUNDS, the servers taking turns) against the route as it
 * was (OLD_BULK_SERVER) in the same run; then /health latency while 4 bulks stream.
 */
async function bulkBench(): Promise<void> {
  const loadBefore = loadavg()[0]!;
  const servers: Server[] = [
    await start('before: ndjsonChunks(eventStream) as strings, bare node:http', process.execPath, ['-e', OLD_BULK_SERVER, root]),
    await start('sidecar: the export\'s path in the event loop (default)', process.execPath, [join(root, 'dist', 'cli.js'), 'serve', '--port', '0', '--seed', '1']),
    await start('sidecar: limits.bulkWorkers (a worker thread per bulk)', process.execPath, ['-e', WORKER_SIDECAR, root]),
  ];
  const cpu = servers.map(() => Infinity);
  const wall = servers.map(() => Infinity);
  const health: Array<Awaited<ReturnType<typeof healthUnderBulks>>> = [];
  try {
    for (const s of servers) await fetchBulk(`${s.url}/bulk/event_stream?count=2000&seed=0&format=ndjson`); // warm-up
    let bytes = 0;
    for (let round = 0; round < BULK_ROUNDS; round++) {
      let md5: string | undefined;
      for (const [i, s] of servers.entries()) {
        const c0 = processCpuSeconds(s.child.pid!);
        const t0 = performance.now();
        const r = await fetchBulk(`${s.url}/bulk/event_stream?count=${BULK_SESSIONS}&seed=${round + 1}&format=ndjson`);
        wall[i] = Math.min(wall[i]!, (performance.now() - t0) / 1000);
        cpu[i] = Math.min(cpu[i]!, processCpuSeconds(s.child.pid!) - c0);
        if (md5 !== undefined && r.md5 !== md5) throw new Error(`${s.name}: other bytes than the baseline's for seed ${round + 1}`);
        md5 = r.md5;
        bytes = r.bytes;
      }
    }
    for (const s of servers) health.push(await healthUnderBulks(s));
    console.log(`\nNDJSON bulk of ${BULK_SESSIONS} sessions (${(bytes / 1e6).toFixed(0)} MB, same bytes from each), one stream, best of ${BULK_ROUNDS} rounds taking turns; ` +
      `server CPU seconds (every thread); /health while 4 clients stream; load average ${loadBefore.toFixed(1)} before / ${loadavg()[0]!.toFixed(1)} after`);
    console.table(servers.map((s, i) => ({
      server: s.name,
      'cpu s': cpu[i]!.toFixed(2),
      'MB per cpu s': (bytes / 1e6 / cpu[i]!).toFixed(0),
      'vs before (cpu)': (cpu[0]! / cpu[i]!).toFixed(2) + 'x',
      'wall s': wall[i]!.toFixed(2),
      'vs before (wall)': (wall[0]! / wall[i]!).toFixed(2) + 'x',
      '/health p50 ms': health[i]!.p50.toFixed(1),
      '/health p99 ms': health[i]!.p99.toFixed(1),
      'MB each in 4.5 s': health[i]!.mbEach.toFixed(0),
    })));
  } finally {
    for (const s of servers) s.child.kill('SIGTERM');
  }
}
