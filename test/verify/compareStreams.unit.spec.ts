import assert from 'node:assert/strict';
import { createGenerator, MockjutsuError, parsePartitions, resolvePartitions, type SessionEvent } from '../../src/core/index.js';
import {
  compareStreams,
  differingFields,
  expectedStreams,
  formatVerifySummary,
  toFoundRecord,
  StoreReadError,
  verifyStreams,
  type ExpectedStream,
  type FoundRecord,
} from '../../src/verify/index.js';
import { onEveryLongestIncreasing } from '../../src/verify/compareStreams.js';

// Given a few regenerated streams, when the store's records are crafted with known faults,
// then the comparison names exactly those faults.
// a seed whose four sessions have at least 4 events each (the shop as a domain, 0.3.0: 13, 5, 5, 4)
const seed = 'verify-unit-1';
const expected: ExpectedStream[] = expectedStreams({ generator: { seed }, partitions: ['1', '2'], sessions: 2 });
const [a, b, c, d] = expected as [ExpectedStream, ExpectedStream, ExpectedStream, ExpectedStream];

/** The store records of a clean run: one per event, numbered per stream and globally. */
function cleanRecords(streams: readonly ExpectedStream[] = expected): FoundRecord[] {
  let position = 0;
  return streams.flatMap((s) => s.events.map((e) => ({ stream_id: s.stream_id, stream_version: e.stream_version, global_position: ++position, data: e })));
}

/** Records of one stream with the given events, renumbered 1..n. */
function streamOf(stream: ExpectedStream, events: readonly SessionEvent[]): FoundRecord[] {
  return events.map((e, i) => ({ stream_id: stream.stream_id, stream_version: i + 1, data: e }));
}

const others = (...skip: ExpectedStream[]): FoundRecord[] => cleanRecords(expected.filter((s) => !skip.includes(s)));
const ids = (entries: readonly { event_id: string | null }[]): (string | null)[] => entries.map((e) => e.event_id);

describe('verify: compareStreams (pure, crafted inputs)', () => {
  before(() => {
    for (const s of expected) assert.ok(s.events.length >= 4, `stream ${s.stream_id} is long enough for the cases`);
  });

  it('a clean store: ok, no stream listed, counts match', () => {
    const report = compareStreams(expected, cleanRecords());
    assert.equal(report.ok, true);
    assert.deepEqual(report.streams, {});
    assert.equal(report.expected_streams, 4);
    assert.equal(report.found_streams, 4);
    assert.equal(report.expected_events, report.found_events);
    assert.deepEqual(Object.values(report.summary), [0, 0, 0, 0, 0, 0, 0, 0]);
    assert.match(formatVerifySummary(report), /^OK: /m);
  });

  it('global positions are not compared: a run split differently (other numbering) is clean', () => {
    const shifted = cleanRecords().map((r, i) => ({ ...r, global_position: 1000 + i, data: { ...(r.data as SessionEvent), global_position: 77 } }));
    assert.equal(compareStreams(expected, shifted).ok, true);
  });

  it('an event missing from the store is lost, and only that (later versions shift, nothing reordered)', () => {
    const events = a.events.filter((_, i) => i !== 1);
    const report = compareStreams(expected, [...streamOf(a, events), ...others(a)]);
    assert.equal(report.ok, false);
    assert.deepEqual(Object.keys(report.streams), [a.stream_id]);
    const diff = report.streams[a.stream_id]!;
    assert.deepEqual(diff.lost, [{ event_id: a.events[1]!.event_id, event_type: a.events[1]!.event_type, expected_version: 2 }]);
    assert.deepEqual([diff.duplicated, diff.reordered, diff.altered, diff.misplaced, diff.unexpected], [[], [], [], [], []]);
    assert.equal(diff.partition, '1');
    assert.equal(diff.session, 0);
    assert.equal(report.summary.lost, 1);
  });

  it('a whole stream missing: every event lost, shown as one line in the summary', () => {
    const report = compareStreams(expected, others(b));
    assert.equal(report.streams[b.stream_id]!.lost.length, b.events.length);
    assert.match(formatVerifySummary(report), /lost\s+the whole stream \(\d+ events/);
  });

  it('an event stored twice is duplicated (count, both places), not reordered', () => {
    const twice = [...b.events.slice(0, 3), b.events[1]!, ...b.events.slice(3)];
    const report = compareStreams(expected, [...others(b), ...streamOf(b, twice)]);
    const diff = report.streams[b.stream_id]!;
    assert.deepEqual(diff.duplicated, [{
      event_id: b.events[1]!.event_id, event_type: b.events[1]!.event_type, expected_version: 2, count: 2,
      found: [{ stream_id: b.stream_id, stream_version: 2 }, { stream_id: b.stream_id, stream_version: 4 }],
    }]);
    assert.deepEqual([diff.lost, diff.reordered, diff.altered, diff.unexpected], [[], [], [], []]);
    assert.deepEqual(report.summary, { ...report.summary, duplicated: 1, reordered: 0, streams_with_differences: 1 });
  });

  it('a retried write the store answered idempotently left one record: no difference', () => {
    // What a store without idempotency would show is the case above; with it, the records are the clean ones.
    assert.equal(compareStreams(expected, cleanRecords()).ok, true);
  });

  it('two swapped events are both reordered, with expected and stored versions', () => {
    const swapped = [...c.events];
    [swapped[1], swapped[2]] = [swapped[2]!, swapped[1]!];
    const report = compareStreams(expected, [...others(c), ...streamOf(c, swapped)]);
    const diff = report.streams[c.stream_id]!;
    assert.deepEqual(diff.reordered.map((r) => [r.event_id, r.expected_version, r.found_version]), [
      [c.events[2]!.event_id, 3, 2],
      [c.events[1]!.event_id, 2, 3],
    ]);
    assert.deepEqual([diff.lost, diff.duplicated, diff.altered], [[], [], []]);
  });

  it('one event moved far is the only one reordered; the order is the records\' stream_version, not their input order', () => {
    const moved = [c.events[0]!, ...c.events.slice(2), c.events[1]!];
    const records = streamOf(c, moved).reverse(); // input order does not matter when versions are given
    const diff = compareStreams(expected, [...others(c), ...records]).streams[c.stream_id]!;
    assert.deepEqual(ids(diff.reordered), [c.events[1]!.event_id]);
  });

  it('bare events without stream_version are ordered as read', () => {
    const swapped = [d.events[1]!, d.events[0]!, ...d.events.slice(2)];
    const records = [...others(d), ...swapped.map((e) => toFoundRecord(e, 'test'))];
    const diff = compareStreams(expected, records).streams[d.stream_id]!;
    assert.deepEqual(new Set(ids(diff.reordered)), new Set([d.events[0]!.event_id, d.events[1]!.event_id]));
  });

  it('altered data names the fields (nested paths, missing and extra fields)', () => {
    const target = d.events[2]!;
    const changed = JSON.parse(JSON.stringify(target));
    changed.timestamp = '2000-01-01T00:00:00.000Z';
    changed.payload.extra = 1;
    delete changed.correlation_id;
    const events = d.events.map((e) => (e === target ? changed : e));
    const diff = compareStreams(expected, [...others(d), ...streamOf(d, events)]).streams[d.stream_id]!;
    assert.deepEqual(diff.altered, [{
      event_id: target.event_id, event_type: target.event_type, expected_version: 3, found_version: 3,
      fields: ['correlation_id', 'timestamp', 'payload.extra'],
    }]);
  });

  it('differingFields: arrays by index, type changes, key order ignored, top-level ignores', () => {
    assert.deepEqual(differingFields({ a: 1, b: [1, 2, { c: 3 }] }, { b: [1, 2, { c: 4 }, 5], a: 1 }), ['b[2].c', 'b[3]']);
    assert.deepEqual(differingFields({ a: { x: 1 } }, { a: [1] }), ['a']);
    assert.deepEqual(differingFields({ a: null }, { a: 0 }), ['a']);
    assert.deepEqual(differingFields({ global_position: 1, n: 1 }, { global_position: 2, n: 1 }, ['global_position']), []);
    assert.deepEqual(differingFields(1, 'x'), ['(the whole event)']);
  });

  it('an event stored in another stream is misplaced there and unexpected in the stream that holds it', () => {
    const stray = a.events[3]!;
    const aRecords = streamOf(a, a.events.filter((e) => e !== stray));
    const bRecords = streamOf(b, [...b.events, stray]);
    const report = compareStreams(expected, [...aRecords, ...bRecords, ...others(a, b)]);
    assert.deepEqual(report.streams[a.stream_id]!.misplaced, [{
      event_id: stray.event_id, event_type: stray.event_type, expected_version: 4, found_stream: b.stream_id, found_version: b.events.length + 1,
    }]);
    assert.deepEqual(report.streams[a.stream_id]!.lost, []);
    assert.deepEqual(report.streams[b.stream_id]!.unexpected, [{ event_id: stray.event_id, event_type: stray.event_type, found_version: b.events.length + 1, expected_stream: a.stream_id }]);
    assert.equal(report.summary.misplaced, 1);
    assert.equal(report.summary.unexpected, 1);
  });

  it('records no session has are unexpected; so are whole streams, and records without event_id', () => {
    const foreign = createGenerator({ seed: 'other' }).session(0, 0);
    const records = [
      ...cleanRecords(),
      { stream_id: a.stream_id, stream_version: a.events.length + 1, data: foreign[0] },
      { stream_id: a.stream_id, stream_version: a.events.length + 2, data: { hello: 'world' } },
      ...streamOf({ ...a, stream_id: foreign[0]!.stream_id }, foreign),
    ];
    const report = compareStreams(expected, records);
    assert.deepEqual(report.streams[a.stream_id]!.unexpected, [
      { event_id: foreign[0]!.event_id, event_type: 'login', found_version: a.events.length + 1 },
      { event_id: null, event_type: null, found_version: a.events.length + 2 },
    ]);
    const stray = report.streams[foreign[0]!.stream_id]!;
    assert.equal(stray.unexpected_stream, true);
    assert.equal(stray.partition, null);
    assert.deepEqual(ids(stray.unexpected), foreign.map((e) => e.event_id));
    assert.equal(report.summary.unexpected_streams, 1);
    assert.equal(report.summary.unexpected, 2 + foreign.length);
  });

  it('several faults at once are each reported once; the summary lists them', () => {
    const aEvents = a.events.filter((_, i) => i !== 0);
    const bEvents = [...b.events, b.events[0]!];
    const report = compareStreams(expected, [...streamOf(a, aEvents), ...streamOf(b, bEvents), ...others(a, b)]);
    assert.deepEqual(report.summary, { lost: 1, duplicated: 1, reordered: 0, altered: 0, misplaced: 0, unexpected: 0, unexpected_streams: 0, streams_with_differences: 2 });
    const text = formatVerifySummary(report);
    assert.match(text, /DIFFERENCES in 2 stream\(s\): 1 lost, 1 duplicated, 0 reordered/);
    assert.ok(text.includes(`(partition 1, session 0)`));
    assert.ok(text.includes(a.events[0]!.event_id));
  });

  it('onEveryLongestIncreasing: in place unless off some longest ordered run', () => {
    assert.deepEqual(onEveryLongestIncreasing([0, 1, 2, 3]), [true, true, true, true]);
    assert.deepEqual(onEveryLongestIncreasing([0, 2, 1, 3]), [true, false, false, true]);
    assert.deepEqual(onEveryLongestIncreasing([0, 2, 3, 4, 1]), [true, true, true, true, false]);
    assert.deepEqual(onEveryLongestIncreasing([4, 0, 1, 2, 3]), [false, true, true, true, true]);
    assert.deepEqual(onEveryLongestIncreasing([2, 1, 0]), [false, false, false]);
    assert.deepEqual(onEveryLongestIncreasing([]), []);
  });
});

describe('verify: partitions, regeneration and record reading (pure)', () => {
  it('parses partition lists: ranges, keys, mixes', () => {
    assert.deepEqual(parsePartitions('0-3'), ['0', '1', '2', '3']);
    assert.deepEqual(parsePartitions('1,2,5'), ['1', '2', '5']);
    assert.deepEqual(parsePartitions('vu-1, vu-2'), ['vu-1', 'vu-2']);
    assert.deepEqual(parsePartitions('7,1-2,thread-a'), ['7', '1', '2', 'thread-a']);
    assert.deepEqual(resolvePartitions([1, 'x']), ['1', 'x']);
  });

  it('refuses bad partition lists with the reason', () => {
    for (const [text, why] of [['', /empty/], ['1,,2', /empty item/], ['5-1', /goes down/], ['1,1', /listed twice/], ['0-2000000', /at most/]] as const) {
      assert.throws(() => parsePartitions(text), (err: unknown) => err instanceof MockjutsuError && why.test(err.message), text);
    }
  });

  it('regenerates session k of partition p exactly as a partition stream emits it', () => {
    const streams = expectedStreams({ generator: { seed: 5, users: 20 }, partitions: ['3', 'vu-1'], sessions: 3 });
    assert.deepEqual(streams.map((s) => [s.partition, s.session]), [['3', 0], ['3', 1], ['3', 2], ['vu-1', 0], ['vu-1', 1], ['vu-1', 2]]);
    const stream = createGenerator({ seed: 5, users: 20 }).stream('vu-1');
    for (const s of streams.slice(3)) assert.deepEqual(s.events, stream.nextSession());
    assert.equal(streams[4]!.stream_id, streams[4]!.events[0]!.stream_id);
    assert.throws(() => expectedStreams({ generator: {}, partitions: ['1'], sessions: 1 }), /seed is missing/);
    assert.throws(() => expectedStreams({ generator: { seed: 1 }, partitions: ['1'], sessions: 0 }), /sessions is 0/);
  });

  it('reads store records and bare events, and names what is neither', () => {
    assert.deepEqual(toFoundRecord({ stream_id: 's', stream_version: 2, global_position: 9, type: 't', data: { x: 1 } }, 'x'),
      { stream_id: 's', stream_version: 2, global_position: 9, data: { x: 1 } });
    const event = a.events[0]!;
    assert.deepEqual(toFoundRecord(event, 'x'), { stream_id: event.stream_id, data: event });
    assert.throws(() => toFoundRecord({ nope: 1 }, 'line 3 of f'), (err: unknown) => err instanceof StoreReadError && /line 3 of f is neither/.test(err.message));
  });

  it('verifyStreams takes records directly and reports the run', async () => {
    const report = await verifyStreams({ seed, partitions: '1-2', sessions: 2, against: cleanRecords() });
    assert.equal(report.ok, true);
    assert.deepEqual(report.run, { seed, partitions: ['1', '2'], sessions: 2, against: '(records given)' });
    assert.deepEqual(Object.keys(report).slice(0, 2), ['ok', 'run']);
  });
});
