import assert from 'node:assert/strict';
import { createGenerator, eventStream, resolveDomain, type DomainInput } from '../../src/core/index.js';
import { eventCsvColumns, eventCsvRowWriter } from '../../src/formats/csvSerializer.js';
import { parseCsv } from './csvParser.js';
import { craftedEvents } from './craftedEvents.js';
import { weirdDomain } from './weirdDomain.js';

// The CSV payload column is made with its quotes doubled as the JSON text is written
// (payloadTextSource), not by a second pass: it must still be, byte for byte, RFC 4180's
// quoting of JSON.stringify(payload): the JSON text, quoted exactly when it holds a quote,
// comma, CR or LF.
function assertPayloadColumns(domain: DomainInput, events: readonly object[]): void {
  const write = eventCsvRowWriter(domain);
  const at = eventCsvColumns(domain).indexOf(resolveDomain(domain).envelope.find((c) => c.field === 'payload')!.name);
  for (const e of events) {
    const json = JSON.stringify((e as { payload: unknown }).payload);
    const field = parseCsv(write(e))[0]![at]!;
    assert.equal(field.value, json ?? '');
    assert.equal(field.quoted, json !== undefined && /[",\r\n]/.test(json));
  }
}

describe('CSV payload column: quotes doubled in one pass, the bytes of quoting JSON.stringify (unit)', () => {
  it('the shop, bank and hotel: every event of 300 sessions', () => {
    for (const domain of ['shop', 'bank', 'hotel']) {
      const g = createGenerator({ seed: 'csv-pass', domain });
      const events = Array.from({ length: 300 }, (_, k) => g.session('0', k, 1)).flat();
      assert.ok(events.length > 600);
      assertPayloadColumns(domain, events);
    }
  });

  it('a domain of hard cases (quotes in keys and values, control characters, lone surrogates, values of other types than the schema, unknown keys)', () => {
    const events = [...eventStream({ seed: 'csv-pass', sessions: 400, domain: weirdDomain })];
    assertPayloadColumns(weirdDomain, events);
    assert.ok(events.some((e) => JSON.stringify(e.payload).includes('\\"')), 'a payload string held a quote');
  });

  it('crafted events of unknown types and payloads that are not the schema\'s (JSON.stringify\'s text, doubled)', () => {
    const odd = [
      ...craftedEvents(),
      ...craftedEvents().map((e) => ({ ...e, event_type: 'login', payload: { auth_method: 'say "hi"', extra: 'x,y', toJSON: undefined } })),
      ...craftedEvents().map((e) => ({ ...e, event_type: 'logout', payload: Object.assign(Object.create({ inherited: 1 }), { reason: '"' }) })),
      ...craftedEvents().map((e) => ({ ...e, event_type: 'search', payload: { query: 'q', result_count: Number.NaN } })),
      ...craftedEvents().map((e) => ({ ...e, event_type: 'page_view', payload: { toJSON: () => 'as "text"' } })),
      { ...craftedEvents()[0]!, event_type: 'login', payload: {} },
    ];
    assertPayloadColumns('shop', odd);
  });
});
