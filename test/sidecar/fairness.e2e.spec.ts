import assert from 'node:assert/strict';
import { get } from 'node:http';
import { spawn } from 'node:child_process';
import { spawnServe, type ChildSidecar } from './sidecarTestKit.js';

/**
 * Four fast readers in their own process (so that the probing process stays idle between
 * probes): each asks for a 10,000,000-session NDJSON bulk and throws the bytes away as they
 * come. On SIGTERM it prints the bytes each one got.
 */
const READERS = `
const { connect } = require('node:net');
const [port, n] = process.argv.slice(1).map(Number);
const bytes = [];
for (let i = 0; i < n; i++) {
  bytes.push(0);
  const s = connect(port, '127.0.0.1');
  s.on('error', () => {});
  s.on('data', (c) => (bytes[i] += c.length));
  s.write('GET /bulk/event_stream?count=10000000&seed=' + (i + 1) + '&format=ndjson HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n');
}
process.on('SIGTERM', () => { process.stdout.write(JSON.stringify(bytes)); process.exit(0); });
`;

function startReaders(port: number, n: number): { stop(): Promise<number[]> } {
  const child = spawn(process.execPath, ['-e', READERS, String(port), String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    async stop() {
      child.kill('SIGTERM');
      await exited;
      return JSON.parse(out || '[]') as number[];
    },
  };
}

/** Milliseconds from opening a new connection to the end of a GET /health answer. */
function healthLatency(url: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    get(`${url}/health`, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`status ${res.statusCode}`))));
    }).on('error', reject);
  });
}

describe('sidecar fairness: fast bulk readers do not freeze the server', function () {
  this.timeout(60_000);
  let c: ChildSidecar;
  before(async () => {
    c = await spawnServe(['--port', '0', '--seed', '1']);
  });
  after(async () => {
    c.child.kill('SIGKILL');
    await c.exited;
  });

  /** One measurement: `probes` sequential /health requests while the readers stream; the sorted latencies. */
  async function measure(probes: number): Promise<number[]> {
    const latencies: number[] = [];
    const until = performance.now() + 4000;
    while (performance.now() < until && latencies.length < probes) {
      latencies.push(await healthLatency(c.url));
      await new Promise((r) => setTimeout(r, 10));
    }
    return latencies.sort((a, b) => a - b);
  }

  it('GET /health p99 < 50 ms (new connection each time) while 4 clients stream 10,000,000-session bulks', async () => {
    const port = Number(new URL(c.url).port);
    const readers = startReaders(port, 4);
    let streamed: number[] = [];
    try {
      await new Promise((r) => setTimeout(r, 500)); // the streams are running flat out
      // Before the fix /health waited seconds, every time. On a machine shared with other
      // heavy jobs (load 10 on 2 cores) an idle server's own /health p99 was measured at
      // 14-48 ms, scheduling hiccups alone; so up to three measurements are taken, and one of
      // them must meet the bound on its own.
      const runs: string[] = [];
      let p99 = Infinity;
      for (let attempt = 0; attempt < 3 && p99 >= 50; attempt++) {
        const latencies = await measure(150);
        assert.ok(latencies.length >= 100, `only ${latencies.length} probes in 4 s`);
        p99 = latencies[Math.ceil(latencies.length * 0.99) - 1]!;
        runs.push(`${latencies.length} probes: p50 ${latencies[latencies.length >> 1]!.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, worst ${latencies.at(-1)!.toFixed(0)} ms`);
      }
      streamed = await readers.stop();
      console.log(`      ${runs.join('; ')}; streamed ${streamed.map((b) => (b / 1e6).toFixed(0)).join(' / ')} MB`);
      assert.ok(p99 < 50, `/health p99 >= 50 ms: ${runs.join('; ')}`);
      for (const b of streamed) assert.ok(b > 10_000_000, `every stream moved (${streamed.join(', ')} bytes)`);
      assert.equal(streamed.length, 4);
    } finally {
      if (streamed.length === 0) await readers.stop();
    }
  });
});
