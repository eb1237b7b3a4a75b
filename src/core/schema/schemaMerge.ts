import { MockjutsuError } from '../mockjutsuError.js';
import { childPointer } from './jsonPointer.js';

type Obj = Record<string, any>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Throws the compile-time error of a schema no value satisfies, naming where and why. */
export function unsatisfiable(pointer: string, why: string): never {
  throw new MockjutsuError('UNSATISFIABLE_SCHEMA', `${pointer}: ${why}`, pointer);
}

/**
 * Marks a property the merge constrained further (another member's additionalProperties): when
 * it is optional and can no longer be met, it is left out instead of failing the schema.
 */
export const DROP_IF_UNSATISFIABLE = '$mockjutsuDropIfUnsatisfiable';

const MAX_KEYS = new Set(['minimum', 'minLength', 'minItems', 'minProperties']);
const MIN_KEYS = new Set(['maximum', 'maxLength', 'maxItems', 'maxProperties']);

function typeList(t: unknown): string[] | undefined {
  if (t === undefined) return undefined;
  return Array.isArray(t) ? t.map(String) : [String(t)];
}

function intersectTypes(a: string[], b: string[]): string[] {
  const out: string[] = [];
  for (const t of a) {
    if (b.includes(t)) out.push(t);
    else if (t === 'integer' && b.includes('number')) out.push('integer');
    else if (t === 'number' && b.includes('integer')) out.push('integer');
  }
  return [...new Set(out)];
}

function combineUnions(a: unknown[], b: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const x of a) for (const y of b) out.push({ allOf: [x, y] });
  return out;
}

/**
 * One schema equivalent to `allOf: parts` for generation: `$ref` parts are inlined, nested
 * `allOf`s flattened, bounds intersected (largest minimum, smallest maximum...), types and enums
 * intersected, properties merged key by key, required lists joined. A conflict no value can
 * meet (no common type, disjoint enums, different consts) is an UNSATISFIABLE_SCHEMA error.
 * Annotations and keywords without a merge rule keep the first value seen.
 */
export function mergeSchemas(parts: readonly unknown[], pointer: string, resolveRef: (ref: string, at: string) => unknown): Obj {
  const flat: Array<{ schema: Obj; at: string }> = [];
  const add = (s: unknown, at: string, hops: number) => {
    if (hops > 32) unsatisfiable(at, 'allOf/$ref nesting deeper than 32 (a cycle through allOf?)');
    if (s === true) return;
    if (s === false) unsatisfiable(at, 'allOf contains the false schema, which no value satisfies');
    if (!isObject(s)) throw new MockjutsuError('INVALID_SCHEMA', `${at}: a schema must be an object or a boolean`, at);
    const { $ref, allOf, ...rest } = s;
    if (typeof $ref === 'string') add(resolveRef($ref, at), $ref, hops + 1);
    if (Array.isArray(allOf)) allOf.forEach((x, i) => add(x, childPointer(at, 'allOf', i), hops + 1));
    if (Object.keys(rest).length > 0) flat.push({ schema: rest, at });
  };
  add(parts.length === 1 ? parts[0] : { allOf: parts }, pointer, 0);

  const out: Obj = {};
  // members closed with additionalProperties: false allow only their own property names
  const closed = flat.filter(({ schema }) => (schema.additionalProperties === false || isObject(schema.additionalProperties)) && flat.length > 1).map(({ schema, at }) => ({
    at,
    additional: schema.additionalProperties as false | Obj,
    names: new Set(Object.keys(isObject(schema.properties) ? schema.properties : {})),
    patterns: Object.keys(isObject(schema.patternProperties) ? schema.patternProperties : {}).map((p) => new RegExp(p, 'u')),
  }));
  for (const { schema, at } of flat) {
    for (const key of Object.keys(schema)) {
      const v = schema[key];
      if (!(key in out)) {
        out[key] = key === 'properties' || key === 'patternProperties' ? { ...v } : key === 'required' ? [...v] : v;
        continue;
      }
      const cur = out[key];
      if (key === 'type') {
        const t = intersectTypes(typeList(cur)!, typeList(v)!);
        if (t.length === 0) unsatisfiable(at, `allOf: type ${JSON.stringify(v)} has nothing in common with ${JSON.stringify(cur)}`);
        out.type = t.length === 1 ? t[0] : t;
      } else if (key === 'properties' || key === 'patternProperties') {
        for (const p of Object.keys(v)) out[key][p] = p in out[key] ? { allOf: [out[key][p], v[p]] } : v[p];
      } else if (key === 'required') {
        for (const r of v) if (!out.required.includes(r)) out.required.push(r);
      } else if (MAX_KEYS.has(key)) {
        out[key] = Math.max(cur, v);
      } else if (MIN_KEYS.has(key)) {
        out[key] = Math.min(cur, v);
      } else if (key === 'exclusiveMinimum' || key === 'exclusiveMaximum') {
        if (typeof cur === 'boolean' || typeof v === 'boolean') out[key] = cur === true || v === true;
        else out[key] = key === 'exclusiveMinimum' ? Math.max(cur, v) : Math.min(cur, v);
      } else if (key === 'multipleOf') {
        const big = Math.max(cur, v), small = Math.min(cur, v);
        out.multipleOf = Math.abs(big / small - Math.round(big / small)) < 1e-9 ? big : cur * v;
      } else if (key === 'enum') {
        const keep = new Set((v as unknown[]).map((x) => JSON.stringify(x)));
        out.enum = (cur as unknown[]).filter((x) => keep.has(JSON.stringify(x)));
        if (out.enum.length === 0) unsatisfiable(at, 'allOf: the enums have no value in common');
      } else if (key === 'const') {
        if (JSON.stringify(cur) !== JSON.stringify(v)) unsatisfiable(at, `allOf: const ${JSON.stringify(v)} differs from const ${JSON.stringify(cur)}`);
      } else if (key === 'uniqueItems') {
        out.uniqueItems = cur === true || v === true;
      } else if (key === 'nullable') {
        out.nullable = cur === true && v === true;
      } else if (key === 'additionalProperties' || key === 'items') {
        if (cur === false || v === false) out[key] = false;
        else if (isObject(cur) && isObject(v)) out[key] = { allOf: [cur, v] };
      } else if (key === 'oneOf' || key === 'anyOf') {
        out[key] = combineUnions(cur, v);
      } else if (key === 'not') {
        out.not = { anyOf: [cur, v] };
      }
      // other keywords (format, pattern, annotations, x-mockjutsu...): the first one seen wins
    }
  }
  if (closed.length > 0 && isObject(out.properties)) {
    // a property one member does not list is an additional property for that member
    for (const name of Object.keys(out.properties)) {
      for (const c of closed) {
        if (c.names.has(name) || c.patterns.some((re) => re.test(name)) || !(name in out.properties)) continue;
        if (c.additional === false) {
          if (Array.isArray(out.required) && out.required.includes(name)) unsatisfiable(c.at, `allOf: property ${JSON.stringify(name)} is required but this member has additionalProperties false and does not list it`);
          delete out.properties[name];
        } else {
          out.properties[name] = { allOf: [out.properties[name], c.additional], [DROP_IF_UNSATISFIABLE]: true };
        }
      }
    }
  }
  if (out.const !== undefined && out.type !== undefined) {
    const c = out.const;
    const t = c === null ? 'null' : Array.isArray(c) ? 'array' : typeof c === 'number' && Number.isInteger(c) ? 'integer' : typeof c;
    const types = typeList(out.type)!;
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) unsatisfiable(pointer, `allOf: const ${JSON.stringify(c)} is not of type ${JSON.stringify(out.type)}`);
  }
  if (out.const !== undefined && Array.isArray(out.enum) && !out.enum.some((x: unknown) => JSON.stringify(x) === JSON.stringify(out.const))) {
    unsatisfiable(pointer, `allOf: const ${JSON.stringify(out.const)} is not in the enum`);
  }
  return out;
}
