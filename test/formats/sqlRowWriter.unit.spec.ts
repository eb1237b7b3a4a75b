import assert from 'node:assert/strict';
import { eventStream, resolveDomain, type DomainInput } from '../../src/core/index.js';
import { eventSqlScript, sqlString, SQL_DIALECTS, type SqlDialect } from '../../src/formats/sqlSerializer.js';
import { craftedEvents, NASTY_STRINGS } from './craftedEvents.js';
import { weirdDomain } from './weirdDomain.js';

// The generated row writer takes a path of fewer concatenations when a row's strings need no
// escape (most generated events). Whichever path a row takes, it must be, byte for byte, the
// tuple of literals that the contract defines, written here the plain way, column by column.
function anyLiteral(v: unknown, d: SqlDialect): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'NULL';
  return sqlString(typeof v === 'string' ? v : JSON.stringify(v), d);
}

function referenceRow(domain: DomainInput, e: Record<string, unknown>, d: SqlDialect): string {
  return '(' + resolveDomain(domain).envelope.map(({ name, field }) => {
    const v = e[name];
    switch (field) {
      case 'stream_version': case 'global_position': case 'schema_version': case 'causation_id':
        return anyLiteral(v, d);
      case 'payload':
        return anyLiteral(JSON.stringify(v), d);
      case 'timestamp': {
        const m = d === 'mysql' && typeof v === 'string' ? /^(\d{4,}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)Z$/.exec(v) : null;
        return m ? `'${m[1]} ${m[2]}'` : anyLiteral(v, d);
      }
      default:
        return typeof v === 'string' ? sqlString(v, d) : anyLiteral(v, d);
    }
  }).join(',') + ')';
}

function assertRows(domain: DomainInput, events: readonly object[]): void {
  for (const d of SQL_DIALECTS) {
    const script = eventSqlScript({ domain, dialect: d });
    for (const e of events) assert.equal(script.row(e), referenceRow(domain, e as Record<string, unknown>, d), `${d}: ${JSON.stringify(e)}`);
  }
}

/** Each column of each event in turn replaced by `value`. */
function withEach(domain: DomainInput, events: readonly object[], value: unknown): object[] {
  return resolveDomain(domain).envelope.flatMap(({ name }) => events.map((e) => ({ ...e, [name]: value })));
}

describe('SQL row writer: every row is the contract\'s tuple of literals (unit)', () => {
  it('the shop, bank and hotel: every event of 200 sessions, in every dialect', () => {
    for (const domain of ['shop', 'bank', 'hotel']) assertRows(domain, [...eventStream({ seed: 'sql-rows', sessions: 200, domain })]);
  });

  it('renamed and dropped columns, strings with quotes, backslashes, CR, NUL and lone surrogates (the weird domain)', () => {
    const events = [...eventStream({ seed: 'sql-rows', sessions: 300, domain: weirdDomain })];
    assertRows(weirdDomain, events);
  });

  it('a value in any column that needs escaping in some dialect, or is of another type, takes the general path', () => {
    const base = craftedEvents();
    assertRows('shop', base);
    for (const odd of [...NASTY_STRINGS, "'", '\\', '\r', '\0', '\x1a', '\n', 'a\r\nb', 7, 1.5, -0, Number.NaN, Number.POSITIVE_INFINITY, null, undefined, { o: "'" }, ['x']]) {
      assertRows('shop', withEach('shop', base.slice(0, 3), odd));
    }
  });

  it('NaN and Infinity in a number column are NULL, not bare NaN (no SQL)', () => {
    const [e] = craftedEvents();
    for (const d of SQL_DIALECTS) {
      const row = eventSqlScript({ dialect: d }).row({ ...e, stream_version: Number.NaN, global_position: Number.NEGATIVE_INFINITY });
      assert.ok(row.includes("',NULL,NULL,'"), row);
    }
  });

  it('a stream\'s columns whose literal threw (a BigInt) are written again on the next row, not left from before', () => {
    const [a, b] = craftedEvents();
    const script = eventSqlScript({});
    assert.equal(script.row(a!), referenceRow('shop', a as never, 'postgres'));
    const odd = { ...b!, aggregate_id: 10n };
    assert.throws(() => script.row(odd), /BigInt/);
    assert.throws(() => script.row({ ...odd, event_id: 'again' }), /BigInt/);
    assert.equal(script.row(b!), referenceRow('shop', b as never, 'postgres'));
  });
});
