import type { FastifySchemaCompiler } from 'fastify';
import { HttpError } from './httpError.js';
import { describeValue } from './safeText.js';

/**
 * The subset of JSON Schema the sidecar's route schemas use, plus two annotations for
 * messages: `x-code` (the error code of a bad value) and `x-allowed` (what is allowed, in
 * words). The same schemas feed `/openapi.json` through @fastify/swagger.
 */
export interface PropertySchema {
  type?: string | string[];
  enum?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  items?: PropertySchema;
  description?: string;
  default?: unknown;
  examples?: unknown[];
  'x-code'?: string;
  'x-allowed'?: string;
  [more: string]: unknown;
}

/** A querystring or body schema: an object of named properties. */
export interface ObjectSchema {
  type: 'object';
  properties: Record<string, PropertySchema>;
  required?: string[];
  additionalProperties?: boolean;
  'x-code'?: string;
  /** A body example for the message of a body that is not an object. */
  'x-example'?: string;
  [more: string]: unknown;
}

const INTEGER_TEXT = /^-?\d{1,16}$/;
const FLAG_TRUE = new Set(['1', 'true', 'yes', '']);
const FLAG_FALSE = new Set(['0', 'false', 'no']);

function typesOf(p: PropertySchema): string[] {
  return p.type === undefined ? [] : Array.isArray(p.type) ? p.type : [p.type];
}

function allowedText(p: PropertySchema): string {
  if (p['x-allowed'] !== undefined) return p['x-allowed'];
  if (p.enum !== undefined) return p.enum.join(', ');
  const t = typesOf(p);
  if (t.includes('integer')) return `an integer from ${p.minimum ?? Number.MIN_SAFE_INTEGER} to ${p.maximum ?? Number.MAX_SAFE_INTEGER}`;
  if (t.includes('boolean')) return '1, true, yes, 0, false, no';
  return t.join(' or ');
}

/** A query value: strings as sent, coerced to the property's type. */
function queryValue(name: string, raw: string, p: PropertySchema, code: string): unknown {
  const bad = (): HttpError => new HttpError(400, p['x-code'] ?? code, `${name} is ${describeValue(raw, 60)}; allowed: ${allowedText(p)}`);
  const t = typesOf(p);
  if (t.includes('integer')) {
    const n = INTEGER_TEXT.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(n) || n < (p.minimum ?? -Infinity) || n > (p.maximum ?? Infinity)) throw bad();
    return n;
  }
  if (t.includes('boolean')) {
    const l = raw.toLowerCase();
    if (FLAG_TRUE.has(l)) return true;
    if (FLAG_FALSE.has(l)) return false;
    throw bad();
  }
  if (p.enum !== undefined && !p.enum.includes(raw)) throw bad();
  if ((p.maxLength !== undefined && raw.length > p.maxLength) || (p.minLength !== undefined && raw.length < p.minLength)) throw bad();
  return raw;
}

/** A body value (parsed JSON) checked against the property's type. */
function bodyValue(name: string, v: unknown, p: PropertySchema, code: string): unknown {
  const t = typesOf(p);
  const ok =
    t.length === 0 ||
    (t.includes('integer') && typeof v === 'number' && Number.isSafeInteger(v) && v >= (p.minimum ?? -Infinity) && v <= (p.maximum ?? Infinity)) ||
    (t.includes('string') && typeof v === 'string' && (p.enum === undefined || p.enum.includes(v)) && v.length <= (p.maxLength ?? Infinity)) ||
    (t.includes('boolean') && typeof v === 'boolean') ||
    (t.includes('array') && Array.isArray(v) && v.length >= (p.minItems ?? 0) && (p.items === undefined || v.every((x) => bodyValue(name, x, p.items!, code) === x)));
  if (!ok) {
    const verb = p['x-allowed'] !== undefined && t.includes('array') ? 'expected' : 'allowed:';
    throw new HttpError(400, p['x-code'] ?? code, `${name} is ${describeValue(v, 60)}; ${verb} ${allowedText(p)}`);
  }
  return v;
}

/**
 * Compiles a route's querystring or body schema into a check that throws our 400s: an
 * unknown or repeated query parameter, a missing required one, a value of the wrong type or
 * range, each named with what is allowed. Query strings are coerced (integers strictly:
 * digits only). Schemas that are not objects (e.g. a `oneOf` of documented shapes) are for
 * the OpenAPI document only: the handler checks those bodies itself.
 */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const s = schema as Partial<ObjectSchema>;
  if (s.type !== 'object' || s.properties === undefined || (httpPart !== 'querystring' && httpPart !== 'body')) return () => true;
  const props = s.properties;
  const names = Object.keys(props);
  const required = s.required ?? [];
  const closed = s.additionalProperties === false;
  if (httpPart === 'querystring') {
    return (data: unknown) => {
      const q = (data ?? {}) as Record<string, string | string[]>;
      const out: Record<string, unknown> = {};
      for (const name in q) {
        const raw = q[name]!;
        const p = props[name];
        if (p === undefined) {
          if (closed) return { error: new HttpError(400, 'INVALID_QUERY', `unknown query parameter ${describeValue(name, 60)}; allowed: ${names.length === 0 ? 'none' : names.join(', ')}`) };
          continue;
        }
        if (Array.isArray(raw)) return { error: new HttpError(400, 'INVALID_QUERY', `query parameter ${describeValue(name, 60)} is given twice; give it once`) };
        try {
          out[name] = queryValue(name, raw, p, 'INVALID_QUERY');
        } catch (err) {
          return { error: err as Error };
        }
      }
      for (const name of required) {
        if (!(name in out)) return { error: new HttpError(400, props[name]!['x-code'] ?? 'INVALID_QUERY', `${name} is missing; allowed: ${allowedText(props[name]!)}`) };
      }
      return { value: out };
    };
  }
  const code = s['x-code'] ?? 'INVALID_OPTION';
  return (data: unknown) => {
    if (data === null || data === undefined) return { error: new HttpError(400, 'MALFORMED_JSON', 'request body is empty; expected a JSON object') };
    if (typeof data !== 'object' || Array.isArray(data)) {
      const what = Array.isArray(data) ? 'an array' : describeValue(data, 60);
      return { error: new HttpError(400, code, `request body is ${what}; expected an object${s['x-example'] ? ` such as ${s['x-example']}` : ''}`) };
    }
    const b = data as Record<string, unknown>;
    try {
      for (const name of Object.keys(b)) {
        const p = props[name];
        if (p === undefined) {
          if (closed) throw new HttpError(400, code, `unknown field ${describeValue(name, 60)}; allowed: ${names.join(', ')}`);
          continue;
        }
        bodyValue(name, b[name], p, code);
      }
      for (const name of required) {
        if (b[name] === undefined) throw new HttpError(400, props[name]!['x-code'] ?? code, `${name} is missing; allowed: ${allowedText(props[name]!)}`);
      }
    } catch (err) {
      return { error: err as Error };
    }
    return true;
  };
};
