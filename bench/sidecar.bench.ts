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
