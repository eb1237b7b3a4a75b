import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { STREAM_AHEAD_BYTES, StreamSink } from '../../src/cli/outputSink.js';

/** A stream on a file descriptor (so the sink tracks its writes) whose reader takes one chunk per `release()`. */
function slowReader(): { stream: Writable; release: () => void; taken: Buffer[] } {
  const waiting: Array<() => void> = [];
  const taken: Buffer[] = [];
  const stream = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _enc, done) {
      waiting.push(() => {
        taken.push(Buffer.from(chunk));
        done();
      });
    },
  });
  Object.defineProperty(stream, 'fd', { value: 1 });
  return { stream, taken, release: () => waiting.shift()?.() };
}

describe('StreamSink: chunks wait in the stream, up to a bound, while the next are made (unit)', () => {
  it(`goes on while up to ${STREAM_AHEAD_BYTES} bytes wait, then waits for the reader; every byte arrives in order`, async () => {
    const { stream, release, taken } = slowReader();
    const sink = new StreamSink(stream);
    const chunk = (i: number) => Buffer.alloc(256 * 1024, i);
    const ahead = STREAM_AHEAD_BYTES / (256 * 1024);
    // The reader takes nothing: the first chunks are accepted at once (a pipe's 'drain' after
    // each one stopped the export until the reader had taken it).
    for (let i = 0; i < ahead; i++) await sink.write(chunk(i));
    assert.equal(stream.writableLength, STREAM_AHEAD_BYTES);
    // One more is more than the bound: the write waits until the reader takes what waits.
    let resolved = false;
    const blocked = sink.write(chunk(ahead)).then(() => (resolved = true));
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(resolved, false);
    assert.ok(stream.writableLength <= STREAM_AHEAD_BYTES + 256 * 1024);
    for (let i = 0; i <= ahead; i++) release();
    await blocked;
    const done = sink.finish();
    release();
    await done;
    assert.deepEqual(taken.map((b) => b[0]), Array.from({ length: ahead + 1 }, (_, i) => i));
    // written(): resolves once the reader took every chunk given so far.
    await sink.written!();
  });
});
