// The Node loader: JSON or YAML files, $refs across files bundled into one document.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSchemaFile, compileSchemaFile, createEventMockerFromFile, parseSchemaText, MockjutsuError } from '../../src/index.js';
import { SCHEMA_DIR } from './schemaCorpus.js';
import { tempDir } from '../support/tempDirs.js';

describe('schema files (Node)', () => {
  it('bundles the order event and its common.yaml into one document with local refs only', async () => {
    const doc = await loadSchemaFile(SCHEMA_DIR + 'openapi-order/order-event.yaml');
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]*"/g) ?? [];
    assert.ok(refs.length > 0);
    assert.ok(refs.every((r) => r.startsWith('"$ref":"#/')), refs.join(' '));
  });

  it('compileSchemaFile and createEventMockerFromFile read YAML AsyncAPI', async () => {
    const g = await compileSchemaFile(SCHEMA_DIR + 'asyncapi2-user-signedup.yaml', { ref: 'UserSignedUp', seed: 1 });
    assert.equal(g.info.kind, 'asyncapi');
    assert.match((g.value(0) as any).email, /@/);
    const m = await createEventMockerFromFile(SCHEMA_DIR + 'asyncapi2-user-signedup.yaml', { ref: 'UserDeleted', seed: 1, envelope: 'cloudevents' });
    assert.equal((m.event(0) as any).type, 'com.mockjutsu.UserDeleted');
  });

  it('a missing file or an unresolvable cross-file $ref is INVALID_SCHEMA', async () => {
    await assert.rejects(loadSchemaFile(SCHEMA_DIR + 'nope.json'), (e: unknown) => e instanceof MockjutsuError && e.code === 'INVALID_SCHEMA' && /cannot read schema file/.test(e.message));
    const dir = tempDir('mockjutsu-schema-');
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ type: 'object', properties: { b: { $ref: './missing.json#/B' } } }));
    await assert.rejects(loadSchemaFile(join(dir, 'a.json')), (e: unknown) => e instanceof MockjutsuError && /cannot resolve the \$refs of/.test(e.message));
  });

  it('parseSchemaText reads JSON and YAML', () => {
    assert.deepEqual(parseSchemaText('{"a":1}'), { a: 1 });
    assert.deepEqual(parseSchemaText('a: 1\nb: [x]\n'), { a: 1, b: ['x'] });
  });
});
