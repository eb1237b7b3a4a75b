import assert from 'node:assert/strict';
import { createWriteStream, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { writeOutput } from '../../src/cli/writeOutput.js';

describe('writeOutput (unit)', () => {
  let dir: string;
  const io = { stdout: new PassThrough(), stderr: new PassThrough() };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mj-write-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('renames the temp file into place once everything is written', async () => {
    let opened = 0;
    await writeOutput(['a'.repeat(100_000), 'b\n'], { out: join(dir, 'x.txt'), io, onOpen: () => opened++ });
    assert.equal(opened, 1);
    assert.deepEqual(readdirSync(dir), ['x.txt']);
    assert.equal(readFileSync(join(dir, 'x.txt'), 'utf8'), 'a'.repeat(100_000) + 'b\n');
  });

  it('removes the temp file when generation fails midway, and rethrows', async () => {
    function* failing(): Generator<string> {
      yield 'first chunk\n';
      yield 'second chunk\n';
      throw new Error('generator broke');
    }
    await assert.rejects(writeOutput(failing(), { out: join(dir, 'x.txt'), io }), /generator broke/);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('writes to stdout without a file when out is absent or "-"', async () => {
    const stdout = new PassThrough();
    const got: Buffer[] = [];
    stdout.on('data', (b: Buffer) => got.push(b));
    await writeOutput(['x', 'y'], { out: '-', io: { stdout, stderr: io.stderr } });
    await writeOutput(['z'], { out: undefined, io: { stdout, stderr: io.stderr } });
    assert.equal(Buffer.concat(got).toString(), 'xyz');
  });

  it('waits for drain when the stream is full (backpressure)', async () => {
    const stdout = new PassThrough({ highWaterMark: 16 });
    let drained = 0;
    stdout.on('drain', () => drained++);
    const done = writeOutput(['0123456789'.repeat(10), 'abc'], { out: undefined, io: { stdout, stderr: io.stderr } });
    setTimeout(() => stdout.resume(), 20);
    await done;
    assert.ok(drained >= 1);
  });

  // Text chunks are encoded into two Buffers used in turn: a Buffer refilled before the sink
  // wrote it would show up as a chunk written twice or a chunk lost.
  const chunks = Array.from({ length: 40 }, (_, i) => `${i}:`.padEnd(70_000 + i * 997, String.fromCharCode(97 + (i % 26))) + (i % 3 === 0 ? 'é😀\u{10FFFF}\n' : '\n'));
  const expected = Buffer.from(chunks.join(''), 'utf8');

  it('a file gets every text chunk once, in order, as UTF-8 (Buffers reused)', async () => {
    await writeOutput(chunks, { out: join(dir, 'x.txt'), io });
    assert.ok(readFileSync(join(dir, 'x.txt')).equals(expected));
  });

  it('a stream on a file descriptor gets every text chunk once, in order (Buffers reused after its callbacks)', async () => {
    const path = join(dir, 'fd.txt');
    const stdout = createWriteStream(path, { fd: openSync(path, 'w') });
    await writeOutput(chunks, { out: undefined, io: { stdout, stderr: io.stderr } });
    await new Promise<void>((resolve) => stdout.end(resolve));
    assert.ok(readFileSync(path).equals(expected));
  });

  it('a stream without a file descriptor keeps the chunks it was given (no Buffer reused)', async () => {
    const stdout = new PassThrough();
    const done = writeOutput(chunks, { out: undefined, io: { stdout, stderr: io.stderr } });
    const got: Buffer[] = [];
    stdout.on('data', (b: Buffer) => got.push(b));
    await done;
    assert.ok(Buffer.concat(got).equals(expected));
  });
});
