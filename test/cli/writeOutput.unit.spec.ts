import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
});
