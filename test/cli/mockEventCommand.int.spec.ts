import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mockEvents } from '../../src/core/index.js';
import { loadSchemaFile, parseSchemaText } from '../../src/schemaFiles/index.js';
import { cliInProcess } from './inProcessCli.js';

const SCHEMAS = fileURLToPath(new URL('../fixtures/schemas/', import.meta.url));

describe('mockjutsu mock-event (int, in process)', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mj-mock-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the bytes of mockEvents for the same schema, ref, mode, envelope and seed', async () => {
    const file = join(SCHEMAS, 'iatk-my-event.json');
    const r = await cliInProcess('mock-event', '--schema', file, '--ref', 'MyEvent', '--seed', '5', '--count', '40', '--partition', 'vu-2', '--envelope', 'cloudevents');
    assert.equal(r.code, 0, r.err);
    const expected = [...mockEvents({ schema: await loadSchemaFile(file), parseText: parseSchemaText, ref: 'MyEvent', seed: 5, count: 40, partition: 'vu-2', envelope: 'cloudevents' })];
    assert.equal(r.out, expected.map((e) => JSON.stringify(e) + '\n').join(''));
    assert.equal(r.err, '');
  });

  it('barebone mode is IATK\'s: "" for strings, the first enum value, [] for arrays', async () => {
    const r = await cliInProcess('mock-event', '--schema', join(SCHEMAS, 'iatk-my-event.json'), '--ref', 'MyEvent', '--mode', 'barebone', '--seed', '1');
    assert.equal(r.code, 0, r.err);
    const e = JSON.parse(r.out) as Record<string, unknown>;
    assert.deepEqual({ ...e, datetime: undefined }, { address: '', customerId: '', membershipType: 'A', orderItems: [], datetime: undefined });
    assert.ok(Math.abs(Date.parse(e['datetime'] as string) - Date.now()) < 60_000, 'date-time is now');
  });

  it('resolves $refs across files (YAML) and writes a JSON array to --out', async () => {
    const out = join(dir, 'orders.json');
    const r = await cliInProcess('mock-event', '--schema', join(SCHEMAS, 'openapi-order', 'order-event.yaml'), '--ref', 'OrderCreated', '--seed', '3', '--count', '5', '--format', 'json', '--out', out);
    assert.equal(r.code, 0, r.err);
    const events = JSON.parse(readFileSync(out, 'utf8')) as unknown[];
    assert.equal(events.length, 5);
    assert.ok(events.every((e) => typeof e === 'object' && e !== null));
  });

  it('names the bad input: no --schema, an unknown ref, an unsatisfiable schema with its pointer', async () => {
    const none = await cliInProcess('mock-event');
    assert.equal(none.code, 2);
    assert.match(none.err, /missing --schema FILE/);
    const ref = await cliInProcess('mock-event', '--schema', join(SCHEMAS, 'iatk-my-event.json'), '--ref', 'Nope');
    assert.equal(ref.code, 2);
    assert.match(ref.err, /unknown ref "Nope": no such entry in components.schemas; known: MyEvent, Item/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ type: 'object', required: ['n'], properties: { n: { type: 'integer', minimum: 5, maximum: 1 } } }));
    const unsat = await cliInProcess('mock-event', '--schema', bad, '--seed', '1');
    assert.equal(unsat.code, 2);
    assert.match(unsat.err, /\/properties\/n/);
    assert.equal(unsat.out, '');
  });
});
