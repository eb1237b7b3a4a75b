import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventStream } from '../../src/core/index.js';
import { ndjsonChunks } from '../../src/formats/index.js';
import { eventCsvChunks } from '../../src/formats/csvSerializer.js';
import { finished, runCli, startCli } from './cliHarness.js';
import { requirePart } from '../support/realParts.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `dir` holds a temp file of `name` of at least `bytes`; returns its name. */
async function tempFileGrows(dir: string, name: string, bytes: number): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const temp = readdirSync(dir).find((f) => f.startsWith(`.${name}.tmp-`));
    if (temp !== undefined && statSync(join(dir, temp)).size >= bytes) return temp;
    if (Date.now() > deadline) throw new Error(`no temp file for ${name} grew to ${bytes} bytes`);
    await sleep(50);
  }
}

describe('mockjutsu output safety (e2e)', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mj-out-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('--out FILE', () => {
    it('writes the same bytes as stdout, and leaves no temp file', async () => {
      const out = join(dir, 'sessions.ndjson');
      const r = await runCli(['export', 'event_stream', '--count', '200', '--seed', 'out', '--out', out]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.length, 0);
      assert.equal(readFileSync(out, 'utf8'), [...ndjsonChunks(eventStream({ seed: 'out', sessions: 200 }))].join(''));
      assert.deepEqual(readdirSync(dir), ['sessions.ndjson']);
    });

    it('takes the format from the extension when --format is absent', async () => {
      const out = join(dir, 'sessions.csv');
      const r = await runCli(['export', 'event_stream', '--count', '20', '--seed', 'ext', '-o', out]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(readFileSync(out, 'utf8'), [...eventCsvChunks(eventStream({ seed: 'ext', sessions: 20 }))].join(''));
    });

    it('replaces an existing file whole', async () => {
      const out = join(dir, 'x.json');
      writeFileSync(out, 'old content');
      const r = await runCli(['bulk', 'user', '--count', '3', '--seed', '1', '--out', out]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(readFileSync(out, 'utf8')).length, 3);
    });

    it('refuses a directory (exit 2) and creates nothing', async () => {
      const r = await runCli(['export', 'event_stream', '--count', '1', '--seed', '1', '--out', dir]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--out ".*" is a directory/);
      assert.deepEqual(readdirSync(dir), []);
    });

    it('SIGKILL mid-write: nothing appears under the final name', async () => {
      const child = startCli(['export', 'event_stream', '--count', '10000000', '--seed', 'kill', '--out', join(dir, 'big.ndjson')]);
      const done = finished(child);
      const temp = await tempFileGrows(dir, 'big.ndjson', 1 << 20);
      child.kill('SIGKILL');
      const r = await done;
      assert.equal(r.signal, 'SIGKILL');
      assert.ok(!existsSync(join(dir, 'big.ndjson')));
      assert.ok(existsSync(join(dir, temp)), 'the temp file of the killed run is what is left');

      // The next run to the same name removes the dead run's temp file.
      const again = await runCli(['export', 'event_stream', '--count', '2', '--seed', 'kill', '--out', join(dir, 'big.ndjson')]);
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(readdirSync(dir), ['big.ndjson']);
    });

    it('keeps the temp file of a run that is still alive', async () => {
      const live = `.x.ndjson.tmp-${process.pid}-00000000`;
      writeFileSync(join(dir, live), 'a run in progress');
      const r = await runCli(['export', 'event_stream', '--count', '2', '--seed', 'k', '--out', join(dir, 'x.ndjson')]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(readdirSync(dir).sort(), [live, 'x.ndjson']);
    });

    for (const [signal, code] of [['SIGHUP', 129], ['SIGINT', 130], ['SIGTERM', 143]] as const) {
      it(`${signal} mid-write: exit ${code}, temp file removed, the previous file untouched`, async () => {
        const out = join(dir, 'big.csv');
        writeFileSync(out, 'previous export\r\n');
        const child = startCli(['export', 'event_stream', '--count', '10000000', '--seed', 'int', '--format', 'csv', '--out', out]);
        const done = finished(child);
        await tempFileGrows(dir, 'big.csv', 1 << 20);
        child.kill(signal);
        const r = await done;
        assert.equal(r.code, code, r.stderr);
        assert.match(r.stderr, new RegExp(`interrupted by ${signal}; nothing written to .*big.csv`));
        assert.deepEqual(readdirSync(dir), ['big.csv']);
        assert.equal(readFileSync(out, 'utf8'), 'previous export\r\n');
      });
    }
  });

  describe('--out onto something that is not a regular file', () => {
    const expected = () => [...ndjsonChunks(eventStream({ seed: 'dev', sessions: 50 }))].join('');

    it('a character device is written through and stays a device (mknod c 1 3, as /dev/null)', async function () {
      requirePart(this, process.getuid?.() === 0, 'root, to mknod a character device');
      const node = join(dir, 'n');
      execFileSync('mknod', ['-m', '666', node, 'c', '1', '3']);
      const r = await runCli(['export', 'event_stream', '--count', '50', '--seed', 'dev', '--out', node]);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(lstatSync(node).isCharacterDevice(), 'still a character device');
      assert.deepEqual(readdirSync(dir), ['n']);
    });

    it('a FIFO is written through to its reader and stays a FIFO', async () => {
      const fifo = join(dir, 'f');
      execFileSync('mkfifo', [fifo]);
      const reader = new Promise<string>((resolve, reject) => {
        const cat = spawn('cat', [fifo]);
        const out: Buffer[] = [];
        cat.stdout.on('data', (b: Buffer) => out.push(b));
        cat.on('error', reject);
        cat.on('close', () => resolve(Buffer.concat(out).toString('utf8')));
      });
      const r = await runCli(['export', 'event_stream', '--count', '50', '--seed', 'dev', '--out', fifo]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await reader, expected());
      assert.ok(lstatSync(fifo).isFIFO(), 'still a FIFO');
    });

    it('SIGTERM while the FIFO\'s reader stalls ends the run at once (it waited for the reader before)', async () => {
      const fifo = join(dir, 'stalled');
      execFileSync('mkfifo', [fifo]);
      // A reader that opens the FIFO and never reads: the writer blocks once the pipe is full.
      const reader = spawn('sh', ['-c', `exec 3<"${fifo}"; sleep 60`], { stdio: 'ignore' });
      try {
        const child = startCli(['export', 'event_stream', '--count', '100000', '--seed', 'dev', '--out', fifo]);
        const done = finished(child);
        await sleep(1500);
        assert.equal(child.exitCode, null, 'still writing into the full FIFO');
        const killedAt = Date.now();
        child.kill('SIGTERM');
        const r = await Promise.race([done, sleep(10_000).then(() => undefined)]);
        assert.ok(r !== undefined, 'the run did not end within 10 s of SIGTERM');
        assert.equal(r.signal, 'SIGTERM');
        assert.ok(Date.now() - killedAt < 5_000);
        assert.ok(lstatSync(fifo).isFIFO(), 'still a FIFO');
      } finally {
        reader.kill('SIGKILL');
      }
    });

    it('a symlink to /proc/self/fd/1 writes to the process stdout and stays a symlink', async () => {
      const link = join(dir, 'l');
      symlinkSync('/proc/self/fd/1', link);
      const r = await runCli(['export', 'event_stream', '--count', '50', '--seed', 'dev', '--out', link]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.toString('utf8'), expected());
      assert.equal(readlinkSync(link), '/proc/self/fd/1');
    });

    it('a symlink to a file keeps the link and replaces the file it names; a dangling one creates it', async () => {
      writeFileSync(join(dir, 'target.ndjson'), 'old');
      symlinkSync('target.ndjson', join(dir, 'link.ndjson'));
      symlinkSync('created.ndjson', join(dir, 'dangling.ndjson'));
      for (const name of ['link.ndjson', 'dangling.ndjson']) {
        const r = await runCli(['export', 'event_stream', '--count', '50', '--seed', 'dev', '--out', join(dir, name)]);
        assert.equal(r.code, 0, r.stderr);
        assert.ok(lstatSync(join(dir, name)).isSymbolicLink(), `${name} is still a symlink`);
      }
      assert.equal(readFileSync(join(dir, 'target.ndjson'), 'utf8'), expected());
      assert.equal(readFileSync(join(dir, 'created.ndjson'), 'utf8'), expected());
    });
  });

  describe('stdout', () => {
    it('a reader that goes away (| head) ends the run quietly with exit 0', async () => {
      const child = startCli(['export', 'event_stream', '--count', '10000000', '--seed', 'pipe']);
      const done = finished(child);
      await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
      child.stdout!.destroy();
      const r = await done;
      assert.equal(r.code, 0);
      assert.equal(r.stderr, '');
    });

    it('draws no progress bar when stderr is not a terminal', async () => {
      const r = await runCli(['export', 'event_stream', '--count', '3000', '--seed', 'quiet']);
      assert.equal(r.code, 0);
      assert.equal(r.stderr, '');
    });
  });
});
