import assert from 'node:assert/strict';
import { request as httpRequest, createServer, type IncomingMessage } from 'node:http';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { createSessionStream, eventStream, jutsu } from '../../src/core/index.js';
import { ndjsonChunks } from '../../src/formats/index.js';
import { serveCommand } from '../../src/cli/commands/serveCommand.js';
import { UsageError } from '../../src/cli/cliCommand.js';
import { CLI, call, errorOf, repoRoot, spawnServe, type ChildSidecar } from './sidecarTestKit.js';

/** Opens a streaming GET and resolves once the first bytes arrived, the response paused. */
function openStream(url: string): Promise<{ res: IncomingMessage; rest: () => Promise<{ text: string; complete: boolean }> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let complete = false;
      const ended = new Promise<void>((done) => {
        res.on('end', () => {
          complete = true;
          done();
        });
        res.on('close', () => done());
        res.on('error', () => done());
      });
      res.once('data', (c: Buffer) => {
        chunks.push(c);
        res.pause();
        res.on('data', (more: Buffer) => chunks.push(more));
        resolve({ res, rest: async () => (res.resume(), await ended, { text: Buffer.concat(chunks).toString('utf8'), complete }) });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const refused = (url: string): Promise<boolean> =>
  call(url, '/health', { agent: false }).then(() => false, (e: NodeJS.ErrnoException) => e.code === 'ECONNREFUSED');

/** `mockjutsu serve ...args` that must exit without listening. */
function serveFails(args: string[], env: NodeJS.ProcessEnv = process.env): { status: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, [CLI, 'serve', ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 15_000, env });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

const withoutToken = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  delete env.MOCKJUTSU_TOKEN;
  return env;
};

describe('mockjutsu serve as a child process (node dist/cli.js serve)', function () {
  this.timeout(30_000);
  let c: ChildSidecar | undefined;
  const tmp = mkdtempSync(join(tmpdir(), 'mockjutsu-serve-'));
  afterEach(async () => {
    if (c !== undefined && c.child.exitCode === null && c.child.signalCode === null) {
      c.child.kill('SIGKILL');
      await c.exited;
    }
    c = undefined;
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('binds 127.0.0.1 on a free port, reports the seed, and SIGTERM lets an in-flight NDJSON stream complete, exit 0', async () => {
    c = await spawnServe(['--port', '0', '--seed', '77']);
    assert.match(c.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(c.seed, '77');
    const next = await call(c.url, '/sessions/t/next', { agent: false });
    assert.equal(next.body, JSON.stringify(createSessionStream({ seed: 77, partition: 't' }).next()));

    const stream = await openStream(`${c.url}/bulk/event_stream?count=3000&seed=5&format=ndjson`);
    c.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await refused(c.url), true, 'stopped accepting connections');
    const { text, complete } = await stream.rest();
    assert.equal(complete, true);
    assert.equal(text, [...ndjsonChunks(eventStream({ seed: 5, sessions: 3000 }))].join(''));
    assert.equal(await c.exited, 0);
    assert.match(c.stderr(), /SIGTERM: stopped accepting; finishing 1 in-flight request/);
  });

  it('without --seed picks a random default seed, printed on stdout (not on the public /health)', async () => {
    c = await spawnServe(['--port', '0']);
    assert.match(c.seed, /^\d+$/);
    const health = JSON.parse((await call(c.url, '/health', { agent: false })).body) as Record<string, unknown>;
    assert.equal(health.seed, undefined);
    const next = await call(c.url, '/sessions/t/next', { agent: false });
    assert.equal(next.body, JSON.stringify(createSessionStream({ seed: c.seed, partition: 't' }).next()));
    c.child.kill('SIGINT');
    assert.equal(await c.exited, 0);
  });

  it('cuts a stream still running at the shutdown deadline, then exits 0', async () => {
    c = await spawnServe(['--port', '0', '--seed', '1', '--shutdown-timeout', '1']);
    const stream = await openStream(`${c.url}/bulk/event_stream?count=10000000&seed=1&format=ndjson`);
    c.child.kill('SIGTERM');
    assert.equal(await c.exited, 0);
    const { complete } = await stream.rest();
    assert.equal(complete, false, 'a cut stream must not look complete');
  });

  it('--bulk-workers: NDJSON bulks from --bulk-worker-sessions on are made by a worker thread, the library\'s bytes', async () => {
    c = await spawnServe(['--port', '0', '--seed', '8', '--bulk-workers', '1', '--bulk-worker-sessions', '50']);
    assert.match(c.stderr(), /NDJSON event_stream bulks of 50 sessions or more made by up to 1 worker thread\(s\) at once/);
    // two at once: the first by the worker, the second (one worker at most) in the event loop
    const [a, b] = await Promise.all([
      call(c.url, '/bulk/event_stream?count=120&seed=9&partition=w&format=ndjson', { agent: false }),
      call(c.url, '/bulk/event_stream?count=60&seed=9&format=ndjson', { agent: false }),
    ]);
    assert.equal(a.body, [...ndjsonChunks(eventStream({ seed: 9, partition: 'w', sessions: 120 }))].join(''));
    assert.equal(b.body, [...ndjsonChunks(eventStream({ seed: 9, sessions: 60 }))].join(''));
  });

  it('serves the generator through the real bin, byte for byte', async () => {
    c = await spawnServe(['--port', '0', '--seed', '31']);
    const a = await call(c.url, '/generate/event_stream?seed=31&raw=1', { agent: false });
    assert.equal(a.body, JSON.stringify(jutsu.generate('event_stream', { seed: 31 })));
  });

  describe('the token (not in ps: from MOCKJUTSU_TOKEN or --token-file)', () => {
    const check = async (url: string, token: string): Promise<void> => {
      assert.equal((await call(url, '/health', { agent: false })).status, 200);
      const denied = await call(url, '/types', { agent: false });
      assert.equal(denied.status, 401);
      assert.equal(errorOf(denied).code, 'UNAUTHORIZED');
      assert.equal((await call(url, '/types', { agent: false, headers: { Authorization: `bearer ${token}` } })).status, 200);
    };

    it('--token-file FILE: the first line of FILE', async () => {
      const file = join(tmp, 'token');
      writeFileSync(file, 'from-a-file-42\n');
      c = await spawnServe(['--port', '0', '--token-file', file], withoutToken());
      await check(c.url, 'from-a-file-42');
    });

    it('MOCKJUTSU_TOKEN in the environment', async () => {
      c = await spawnServe(['--port', '0'], { ...withoutToken(), MOCKJUTSU_TOKEN: 'from-the-env-7' });
      await check(c.url, 'from-the-env-7');
    });

    it('a missing or empty --token-file, or both --token and --token-file, exit 2 naming the problem', () => {
      const empty = join(tmp, 'empty');
      writeFileSync(empty, '\n');
      for (const [args, message] of [
        [['--token-file', join(tmp, 'nope')], /--token-file ".*nope" cannot be read: ENOENT/],
        [['--token-file', empty], /--token-file ".*empty" is empty; its first line must be the token/],
        [['--token', 'a', '--token-file', empty], /--token and --token-file are both given; give one/],
      ] as const) {
        const r = serveFails([...args, '--port', '0'], withoutToken());
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, message);
      }
    });
  });

  describe('a public --host', () => {
    it('without a token is refused (exit 2, nothing listens), for 0.0.0.0 and ::', () => {
      for (const host of ['0.0.0.0', '::']) {
        const r = serveFails(['--host', host, '--port', '0'], withoutToken());
        assert.equal(r.status, 2, r.stderr);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, new RegExp(`--host ${host.replace(/\./g, '\\.')} would expose the sidecar, and writes to its event store, to other machines without a token; give --token-file FILE \\(or MOCKJUTSU_TOKEN\\), or --insecure-public`));
      }
    });

    it('with --insecure-public starts, after a warning', async () => {
      c = await spawnServe(['--host', '0.0.0.0', '--port', '0', '--insecure-public'], withoutToken());
      assert.match(c.url, /^http:\/\/0\.0\.0\.0:\d+$/);
      assert.match(c.stderr(), /WARNING: --insecure-public: listening on 0\.0\.0\.0 without a token; anyone who reaches it can write to the event store/);
      c.child.kill('SIGTERM');
      assert.equal(await c.exited, 0);
    });
  });

  it('--store in a missing directory exits 1 with a clear message and creates nothing', () => {
    const missing = join(tmp, 'no', 'such', 'dir');
    const r = serveFails(['--port', '0', '--store', join(missing, 'x.jsonl')]);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, `mockjutsu serve: cannot open the event store ${join(missing, 'x.jsonl')}: directory ${missing} does not exist; create it first\n`);
    assert.equal(existsSync(join(tmp, 'no')), false);
  });

  it('bad flags exit 2 with a message naming the flag', () => {
    for (const [args, re] of [
      [['--port', 'abc'], /--port is "abc"; allowed: an integer from 0 to 65535/],
      [['--port', '70000'], /--port is "70000"/],
      [['--bogus'], /unknown option --bogus; allowed: --port, --host/],
      [['--seed', ''], /--seed is ""/],
      [['--fsync'], /--fsync only applies with --store FILE/],
      [['--bulk-workers', '-1'], /--bulk-workers is "-1"; allowed: an integer from 0 to 256/],
      [['--bulk-worker-sessions', '10'], /--bulk-worker-sessions only applies with --bulk-workers N \(N >= 1\); --bulk-workers is not given/],
      [['--bulk-workers', '0', '--bulk-worker-sessions', '10'], /--bulk-worker-sessions only applies with --bulk-workers N \(N >= 1\); --bulk-workers is 0/],
      [['--bulk-workers', '1', '--bulk-worker-sessions', '0'], /--bulk-worker-sessions is "0"; allowed: an integer from 1 to 10000000/],
      [['extra'], /unexpected argument "extra"; this command takes no arguments/],
    ] as const) {
      const r = serveFails([...args]);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
    }
  });

  describe('serveCommand in-process', () => {
    const io = () => {
      const out = new PassThrough();
      const err = new PassThrough();
      let o = '';
      let e = '';
      out.on('data', (chunk: Buffer) => (o += chunk));
      err.on('data', (chunk: Buffer) => (e += chunk));
      return { io: { stdout: out, stderr: err }, out: () => o, err: () => e };
    };

    it('throws UsageError for bad flags and prints help for --help', async () => {
      const x = io();
      await assert.rejects(serveCommand.run(['--max-streams', '0'], x.io), UsageError);
      assert.equal(await serveCommand.run(['--help'], x.io), 0);
      assert.match(x.out(), /^Usage: mockjutsu serve \[--port 8099\] .*\[--store FILE \[--fsync\]\]/);
      assert.match(x.out(), /POST \/streams\/:id/);
      assert.equal(serveCommand.name, 'serve');
    });

    it('exits 1 with a message when the port is taken', async () => {
      const blocker = createServer();
      await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
      try {
        const x = io();
        const port = String((blocker.address() as AddressInfo).port);
        assert.equal(await serveCommand.run(['--port', port], x.io), 1);
        assert.match(x.err(), /cannot listen on 127\.0\.0\.1:\d+: .*EADDRINUSE/);
      } finally {
        blocker.close();
      }
    });
  });
});
