import assert from 'node:assert/strict';
import { encode } from '@msgpack/msgpack';
import { decodeMsgpackRecords, decodeNdjsonRecords, msgpackItemEnd } from '../../src/recorder/index.js';

// One item of every MessagePack family the scanner must size: fixint/int8..64, floats, nil,
// bool, fixstr/str8/16/32, bin8/16, fixarray/array16, fixmap/map16, nested, ext (timestamp).
const ITEMS: unknown[] = [
  0, 127, -1, -32, -33, 200, -200, 70000, -70000, 2 ** 40, -(2 ** 40), 1.5, 0.1, null, true, false,
  '', 'a', 'x'.repeat(31), 'y'.repeat(32), 'z'.repeat(300), 'w'.repeat(70000), 'Zoë Ångström',
  new Uint8Array([0, 1, 255]), new Uint8Array(300).fill(7),
  [], [1, 2, 3], Array.from({ length: 20 }, (_, i) => i), {}, { a: 1 }, Object.fromEntries(Array.from({ length: 20 }, (_, i) => ['k' + i, i])),
  { user: { id: 'u-1', roles: ['a', 'b'], limits: { daily: 10.25, none: null } } },
  new Date(Date.UTC(2025, 0, 1)),
];

describe('recorder: MessagePack framing (where one item ends)', () => {
  it('finds the end of every kind of item, alone and back to back', () => {
    const parts = ITEMS.map((item) => encode(item));
    for (const p of parts) assert.deepEqual(msgpackItemEnd(p, 0), { kind: 'complete', end: p.length });
    const all = Buffer.concat(parts);
    let pos = 0;
    for (const p of parts) {
      const end = msgpackItemEnd(all, pos);
      assert.deepEqual(end, { kind: 'complete', end: pos + p.length });
      pos += p.length;
    }
    assert.equal(pos, all.length);
  });

  it('every cut inside an item => only the items before it, and the cut bytes reported as ignored', () => {
    const parts = [encode({ id: 1, name: 'a' }), encode({ id: 2, tags: ['x', 'y'], blob: new Uint8Array(40) }), encode({ id: 3, note: 'n'.repeat(300) })];
    const all = Buffer.concat(parts);
    const ends = [parts[0]!.length, parts[0]!.length + parts[1]!.length, all.length];
    for (let cut = 0; cut <= all.length; cut++) {
      const read = decodeMsgpackRecords<{ id: number }>(all.subarray(0, cut), 'test');
      const complete = ends.filter((e) => e <= cut).length;
      assert.deepEqual(read.items.map((i) => i.id), [1, 2, 3].slice(0, complete), `cut at ${cut}`);
      assert.equal(read.validBytes, complete === 0 ? 0 : ends[complete - 1]);
      assert.equal(read.ignoredBytes, cut - read.validBytes);
    }
  });

  it('NDJSON: a last line without its newline is a torn write, ignored even when it parses', () => {
    const text = Buffer.from('{"id":1}\n12345\n{"id":3}\n');
    for (let cut = 0; cut <= text.length; cut++) {
      const read = decodeNdjsonRecords(text.subarray(0, cut), 'test');
      const lines = text.subarray(0, cut).toString().split('\n');
      lines.pop(); // the part after the last newline
      assert.deepEqual(read.items, lines.map((l) => JSON.parse(l)), `cut at ${cut}`);
      assert.equal(read.ignoredBytes, cut - read.validBytes);
    }
    // "12345" cut to "123" would parse: it must not come back.
    assert.deepEqual(decodeNdjsonRecords(text.subarray(0, 12), 'test').items, [{ id: 1 }]);
  });

  it('an unused byte (0xc1) is malformed data, not a torn tail: an error naming the byte', () => {
    const bytes = Buffer.concat([encode({ id: 1 }), Buffer.from([0xc1]), encode({ id: 2 })]);
    assert.throws(() => decodeMsgpackRecords(bytes, '"x.msgpack"'), (e: any) => e.code === 'INVALID_RECORD' && /"x\.msgpack": byte 5 \(0xc1\)/.test(e.message) && /item 2 is malformed/.test(e.message));
  });
});
