// Which schema a ref names in OpenAPI, AsyncAPI 2/3, JSON Schema and EventBridge registry exports.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compileSchema, locateSchema, readSchemaDocument } from '../../src/index.js';

const fixture = (f: string) => readFileSync(new URL(`../fixtures/schemas/${f}`, import.meta.url), 'utf8');

describe('schema documents and refs', () => {
  it('OpenAPI: ref names a components.schemas entry', () => {
    const g = compileSchema(fixture('openapi31-payment.json'), { ref: 'Risk', seed: 1 });
    assert.equal(g.info.kind, 'openapi');
    assert.equal(g.info.pointer, '#/components/schemas/Risk');
    assert.deepEqual(Object.keys(g.value(0) as object), ['score', 'level']);
  });

  it('EventBridge registry export: Content is unwrapped, AWSEvent is the default, source and detail-type are read', () => {
    const g = compileSchema(fixture('eventbridge-ec2-instance-state-change.json'), { seed: 1 });
    assert.equal(g.info.name, 'AWSEvent');
    assert.equal(g.info.eventSource, 'aws.ec2');
    assert.equal(g.info.detailType, 'EC2 Instance State-change Notification');
    const e = g.value(0) as any;
    assert.equal(e.source, 'aws.ec2');
    assert.match(e.detail['instance-id'], /^i-[0-9a-f]{17}$/);
    const d4 = compileSchema(fixture('eventbridge-jsonschema-draft4.json'), { seed: 1 });
    assert.equal(d4.info.kind, 'json-schema');
    assert.equal(d4.info.name, 'OrderShipped');
  });

  it('AsyncAPI 3: ref names a message; its multi-format payload is used', () => {
    const g = compileSchema(fixture('asyncapi3-order-placed.json'), { ref: 'OrderPlaced', seed: 1 });
    assert.equal(g.info.pointer, '#/components/messages/OrderPlaced/payload/schema');
    assert.match((g.value(0) as any).orderId, /^ORD-[0-9]{8}$/);
    // a components.schemas name works too
    assert.equal(compileSchema(fixture('asyncapi3-order-placed.json'), { ref: 'OrderLine', seed: 1 }).info.pointer, '#/components/schemas/OrderLine');
  });

  it('AsyncAPI 2: messages by component key, name, or inline in a channel operation', () => {
    const doc = {
      asyncapi: '2.6.0', info: { title: 't', version: '1' },
      channels: { a: { publish: { message: { oneOf: [{ messageId: 'Ping', payload: { const: 'ping' } }, { name: 'Pong', payload: { const: 'pong' } }] } } } },
    };
    assert.equal(compileSchema(doc, { ref: 'Ping', seed: 1 }).value(0), 'ping');
    assert.equal(compileSchema(doc, { ref: 'Pong', seed: 1 }).value(0), 'pong');
    assert.throws(() => compileSchema(doc, { seed: 1 }), /the document has 2 messages; pass ref naming one of: Ping, Pong/);
    const avro = { asyncapi: '2.6.0', info: { title: 't', version: '1' }, channels: {}, components: { messages: { A: { schemaFormat: 'application/vnd.apache.avro;version=1.9.0', payload: { type: 'record' } } } } };
    assert.throws(() => compileSchema(avro, { ref: 'A' }), (e: any) => e.path === '#/components/messages/A/schemaFormat' && /schemaFormat "application\/vnd.apache.avro;version=1.9.0"; allowed/.test(e.message));
  });

  it('JSON Schema: the root by default, $defs/definitions by name, or any #/ pointer', () => {
    const doc = { $defs: { A: { const: 'a' } }, definitions: { B: { const: 'b' } }, type: 'object', required: ['x'], properties: { x: { const: 1 } } };
    assert.deepEqual(compileSchema(doc, { seed: 1 }).value(0), { x: 1 });
    assert.equal(compileSchema(doc, { ref: 'A', seed: 1 }).value(0), 'a');
    assert.equal(compileSchema(doc, { ref: 'B', seed: 1 }).value(0), 'b');
    assert.equal(compileSchema(doc, { ref: '#/properties/x', seed: 1 }).value(0), 1);
  });

  it('YAML text goes through parseText; Swagger 2 is refused', () => {
    const yamlDoc = 'type: object\nrequired: [a]\nproperties:\n  a: { const: 3 }\n';
    const parseText = (t: string) => (t === yamlDoc ? { type: 'object', required: ['a'], properties: { a: { const: 3 } } } : null);
    assert.deepEqual(compileSchema(yamlDoc, { parseText, seed: 1 }).value(0), { a: 3 });
    assert.throws(() => locateSchema(readSchemaDocument({ swagger: '2.0' })), /Swagger 2.0 documents are not supported/);
  });

  it('x-mockjutsu pins a generator; name heuristics pick faker data', () => {
    const g = compileSchema({ type: 'object', required: ['a', 'email', 'unitPrice', 'currency'], properties: { a: { type: 'string', 'x-mockjutsu': 'sku' }, email: { type: 'string' }, unitPrice: { type: 'number' }, currency: { type: 'string' } } }, { seed: 1 });
    for (let i = 0; i < 50; i++) {
      const v = g.value(i) as any;
      assert.match(v.a, /^[A-Z]{3}-[0-9]{5}$/);
      assert.match(v.email, /^[a-z0-9]+\.[a-z0-9]+[0-9]*@[a-z.]+$/);
      assert.ok(v.unitPrice >= 1 && v.unitPrice <= 500 && Math.abs(v.unitPrice * 100 - Math.round(v.unitPrice * 100)) < 1e-6, String(v.unitPrice));
      assert.match(v.currency, /^[A-Z]{3}$/);
    }
  });

  it('dependentRequired / dependencies: a present key brings the keys it lists, transitively', () => {
    const g = compileSchema({ type: 'object', properties: { a: { const: 1 }, b: { const: 2 }, c: { const: 3 } }, dependentRequired: { a: ['b'], b: ['c'] } }, { seed: 1, optionalProbability: 0.3 });
    const xs = g.stream().take(300) as Array<Record<string, number>>;
    assert.ok(xs.filter((x) => 'a' in x).length > 50);
    assert.ok(xs.every((x) => (!('a' in x) || 'b' in x) && (!('b' in x) || 'c' in x)));
    assert.throws(() => compileSchema({ type: 'object', properties: { a: {} }, additionalProperties: false, dependencies: { a: ['z'] } }), /#\/dependencies\/a: "a" requires "z", which is not among the properties this schema generates/);
  });

  it('optionalProbability 0 and 1 leave optional properties out or in', () => {
    const schema = { type: 'object', required: ['a'], properties: { a: { type: 'integer' }, b: { type: 'integer' } } };
    assert.ok(compileSchema(schema, { seed: 1, optionalProbability: 0 }).stream().take(50).every((v: any) => !('b' in v)));
    assert.ok(compileSchema(schema, { seed: 1, optionalProbability: 1 }).stream().take(50).every((v: any) => 'b' in v));
  });
});
