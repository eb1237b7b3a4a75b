import assert from 'node:assert/strict';
import {
  compileEventSerializer, createGenerator, eventSerializerSource, resolveDomain, serializeEvent, serializeSession, serializerFor,
  sessionSerializerFor, type SessionEvent,
} from '../../src/core/index.js';
import { ndjsonChunks } from '../../src/formats/index.js';
import { WEIRD_STRINGS, weirdDomain } from './weirdDomain.js';

/** Serializes every event of `sessions` sessions (several partitions) and compares with JSON.stringify. */
function compareSessions(domain: unknown, seed: string, sessions: number): { events: number; texts: string[] } {
  const g = createGenerator({ seed, domain: domain as never });
  const serialize = g.serialize;
  const texts: string[] = [];
  let events = 0;
  for (let k = 0; k < sessions; k++) {
    const partition = k % 4;
    const s = g.session(partition, k);
    for (const e of s) {
      const expected = JSON.stringify(e);
      const got = serialize(e);
      if (got !== expected) assert.fail(`seed ${seed}, partition ${partition}, session ${k}, event ${e.event_id}:\n  got      ${got}\n  expected ${expected}`);
      events++;
      if (events % 7 === 0) texts.push(got);
    }
    if (k % 97 === 0) assert.equal(g.serializeSession(s), JSON.stringify(s));
  }
  return { events, texts };
}

function describe_(v: unknown): string {
  try { return typeof v === 'symbol' ? v.toString() : String(v); } catch { return Object.prototype.toString.call(v); }
}

describe('compiled event serializer (unit)', () => {
  it('writes JSON.stringify(event) byte for byte for 10,000 shop sessions over three seeds', () => {
    let events = 0;
    for (const [seed, n] of [['a', 4000], ['b', 3000], ['42', 3000]] as const) events += compareSessions('shop', seed, n).events;
    assert.ok(events > 80_000, `only ${events} events`);
  });

  it('writes JSON.stringify(event) byte for byte for 10,000 sessions of a domain with every hard case', () => {
    const { events, texts } = [['w1', 5000], ['w2', 5000]].reduce((acc, [seed, n]) => {
      const r = compareSessions(weirdDomain, seed as string, n as number);
      return { events: acc.events + r.events, texts: acc.texts.concat(r.texts) };
    }, { events: 0, texts: [] as string[] });
    assert.ok(events > 40_000, `only ${events} events`);
    const all = texts.join('\n');
    // The hard cases did occur (otherwise the comparison above proves little).
    for (const needle of ['\\u0000\\u0001\\u001f', '\\ud800', '\\udc00', 'say \\"hi\\"', 'back\\\\slash', '\\t nl\\n cr\\r', '"__proto__":', '"constructor":', '"with \\"quote\\"":',
      '"streamId":"Thing \\"T-', '"extra":"not in the schema"', '"toString":"', '"ok":"yes"', '"sub":[[', 'e+21', '"outcome":"no-way"', 'Côte d\'Ivoire 東京 😀']) {
      assert.ok(all.includes(needle), `no event contains ${needle}`);
    }
    // Renamed fields carry their new names; dropped fields are gone.
    assert.ok(texts[0]!.startsWith('{"event_id":"'));
    assert.match(texts[0]!, /,"eventType":"[a-z]+","streamId":".*","aggregate_type":"(Thing|Other)","aggregate_id":".*","version":\d+,"global_position":\d+,"causation_id":/);
    assert.ok(!all.includes('"schema_version"') && !all.includes('"correlation_id"'));
  });

  it('writes what JSON.stringify writes for values of other shapes than the schema says', () => {
    const g = createGenerator({ seed: 'shapes' });
    const base = g.session(0, 0)[0]! as unknown as Record<string, unknown>;
    class Box { constructor(readonly v: number) {} }
    const odd: unknown[] = [
      undefined, null, NaN, -Infinity, -0, 1e-7, 2 ** 53 + 2, true, 'a"b', '\u0007', [1, undefined, () => 1], { toJSON: () => 'custom' },
      new Date(Date.UTC(2020, 0, 1)), new Box(3), Object.create(null), () => 0, Symbol('s'), { nested: { deeper: ['\\'] } }, [[[]]], new Map([[1, 2]]),
    ];
    let n = 0;
    for (const v of odd) {
      for (const key of ['auth_method', 'ip', 'user_agent']) {
        const e = { ...base, payload: { ...(base.payload as object), [key]: v } };
        assert.equal(serializeEvent(e as never), JSON.stringify(e), `payload.${key} = ${describe_(v)}`);
        n++;
      }
      for (const key of ['event_id', 'stream_id', 'stream_version', 'causation_id', 'user_id', 'timestamp', 'payload']) {
        const e = { ...base, [key]: v };
        assert.equal(serializeEvent(e as never), JSON.stringify(e), `${key} = ${describe_(v)}`);
        n++;
      }
    }
    // Keys the schema does not know, an unknown event type, an array as the payload, a class instance as the event.
    const extra = { ...base, payload: { ...(base.payload as object), surprise: 1 } };
    assert.equal(serializeEvent(extra as never), JSON.stringify(extra));
    const unknownType = { ...base, event_type: 'no_such_type' };
    assert.equal(serializeEvent(unknownType as never), JSON.stringify(unknownType));
    const arrayPayload = { ...base, payload: ['x'] };
    assert.equal(serializeEvent(arrayPayload as never), JSON.stringify(arrayPayload));
    const instance = Object.assign(new Box(1), base);
    assert.equal(serializeEvent(instance as never), JSON.stringify(instance));
    // JSON.stringify throws on a BigInt; so does the serializer.
    assert.throws(() => serializeEvent({ ...base, payload: { auth_method: 1n } } as never), TypeError);
    assert.ok(n === odd.length * 10);
  });

  it('checks a causation id that repeats the previous event id like any other (kept text, escapes, other values)', () => {
    const g = createGenerator({ seed: 'causation' });
    const [a, b] = g.session(0, 0) as unknown as Array<Record<string, unknown>>;
    const serialize = compileEventSerializer(resolveDomain('shop'));
    // Each pair: an event, then one whose causation_id is that event's id (the kept text is
    // reused) or differs from it in a way that needs escaping.
    for (const id of [a!.event_id as string, 'q"uote', 'back\\slash', '\u0001ctl', '\ud800lone', 'plain']) {
      const first = { ...a, event_id: id };
      assert.equal(serialize(first as never), JSON.stringify(first));
      for (const causation of [id, id + '"', null, 'x']) {
        const second = { ...b, causation_id: causation };
        assert.equal(serialize(second as never), JSON.stringify(second), `event_id ${JSON.stringify(id)}, then causation_id ${JSON.stringify(causation)}`);
      }
    }
  });

  it('keeps per-session segments right when sessions and streams interleave', () => {
    const g = createGenerator({ seed: 'interleave', domain: weirdDomain });
    const sessions = [0, 1, 2, 3].map((k) => g.session(k % 2, k));
    const mixed: SessionEvent[] = [];
    for (let i = 0; i < 30; i++) for (const s of sessions) if (i < s.length) mixed.push(s[i]!);
    for (const e of mixed) assert.equal(g.serialize(e), JSON.stringify(e));
    // the same events written by another serializer instance of the same domain, in reverse
    const other = compileEventSerializer(resolveDomain(weirdDomain));
    for (const e of mixed.slice().reverse()) assert.equal(other(e), JSON.stringify(e));
  });

  it('is compiled once per domain; serializeEvent/serializeSession are the shop\'s', () => {
    const shop = resolveDomain('shop');
    assert.equal(serializerFor(shop), serializerFor(shop));
    const s = createGenerator({ seed: 'default' }).session(0, 3);
    // a generator compiles its serializers on first use (a k6 VU that never serializes generates no code)
    assert.equal(createGenerator({ seed: 'x' }).serializeSession(s), sessionSerializerFor(shop)(s));
    assert.equal(serializeSession(s), JSON.stringify(s));
    // The source is self-contained: it runs with no arguments (a standalone module can hold it).
    const source = eventSerializerSource(shop);
    assert.equal((new Function(source)() as (e: unknown) => string)(s[0]), JSON.stringify(s[0]));
    assert.ok(!source.includes('require(') && !source.includes('import'));
  });

  it('writes NDJSON of any domain with the domain\'s serializer', () => {
    const g = createGenerator({ seed: 'nd', domain: weirdDomain });
    const sessions = [0, 1, 2].map((k) => g.session(0, k));
    const text = [...ndjsonChunks(sessions, 256, g.serialize)].join('');
    assert.equal(text, sessions.flat().map((e) => JSON.stringify(e) + '\n').join(''));
    assert.ok(WEIRD_STRINGS.length > 10);
  });
});
