// POST /mock-event, GET /mock-event[/NAME] and ?envelope= on /generate and /bulk: real HTTP on
// 127.0.0.1, the bytes compared with the CLI (in process) and the library.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEventMocker } from '../../src/core/index.js';
import { createEventMockerFromFile, loadSchemaFile } from '../../src/schemaFiles/index.js';
import { loadMockEventSchemas, parseSchemaSpec } from '../../src/sidecar/index.js';
import { startReplaySidecar, type RunningReplaySidecar } from '../../src/replay/index.js';
import { cliInProcess } from '../cli/inProcessCli.js';
import { spawnSync } from 'node:child_process';
import { CLI, call, errorOf, spawnServe } from './sidecarTestKit.js';

const SCHEMAS = fileURLToPath(new URL('../fixtures/schemas/', import.meta.url));
const IATK = join(SCHEMAS, 'iatk-my-event.json');
const ORDER = join(SCHEMAS, 'openapi-order', 'order-event.yaml');
const LARGE = join(SCHEMAS, 'large-event.json');

const post = (url: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  call(url, path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('sidecar mock events (POST /mock-event, GET /mock-event/NAME) and ?envelope=', function () {
  this.timeout(60_000);
  let s: RunningReplaySidecar;
  const logged: string[] = [];

  before(async () => {
    const schemas = await loadMockEventSchemas([
      parseSchemaSpec(`iatk=${IATK}#MyEvent`),
      parseSchemaSpec(`order=${ORDER}#OrderCreated`),
      { name: 'large', file: LARGE },
    ]);
    s = await startReplaySidecar({ port: 0, seed: 'side-seed', log: (l) => logged.push(l), schemas, limits: { maxJsonCount: 50 } });
  });
  after(() => s?.close(1000));

  describe('GET /mock-event/NAME', () => {
    for (const [name, file, ref] of [['iatk', IATK, 'MyEvent'], ['order', ORDER, 'OrderCreated'], ['large', LARGE, undefined]] as const) {
      it(`${name}: the bytes of mockjutsu mock-event, ndjson and json, every envelope`, async () => {
        for (const envelope of ['none', 'cloudevents', 'eventbridge']) {
          const cliArgs = ['mock-event', '--schema', file, ...(ref ? ['--ref', ref] : []), '--seed', '77', '--count', '25', '--partition', 'eng/Group/3', '--from', '5', '--envelope', envelope];
          const query = `?seed=77&count=25&partition=${encodeURIComponent('eng/Group/3')}&from=5&envelope=${envelope}`;
          const cli = await cliInProcess(...cliArgs);
          assert.equal(cli.code, 0, cli.err);
          const nd = await call(s.url, `/mock-event/${name}${query}&format=ndjson`);
          assert.equal(nd.status, 200, nd.body);
          assert.equal(nd.headers['content-type'], 'application/x-ndjson; charset=utf-8');
          assert.equal(nd.headers['x-mockjutsu-seed'], '77');
          assert.equal(nd.body, cli.out, `${name} ${envelope} ndjson`);
          const cliJson = await cliInProcess(...cliArgs, '--format', 'json');
          const js = await call(s.url, `/mock-event/${name}${query}`);
          assert.equal(js.status, 200, js.body);
          assert.equal(js.headers['content-type'], 'application/json; charset=utf-8');
          assert.equal(js.body, cliJson.out, `${name} ${envelope} json`);
        }
      });
    }

    it('event k of a partition is the library\'s createEventMockerFromFile(...).event(k, partition); mode=barebone too; Accept asks for ndjson', async () => {
      const lib = await createEventMockerFromFile(ORDER, { ref: 'OrderCreated', seed: 'side-seed' });
      // no seed: the sidecar's own (serve --seed), reported
      const a = await call(s.url, '/mock-event/order?count=30&partition=t-1', { headers: { accept: 'application/x-ndjson' } });
      assert.equal(a.status, 200);
      assert.equal(a.headers['x-mockjutsu-seed'], 'side-seed');
      assert.equal(a.body, Array.from({ length: 30 }, (_, k) => JSON.stringify(lib.event(k, 't-1')) + '\n').join(''));
      const bare = await call(s.url, '/mock-event/order?count=3&mode=barebone&seed=1');
      const libBare = await createEventMockerFromFile(ORDER, { ref: 'OrderCreated', seed: 1, mode: 'barebone' });
      // barebone date-times are the current time (as IATK's): compared without them
      const noNow = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'string' && /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(x) ? 'now' : x));
      assert.equal(noNow(JSON.parse(bare.body)), noNow([0, 1, 2].map((k) => libBare.event(k))));
    });

    it('GET /mock-event lists the registered names; an unknown name is a 404 listing them', async () => {
      const list = await call(s.url, '/mock-event');
      assert.equal(list.status, 200);
      const body = JSON.parse(list.body) as { status: string; schemas: Array<{ name: string; schema: string; ref?: string }> };
      assert.deepEqual(body.schemas.map((x) => [x.name, x.schema, x.ref]), [['iatk', 'MyEvent', 'MyEvent'], ['order', 'OrderCreated', 'OrderCreated'], ['large', body.schemas[2]!.schema, undefined]]);
      const nope = await call(s.url, '/mock-event/nope?count=1');
      assert.equal(nope.status, 404);
      assert.deepEqual(errorOf(nope), { code: 'UNKNOWN_SCHEMA', message: 'unknown schema "nope"; registered: iatk, order, large' });
    });

    it('bad queries are 400s naming the value: count, mode, envelope, from, start, unknown parameter', async () => {
      const cases: Array<[string, string, RegExp]> = [
        ['count=0', 'INVALID_COUNT', /count is "0"/],
        ['count=51', 'INVALID_COUNT', /allowed: an integer from 1 to 50 \(format=ndjson streams/],
        ['mode=fancy', 'INVALID_QUERY', /mode is "fancy"; allowed: realistic, barebone/],
        ['envelope=soap', 'INVALID_QUERY', /envelope is "soap"; allowed: none, cloudevents, eventbridge/],
        ['from=-1', 'INVALID_QUERY', /from is "-1"/],
        ['from=9007199254740991&count=2', 'INVALID_OPTION', /from \+ count is past/],
        ['start=yesterday', 'INVALID_OPTION', /start is "yesterday"/],
        ['ref=X', 'INVALID_QUERY', /unknown query parameter "ref"/],
      ];
      for (const [q, code, message] of cases) {
        const a = await call(s.url, `/mock-event/iatk?${q}`);
        assert.equal(a.status, 400, q);
        assert.equal(errorOf(a).code, code, q);
        assert.match(errorOf(a).message, message, q);
      }
    });
  });

  describe('POST /mock-event', () => {
    it('the schema in the body (object, JSON or YAML text) gives the bytes of mock-event on the same file', async () => {
      const doc = await loadSchemaFile(IATK);
      const cli = await cliInProcess('mock-event', '--schema', IATK, '--ref', 'MyEvent', '--seed', '9', '--count', '12', '--envelope', 'eventbridge', '--partition', 'p');
      for (const schema of [doc, JSON.stringify(doc), readFileSync(IATK, 'utf8')]) {
        const a = await post(s.url, '/mock-event?seed=9&count=12&envelope=eventbridge&partition=p&format=ndjson', { schema, ref: 'MyEvent' });
        assert.equal(a.status, 200, a.body);
        assert.equal(a.body, cli.out);
      }
      const yaml = await post(s.url, '/mock-event?seed=3&count=2', { schema: 'type: object\nrequired: [id]\nproperties:\n  id: { type: string, format: uuid }\n' });
      assert.equal(yaml.status, 200, yaml.body);
      const lib = createEventMocker({ schema: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } }, seed: 3 });
      assert.equal(yaml.body, JSON.stringify([lib.event(0), lib.event(1)]) + '\n');
    });

    it('an unsatisfiable schema is a 400 naming the JSON pointer; an unknown ref lists the known ones', async () => {
      const unsat = await post(s.url, '/mock-event', { schema: { type: 'object', required: ['n'], properties: { n: { type: 'integer', minimum: 5, maximum: 1 } } } });
      assert.equal(unsat.status, 400);
      assert.equal(errorOf(unsat).code, 'UNSATISFIABLE_SCHEMA');
      assert.match(errorOf(unsat).message, /#\/properties\/n/);
      const ref = await post(s.url, '/mock-event', { schema: await loadSchemaFile(IATK), ref: 'Nope' });
      assert.equal(ref.status, 400);
      assert.match(errorOf(ref).message, /unknown ref "Nope".*known: MyEvent, Item/);
    });

    it('refuses bad bodies with the error body, never a 5xx', async () => {
      const cases: Array<[unknown, number, string, RegExp]> = [
        [{}, 400, 'INVALID_OPTION', /schema is missing/],
        [{ schema: 5 }, 400, 'INVALID_OPTION', /schema is 5; expected a schema document/],
        [{ schema: [1] }, 400, 'INVALID_OPTION', /schema is an array/],
        [{ schema: {}, extra: 1 }, 400, 'INVALID_OPTION', /unknown field "extra"/],
        [{ schema: {}, ref: 7 }, 400, 'INVALID_OPTION', /ref is 7/],
        [{ schema: '{ not: [json' }, 400, 'INVALID_SCHEMA', /neither JSON nor YAML/],
        [[], 400, 'INVALID_OPTION', /request body is an array/],
        [{ schema: { type: 'array', minItems: 1e9 } }, 400, 'SCHEMA_TOO_LARGE', /#\/minItems: minItems 1000000000 is over 1000/],
        [{ schema: { type: 'string', minLength: 1e8 } }, 400, 'SCHEMA_TOO_LARGE', /#\/minLength/],
        [{ schema: { type: 'string', pattern: '^a{0,99999999}$' } }, 400, 'SCHEMA_TOO_LARGE', /#\/pattern/],
        [{ schema: { type: 'array', minItems: 100, items: { type: 'array', minItems: 100, items: { type: 'array', minItems: 100 } } } }, 400, 'SCHEMA_TOO_LARGE', /^#: a value here needs at least 1000000 items or properties in all/],
        [{ schema: { type: 'object', minProperties: 500, additionalProperties: { type: 'object', minProperties: 500 } } }, 400, 'SCHEMA_TOO_LARGE', /^#: a value here needs at least 250000 /],
        [{ schema: { $ref: '#/$defs/A', $defs: { A: { type: 'array', minItems: 300, items: { $ref: '#/$defs/B' } }, B: { type: 'array', minItems: 300, items: { $ref: '#/$defs/C' } }, C: { type: 'array', minItems: 300 } } } }, 400, 'SCHEMA_TOO_LARGE', /\$refs followed/],
        [{ schema: { Content: JSON.stringify({ type: 'array', minItems: 5000 }) } }, 400, 'SCHEMA_TOO_LARGE', /minItems 5000 is over 1000/],
        [{ schema: { type: 5 } }, 400, 'INVALID_SCHEMA', /type/],
        [{ schema: { $ref: '#/nowhere' } }, 400, '', /nowhere/],
      ];
      for (const [body, status, code, message] of cases) {
        const a = await post(s.url, '/mock-event', body);
        assert.equal(a.status, status, `${JSON.stringify(body)}: ${a.body}`);
        const e = errorOf(a);
        if (code) assert.equal(e.code, code, JSON.stringify(body));
        assert.match(e.message, message, JSON.stringify(body));
      }
      const type = await call(s.url, '/mock-event', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
      assert.equal(type.status, 415);
      const big = await post(s.url, '/mock-event', { schema: { description: 'x'.repeat(1024 * 1024) } });
      assert.equal(big.status, 413);
      assert.deepEqual(logged.filter((l) => l.includes('internal error')), []);
    });
  });

  describe('?envelope= on /generate and /bulk: the bytes of the CLI\'s --envelope', () => {
    for (const type of ['event_stream', 'user', 'cdc_event']) {
      it(`${type}`, async () => {
        for (const envelope of ['cloudevents', 'eventbridge']) {
          const gen = await cliInProcess('generate', type, '--seed', '4', '--session', '3', '--partition', 'vu7', '--envelope', envelope);
          assert.equal(gen.code, 0, gen.err);
          const raw = await call(s.url, `/generate/${type}?seed=4&session=3&partition=vu7&envelope=${envelope}&raw=1`);
          assert.equal(raw.status, 200, raw.body);
          assert.equal(raw.body + '\n', gen.out, `${type} ${envelope} generate`);
          const wrapped = JSON.parse((await call(s.url, `/generate/${type}?seed=4&session=3&partition=vu7&envelope=${envelope}`)).body) as { result: string };
          assert.equal(wrapped.result + '\n', gen.out);
          // cached answers keep the envelope apart
          assert.equal((await call(s.url, `/generate/${type}?seed=4&session=3&partition=vu7&envelope=${envelope}&raw=1`)).body, raw.body);

          const exp = await cliInProcess('export', type, '--seed', '4', '--count', '6', '--partition', 'vu7', '--envelope', envelope, '--format', 'ndjson');
          assert.equal(exp.code, 0, exp.err);
          const nd = await call(s.url, `/bulk/${type}?seed=4&count=6&partition=vu7&envelope=${envelope}&format=ndjson`);
          assert.equal(nd.status, 200, nd.body);
          assert.equal(nd.body, exp.out, `${type} ${envelope} bulk ndjson`);
          const expJson = await cliInProcess('export', type, '--seed', '4', '--count', '6', '--partition', 'vu7', '--envelope', envelope, '--format', 'json');
          const js = await call(s.url, `/bulk/${type}?seed=4&count=6&partition=vu7&envelope=${envelope}&raw=1`);
          assert.equal(js.body + '\n', expJson.out, `${type} ${envelope} bulk json`);
        }
        const plain = await call(s.url, `/generate/${type}?seed=4&session=3&partition=vu7&envelope=none&raw=1`);
        assert.equal(plain.body + '\n', (await cliInProcess('generate', type, '--seed', '4', '--session', '3', '--partition', 'vu7')).out);
        const bad = await call(s.url, `/bulk/${type}?count=1&envelope=xml`);
        assert.equal(bad.status, 400);
        assert.match(errorOf(bad).message, /envelope is "xml"; allowed: none, cloudevents, eventbridge/);
      });
    }
  });

  describe('serve --schema NAME=FILE', () => {
    it('parses NAME=FILE, NAME=FILE#REF and FILE#/pointer; refuses bad names, duplicates and bad files with the schema named', async () => {
      assert.deepEqual(parseSchemaSpec('a=x.json'), { name: 'a', file: 'x.json' });
      assert.deepEqual(parseSchemaSpec('a.b-c_1=dir/x.yaml#Order'), { name: 'a.b-c_1', file: 'dir/x.yaml', ref: 'Order' });
      assert.deepEqual(parseSchemaSpec('a=x.json#/definitions/A'), { name: 'a', file: 'x.json', ref: '#/definitions/A' });
      assert.throws(() => parseSchemaSpec('x.json'), /is not NAME=FILE/);
      assert.throws(() => parseSchemaSpec('a b=x.json'), /name "a b" is not allowed/);
      assert.throws(() => parseSchemaSpec('a='), /has no FILE/);
      await assert.rejects(loadMockEventSchemas([{ name: 'a', file: IATK, ref: 'MyEvent' }, { name: 'a', file: IATK, ref: 'Item' }]), /"a" is given twice/);
      await assert.rejects(loadMockEventSchemas([{ name: 'a', file: join(SCHEMAS, 'missing.json') }]), /schema a \(.*missing\.json\): cannot read schema file/);
      await assert.rejects(loadMockEventSchemas([{ name: 'a', file: IATK, ref: 'Nope' }]), /schema a \(.*, ref Nope\): .*unknown ref "Nope"/);
    });

    it('the real bin: a bad file stops serve with exit 2 and a clear message; a good one is served', async () => {
      const bad = spawnSync(process.execPath, [CLI, 'serve', '--port', '0', '--schema', `ok=${IATK}#MyEvent`, '--schema', `broken=${IATK}#Nope`], { encoding: 'utf8', timeout: 15_000 });
      assert.equal(bad.status, 2, bad.stderr);
      assert.match(bad.stderr, /schema broken \(.*iatk-my-event\.json, ref Nope\): unknown ref "Nope"/);
      assert.equal(bad.stdout, '');
      const served = await spawnServe(['--port', '0', '--seed', '12', '--schema', `iatk=${IATK}#MyEvent`]);
      try {
        const a = await call(served.url, '/mock-event/iatk?count=4&partition=x&format=ndjson');
        const cli = await cliInProcess('mock-event', '--schema', IATK, '--ref', 'MyEvent', '--seed', '12', '--count', '4', '--partition', 'x');
        assert.equal(a.body, cli.out);
        assert.match(served.stderr(), /schema iatk: openapi MyEvent/);
      } finally {
        served.child.kill('SIGTERM');
        await served.exited;
      }
    });
  });
});
