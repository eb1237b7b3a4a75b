import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { eventStream, jutsu, parseModel, type SessionEvent, type UserProfile } from '../../src/core/index.js';
import {
  EVENT_CSV_COLUMNS, USER_CSV_COLUMNS, csvField, csvRow, eventCsvChunks, eventCsvRow, payloadJson, userCsvChunks,
} from '../../src/formats/csvSerializer.js';
import { csvObjects, parseCsv } from './csvParser.js';
import { NASTY_STRINGS, craftedEvents } from './craftedEvents.js';

const supportDesk = parseModel(readFileSync(new URL('../fixtures/supportDesk.model.json', import.meta.url), 'utf8'));

function eventFromRow(row: Record<string, string | null>): unknown {
  return {
    ...row,
    stream_version: Number(row['stream_version']),
    global_position: Number(row['global_position']),
    schema_version: Number(row['schema_version']),
    payload: JSON.parse(row['payload']!),
  };
}

describe('csvSerializer (unit)', () => {
  describe('csvField', () => {
    it('leaves plain text, numbers and non-ASCII unquoted', () => {
      assert.equal(csvField('login'), 'login');
      assert.equal(csvField(42), '42');
      assert.equal(csvField("Côte d'Ivoire"), "Côte d'Ivoire");
    });
    it('quotes commas, quotes, CR and LF, doubling quotes', () => {
      assert.equal(csvField('Bonaire, Sint Eustatius and Saba'), '"Bonaire, Sint Eustatius and Saba"');
      assert.equal(csvField('say "hi"'), '"say ""hi"""');
      assert.equal(csvField('a\nb'), '"a\nb"');
      assert.equal(csvField('a\rb'), '"a\rb"');
    });
    it('writes null as an empty field and the empty string as ""', () => {
      assert.equal(csvField(null), '');
      assert.equal(csvField(''), '""');
      assert.equal(csvRow(['a', null, '', 1]), 'a,,"",1\r\n');
    });
  });

  describe('given crafted events with quotes, commas, line breaks, backslashes and non-ASCII text', () => {
    const events = craftedEvents();
    const text = [...eventCsvChunks(events)].join('');

    it('writes RFC 4180: a header, one CRLF-terminated record per event', () => {
      const records = parseCsv(text);
      assert.deepEqual(records[0]!.map((f) => f.value), EVENT_CSV_COLUMNS);
      assert.equal(records.length, events.length + 1);
    });

    it('reads back every field exactly, the payload as JSON', () => {
      const rows = csvObjects(text);
      rows.forEach((row, i) => assert.deepEqual(eventFromRow(row), events[i]));
      assert.deepEqual(rows.map((r) => r['event_type']), NASTY_STRINGS);
    });

    it('writes a null causation_id as an empty unquoted field (NULL for COPY)', () => {
      const first = parseCsv(text)[1]!;
      assert.deepEqual(first[EVENT_CSV_COLUMNS.indexOf('causation_id')], { value: '', quoted: false });
      const emptyType = parseCsv(text)[1 + NASTY_STRINGS.indexOf('')]!;
      assert.deepEqual(emptyType[EVENT_CSV_COLUMNS.indexOf('event_type')], { value: '', quoted: true });
    });
  });

  describe('given generated sessions', () => {
    const events = [...eventStream({ seed: 'csv-unit', sessions: 200 })];

    it('payloadJson is JSON.stringify(payload)', () => {
      for (const e of events) assert.equal(payloadJson(e), JSON.stringify(e.payload));
    });

    it('round-trips every event of the default model', () => {
      const rows = csvObjects([...eventCsvChunks(events)].join(''));
      assert.equal(rows.length, events.length);
      rows.forEach((row, i) => assert.deepEqual(eventFromRow(row), events[i]));
    });

    it('round-trips a custom model (custom states, outcome payloads)', () => {
      const custom = [...eventStream({ seed: 'csv-unit', sessions: 100, model: supportDesk })];
      const rows = csvObjects([...eventCsvChunks(custom)].join(''));
      rows.forEach((row, i) => assert.deepEqual(eventFromRow(row), custom[i]));
      assert.ok(custom.some((e) => (e.payload as { outcome?: string }).outcome === 'urgent'));
    });

    it('cuts chunks at record boundaries only, whatever the chunk size', () => {
      const whole = [...eventCsvChunks(events)].join('');
      const chunks = [...eventCsvChunks(events, { chunkChars: 1000 })];
      assert.ok(chunks.length > 10);
      assert.equal(chunks.join(''), whole);
      for (const c of chunks) assert.ok(c.endsWith('\r\n'));
      assert.equal([...eventCsvChunks(events, { header: false })].join(''), events.map(eventCsvRow).join(''));
    });
  });

  describe('given user profiles (commas, apostrophes and accents in real faker data)', () => {
    const users = jutsu.bulk('user', { seed: 'csv-users', count: 3000 }) as UserProfile[];
    const rows = csvObjects([...userCsvChunks(users)].join(''));

    it('reads back every profile exactly', () => {
      assert.deepEqual(Object.keys(rows[0]!), USER_CSV_COLUMNS);
      assert.deepEqual(rows, users);
    });

    it('exercised the hard cases', () => {
      const values = users.flatMap((u) => Object.values(u));
      assert.ok(values.some((v) => v.includes(',')), 'a value with a comma');
      assert.ok(values.some((v) => v.includes("'")), 'a value with an apostrophe');
      assert.ok(values.some((v) => /[^\x00-\x7f]/.test(v)), 'a non-ASCII value');
    });
  });

  it('types: a SessionEvent row has one field per column', () => {
    const e: SessionEvent = craftedEvents()[0]!;
    assert.equal(parseCsv(eventCsvRow(e))[0]!.length, EVENT_CSV_COLUMNS.length);
  });

  it('a session\'s and a stream\'s columns, written once per run of events sharing them, change exactly when a value does', () => {
    // Consecutive events sharing ids, then one id changed to text that needs quoting, then back.
    const base = [...eventStream({ seed: 'segments', sessions: 3 })];
    const varied = base.map((e, i) => (i % 5 === 2 ? { ...e, user_id: 'a,"b"' } : i % 7 === 3 ? { ...e, aggregate_id: 'x\r\ny' } : e));
    const reference = (e: SessionEvent): string =>
      EVENT_CSV_COLUMNS.map((c) => (c === 'payload' ? '"' + JSON.stringify(e.payload).replace(/"/g, '""') + '"' : csvField((e as unknown as Record<string, string | number | null>)[c]))).join(',') + '\r\n';
    assert.ok(varied.filter((e, i) => e !== base[i]).length >= 8);
    for (const e of [...varied, ...base, ...varied]) assert.equal(eventCsvRow(e), reference(e));
  });
});

