// Schemas no value can satisfy fail at compile time with the JSON pointer and the reason.
import assert from 'node:assert/strict';
import { compileSchema, MockjutsuError } from '../../src/index.js';

interface Case { name: string; schema: unknown; ref?: string; code: string; path: string; message: RegExp }

const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra });
const openapi = (schemas: Record<string, unknown>) => ({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths: {}, components: { schemas } });

const CASES: Case[] = [
  { name: 'minimum > maximum', schema: obj({ qty: { type: 'integer', minimum: 10, maximum: 5 } }), code: 'UNSATISFIABLE_SCHEMA', path: '#/properties/qty', message: /^#\/properties\/qty: minimum 10 is greater than maximum 5$/ },
  { name: 'exclusive bounds that meet', schema: { type: 'number', exclusiveMinimum: 3, maximum: 3 }, code: 'UNSATISFIABLE_SCHEMA', path: '#', message: /exclusiveMinimum 3 leaves no room below maximum 3/ },
  { name: 'no multiple in range', schema: obj({ n: { type: 'integer', minimum: 1, maximum: 9, multipleOf: 10 } }), code: 'UNSATISFIABLE_SCHEMA', path: '#/properties/n', message: /no integer multiple of 10 lies between 1 and 9/ },
  { name: 'no integer in range', schema: { type: 'integer', minimum: 1.2, maximum: 1.8 }, code: 'UNSATISFIABLE_SCHEMA', path: '#', message: /no integer lies between 1.2 and 1.8/ },
  { name: 'minLength > maxLength', schema: obj({ code: { type: 'string', minLength: 5, maxLength: 2 } }), code: 'UNSATISFIABLE_SCHEMA', path: '#/properties/code', message: /minLength 5 is greater than maxLength 2/ },
  { name: 'pattern longer than maxLength', schema: obj({ sku: { type: 'string', pattern: '^[A-Z]{6}$', maxLength: 3 } }), code: 'UNSATISFIABLE_SCHEMA', path: '#/properties/sku/pattern', message: /no string matching pattern "\^\[A-Z\]\{6\}\$" with length 0..3 could be drawn/ },
  { name: 'pattern no string matches', schema: { type: 'string', pattern: '^(?=x)y$' }, code: 'UNSATISFIABLE_SCHEMA', path: '#/pattern', message: /no string matching pattern/ },
  { name: 'invalid pattern', schema: obj({ p: { type: 'string', pattern: '([a-z' } }), code: 'INVALID_SCHEMA', path: '#/properties/p/pattern', message: /is not a valid regular expression/ },
  { name: 'format longer than maxLength', schema: obj({ id: { type: 'string', format: 'uuid', maxLength: 10 } }), code: 'UNSATISFIABLE_SCHEMA', path: '#/properties/id', message: /no uuid value fits maxLength 10/ },
  { name: 'not excluding everything', schema: obj({ x: { type: 'string', not: {} } }), code: 'UNSATISFIABLE_SCHEMA', path: '#/properties/x/not', message: /"not" excludes every value/ },
  { name: 'not excluding every enum value', schema: { enum: ['a', 'b'], not: { enum: ['a', 'b'] } }, code: 'UNSATISFIABLE_SCHEMA', path: '#/not', message: /"not" excluded every value drawn/ },
  { name: 'empty enum', schema: obj({ s: { enum: [] } }), code: 'UNSATISFIABLE_SCHEMA', path: '#/properties/s/enum', message: /enum is empty/ },
  { name: 'false schema', schema: obj({ s: false }, { required: ['s'] }), code: 'UNSATISFIABLE_SCHEMA', path: '#/properties/s', message: /required property "s" has the false schema/ },
  { name: 'minItems > maxItems', schema: { type: 'array', minItems: 3, maxItems: 1 }, code: 'UNSATISFIABLE_SCHEMA', path: '#', message: /minItems 3 is greater than maxItems 1/ },
  { name: 'uniqueItems needs more distinct values', schema: obj({ t: { type: 'array', uniqueItems: true, minItems: 3, items: { enum: ['a', 'b'] } } }), code: 'UNSATISFIABLE_SCHEMA', path: '#/properties/t/uniqueItems', message: /needs 3 distinct values but items allow only 2/ },
  { name: 'required property forbidden', schema: { type: 'object', required: ['a'], additionalProperties: false }, code: 'UNSATISFIABLE_SCHEMA', path: '#/required', message: /required property "a" is not in properties and additionalProperties is false/ },
  { name: 'allOf types disjoint', schema: { allOf: [{ type: 'string' }, { type: 'integer' }] }, code: 'UNSATISFIABLE_SCHEMA', path: '#/allOf/1', message: /allOf: type "integer" has nothing in common with "string"/ },
  { name: 'allOf consts differ', schema: { allOf: [{ const: 1 }, { const: 2 }] }, code: 'UNSATISFIABLE_SCHEMA', path: '#/allOf/1', message: /const 2 differs from const 1/ },
  { name: 'unresolvable $ref', schema: openapi({ A: obj({ b: { $ref: '#/components/schemas/Missing' } }) }), ref: 'A', code: 'INVALID_SCHEMA', path: '#/components/schemas/A/properties/b', message: /\$ref "#\/components\/schemas\/Missing" cannot be resolved: no "Missing" in the document/ },
  { name: '$ref to another file in the core', schema: obj({ b: { $ref: './common.json#/Money' } }), code: 'INVALID_SCHEMA', path: '#/properties/b', message: /is not a local "#\/..." pointer; refs to other files are resolved on Node by loadSchemaFile/ },
  { name: 'recursion with no finite value', schema: { $defs: { N: { type: 'object', required: ['n'], properties: { n: { $ref: '#/$defs/N' } } } }, $ref: '#/$defs/N' }, code: 'UNSATISFIABLE_SCHEMA', path: '#/$defs/N/properties/n', message: /recursive \$ref "#\/\$defs\/N" has no finite value/ },
  { name: 'unknown ref', schema: openapi({ A: { type: 'string' }, B: { type: 'string' } }), ref: 'C', code: 'INVALID_OPTION', path: 'ref', message: /unknown ref "C": no such entry in components.schemas; known: A, B/ },
  { name: 'ambiguous document without ref', schema: openapi({ A: { type: 'string' }, B: { type: 'string' } }), code: 'INVALID_OPTION', path: 'ref', message: /the document has 2 schemas; pass ref naming one of: A, B/ },
  { name: 'unknown x-mockjutsu generator', schema: obj({ a: { type: 'string', 'x-mockjutsu': 'nope' } }), code: 'INVALID_SCHEMA', path: '#/properties/a/x-mockjutsu', message: /x-mockjutsu "nope" names no generator; known: uuid, email/ },
  { name: 'unknown type', schema: obj({ a: { type: 'text' } }), code: 'INVALID_SCHEMA', path: '#/properties/a/type', message: /type "text" is not a JSON Schema type/ },
  { name: 'YAML text without a parser', schema: 'type: object\n', code: 'INVALID_SCHEMA', path: 'schema', message: /text that is not JSON; for YAML pass options.parseText/ },
];

describe('schema: compile errors name the JSON pointer and why', () => {
  for (const c of CASES) {
    it(c.name, () => {
      assert.throws(() => compileSchema(c.schema as object, { seed: 1, ...(c.ref ? { ref: c.ref } : {}) }), (e: unknown) => {
        assert.ok(e instanceof MockjutsuError, String(e));
        assert.equal(e.code, c.code, e.message);
        assert.equal(e.path, c.path, e.message);
        assert.match(e.message, c.message);
        return true;
      });
    });
  }

  it('a union branch whose $ref cannot be met is skipped, and a later use of that $ref still fails at compile time', () => {
    const schema = {
      $defs: { Bad: { type: 'integer', minimum: 5, maximum: 1 } },
      type: 'object', required: ['a'],
      properties: { a: { anyOf: [{ $ref: '#/$defs/Bad' }, { const: 'ok' }] }, b: { $ref: '#/$defs/Bad' } },
    };
    assert.throws(() => compileSchema(schema, { seed: 1 }), /#\/\$defs\/Bad: minimum 5 is greater than maximum 1/);
    const { b: _b, ...properties } = schema.properties;
    const g = compileSchema({ ...schema, properties }, { seed: 1 });
    assert.deepEqual(g.stream().take(5), [{ a: 'ok' }, { a: 'ok' }, { a: 'ok' }, { a: 'ok' }, { a: 'ok' }]);
  });

  it('bad options are INVALID_OPTION naming the option', () => {
    assert.throws(() => compileSchema({ type: 'string' }, { mode: 'fancy' as any }), /mode is "fancy"; allowed: "realistic" or "barebone"/);
    assert.throws(() => compileSchema({ type: 'string' }, { optionalProbability: 2 }), /optionalProbability is 2; allowed: a number from 0 to 1/);
    assert.throws(() => compileSchema({ type: 'string' }, { maxRecursionDepth: 99 }), /maxRecursionDepth is 99; allowed: an integer from 0 to 16/);
    assert.throws(() => compileSchema({ type: 'string' }, { colour: 1 } as any), /unknown option "colour"/);
  });
});
