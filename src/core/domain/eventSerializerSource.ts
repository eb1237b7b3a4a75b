// The code generator of a domain's event serializer (the k6 runtime bundle swaps this file for
// a stub: there every domain comes with its serializer generated ahead, see domainModule.ts).
import { readSchemaDocument, locateSchema } from '../schema/schemaDocument.js';
import type { CompiledDomain } from './compileDomain.js';
import { ENVELOPE_CACHE_GROUP, ENVELOPE_NUMBER_FIELDS, FLATTEN_SOURCE } from './envelopeGroups.js';
import { isRecord } from './domainChecks.js';
import type { EventSerializer } from './eventSerializer.js';

// ---------------------------------------------------------------------------------------------
// Code generation, the way fast-json-stringify does it: from the domain's envelope columns and
// each event type's payload schema, one function whose constant key text is pre-joined. The
// generated source is self-contained (no imports), so it can be emitted ahead of time (k6).
//
// What is trusted and what is checked:
// - The envelope's keys and their order are the domain's (program.event builds every event with
//   that object literal). Their values are checked: a value of an unexpected type sends the
//   whole event to JSON.stringify.
// - Payloads and nested objects are walked with for-in (own enumerable keys in JSON.stringify's
//   order), each known key written by its schema type; an unknown key, a non-plain object
//   (a class instance, a Date, an object with toJSON) or a value of another type than the
//   schema's goes to JSON.stringify, so any payload gives the reference text.
// - Strings are escaped exactly as JSON.stringify does: a fast check finds the strings that need
//   no escape (no control character, quote, backslash or surrogate); the others go through
//   JSON.stringify. Only constants (event type names, key names) skip the check.

/** What the generated code assumes of a value, from its schema. */
type Kind =
  | { k: 'any' }
  | { k: 'string'; nullable: boolean }
  | { k: 'number'; nullable: boolean }
  | { k: 'boolean'; nullable: boolean }
  | { k: 'array'; items: Kind }
  | { k: 'object'; keys: string[]; props: Kind[] };

const MAX_DEPTH = 8;
/** Keys the object writer cannot take by name (JSON.stringify would call toJSON). */
const SPECIAL_KEYS = new Set(['toJSON']);

function kindOf(schema: unknown, depth: number): Kind {
  if (!isRecord(schema) || depth > MAX_DEPTH || schema.$ref !== undefined) return { k: 'any' };
  for (const k of ['allOf', 'anyOf', 'oneOf', 'not', 'if']) if (schema[k] !== undefined) return { k: 'any' };
  let types: unknown[] | undefined;
  if (typeof schema.type === 'string') types = [schema.type];
  else if (Array.isArray(schema.type)) types = schema.type;
  else if (Array.isArray(schema.enum)) types = [...new Set(schema.enum.map((v) => (v === null ? 'null' : typeof v)))];
  else if (schema.const !== undefined) types = [schema.const === null ? 'null' : typeof schema.const];
  if (types === undefined) return { k: 'any' };
  const nullable = types.includes('null');
  const rest = types.filter((t) => t !== 'null');
  if (rest.length !== 1) return { k: 'any' };
  const t = rest[0];
  if (t === 'string') return { k: 'string', nullable };
  if (t === 'integer' || t === 'number') return { k: 'number', nullable };
  if (t === 'boolean') return { k: 'boolean', nullable };
  if (t === 'array' && !nullable) return { k: 'array', items: isRecord(schema.items) ? kindOf(schema.items, depth + 1) : { k: 'any' } };
  if (t === 'object' && !nullable && isRecord(schema.properties)) {
    const keys = Object.keys(schema.properties);
    if (keys.some((key) => SPECIAL_KEYS.has(key))) return { k: 'any' };
    return { k: 'object', keys, props: keys.map((key) => kindOf((schema.properties as Record<string, unknown>)[key], depth + 1)) };
  }
  return { k: 'any' };
}

/** The payload schema of an event type, located in its document when it came by `$ref`. */
function payloadSchema(source: { schema: unknown; ref?: string } | undefined): unknown {
  if (source === undefined) return undefined;
  const s = source.schema;
  if (source.ref !== undefined || (isRecord(s) && (s.openapi !== undefined || s.asyncapi !== undefined || s.$defs !== undefined))) {
    try {
      return locateSchema(readSchemaDocument(s), source.ref).schema;
    } catch {
      return undefined;
    }
  }
  return s;
}

/** Generates the writers (named functions) of the kinds it meets. */
class Writers {
  readonly functions: string[] = [];
  private n = 0;
  private readonly byCode = new Map<string, string>();

  /** `doubled`: a character written twice wherever it is in the JSON text (see payloadTextSource). */
  constructor(private readonly doubled?: string) {}

  /** A constant of the output as a JS string literal. */
  private literal(text: string): string {
    return JSON.stringify(this.doubled === undefined ? text : text.split(this.doubled).join(this.doubled + this.doubled));
  }

  /**
   * Statements appending `PRE + json(x)` to `s` (`pre` a JS expression), nothing when x has no
   * JSON text (undefined, a function); `y` is a scratch variable.
   */
  property(kind: Kind, x: string, pre: string): string {
    const generic = `s+=G(${pre},${x});`;
    switch (kind.k) {
      case 'any': return generic;
      case 'string': return `if(typeof ${x}==="string")s+=${pre}+Q(${x});else ${kind.nullable ? `if(${x}===null)s+=${pre}+"null";else ` : ''}${generic}`;
      case 'number': return `if(typeof ${x}==="number")s+=${pre}+(${x}-${x}===0?""+${x}:"null");else ${kind.nullable ? `if(${x}===null)s+=${pre}+"null";else ` : ''}${generic}`;
      case 'boolean': return `if(${x}===true)s+=${pre}+"true";else if(${x}===false)s+=${pre}+"false";else ${kind.nullable ? `if(${x}===null)s+=${pre}+"null";else ` : ''}${generic}`;
      case 'array': return `if(AI(${x}))s+=${pre}+${this.array(kind)}(${x});else ${generic}`;
      case 'object': return `if(typeof ${x}==="object"&&${x}!==null)s+=${pre}+${this.object(kind)}(${x});else ${generic}`;
    }
  }

  /** An expression: the JSON text of array element x ("null" where JSON.stringify writes null). */
  element(kind: Kind, x: string): string {
    switch (kind.k) {
      case 'any': return `((y=J(${x}))===undefined?"null":y)`;
      case 'string': return `(typeof ${x}==="string"?Q(${x}):(y=J(${x}))===undefined?"null":y)`;
      case 'number': return `(typeof ${x}==="number"&&${x}-${x}===0?""+${x}:(y=J(${x}))===undefined?"null":y)`;
      case 'boolean': return `(${x}===true?"true":${x}===false?"false":(y=J(${x}))===undefined?"null":y)`;
      case 'array': return `(AI(${x})?${this.array(kind)}(${x}):(y=J(${x}))===undefined?"null":y)`;
      case 'object': return `(typeof ${x}==="object"&&${x}!==null?${this.object(kind)}(${x}):(y=J(${x}))===undefined?"null":y)`;
    }
  }

  /** Name of a function writing an array of `kind.items` (any other array: JSON.stringify). */
  array(kind: Extract<Kind, { k: 'array' }>): string {
    return this.define('A', `(v){if(GP(v)!==AP||v.toJSON!==undefined)return J(v);var n=v.length;if(n===0)return "[]";var x=v[0],y,s="["+${this.element(kind.items, 'x')};` +
      `for(var i=1;i<n;i++){x=v[i];s+=","+${this.element(kind.items, 'x')};}return s+"]";}`);
  }

  /**
   * Name of a function writing a plain object whose keys are among `kind.keys`, in its own key
   * order (as JSON.stringify); anything else goes to JSON.stringify.
   */
  object(kind: Extract<Kind, { k: 'object' }>): string {
    const cases = kind.keys.map((key, i) => {
      const q = JSON.stringify(key);
      // The key's text (with its comma unless first), once per case: the branches share it.
      // A string that needs no escape: its quotes join the key's text and the constant after it
      // (fewer rope pieces for the output's flattening to walk).
      const plain = kind.props[i]!.k === 'string'
        ? `if(typeof x==="string"&&S(x)){s+=(s.length===1?${this.literal(q + ':"')}:${this.literal(',' + q + ':"')})+x+${this.literal('"')};break;}`
        : '';
      return `case ${q}:x=v[k];${plain}w=s.length===1?${this.literal(q + ':')}:${this.literal(',' + q + ':')};${this.property(kind.props[i]!, 'x', 'w')}break;`;
    });
    return this.define('O', `(v){var p=GP(v);if(p!==OP&&p!==null)return J(v);var s="{",x,y,w;` +
      `for(var k in v){switch(k){${cases.join('')}default:return J(v);}}return s+"}";}`);
  }

  /** Names a writer function; the same code (the same kind met twice) is written once. */
  private define(prefix: string, code: string): string {
    const known = this.byCode.get(code);
    if (known !== undefined) return known;
    const name = `${prefix}${this.n++}`;
    this.byCode.set(code, name);
    this.functions.push(`function ${name}${code}`);
    return name;
  }
}


type Piece = { c: string } | { expr: string } | { group: number; fields: string[]; text: Piece[] };

/**
 * JS source of a domain's event serializer: `new Function(source)()` returns an
 * {@link EventSerializer}. Self-contained, so it can be written into a standalone module.
 */
export function eventSerializerSource(domain: CompiledDomain): string {
  const w = new Writers();
  const payloadWriters = payloadWriterNames(domain, w);
  const typeColumn = domain.envelope.find((c) => c.field === 'event_type')!;
  const checks: string[] = [];
  const pieces: Piece[] = [];
  const groups: Array<{ fields: string[]; text: Piece[] }> = [];
  let open: { group: number; kind: string; fields: string[]; text: Piece[] } | undefined;
  // A causation id is the event id of the event before, which the serializer has just checked:
  // the last event id and its escaped text are kept, so that id is checked once, not twice.
  let eventId: string | undefined;
  let causation: string | undefined;
  domain.envelope.forEach((col, i) => {
    const key = JSON.stringify(col.name);
    const v = `e${i}`;
    const sep = i === 0 ? '{' : ',';
    const g = ENVELOPE_CACHE_GROUP[col.field];
    if (col.field === 'payload') {
      checks.push(`var ${v}=e[${key}];if(typeof ${v}!=="object"||${v}===null)return J(e);`);
      pieces.push({ c: sep + key + ':' }, { expr: `PW[t](${v})` });
      open = undefined;
      return;
    }
    if (col.field === 'event_type') {
      pieces.push({ c: sep + key + ':' }, { expr: 'TN[t]' });
      open = undefined;
      return;
    }
    if (ENVELOPE_NUMBER_FIELDS.has(col.field)) checks.push(`var ${v}=e[${key}];if(typeof ${v}!=="number"||${v}-${v}!==0)return J(e);`);
    else if (col.field === 'causation_id') checks.push(`var ${v}=e[${key}];if(${v}!==null&&typeof ${v}!=="string")return J(e);`);
    else checks.push(`var ${v}=e[${key}];if(typeof ${v}!=="string")return J(e);`);
    if (g !== undefined) {
      if (open === undefined || open.kind !== g) {
        open = { group: groups.length, kind: g, fields: [], text: [] };
        groups.push(open);
        pieces.push({ group: open.group, fields: open.fields, text: open.text });
      }
      open.fields.push(v);
      open.text.push({ c: sep + key + ':"' }, { expr: `E(${v})` }, { c: '"' });
      return;
    }
    open = undefined;
    if (ENVELOPE_NUMBER_FIELDS.has(col.field)) pieces.push({ c: sep + key + ':' }, { expr: v });
    else if (col.field === 'causation_id') causation = v;
    else if (col.field === 'event_id') {
      eventId = v;
      pieces.push({ c: sep + key + ':"' }, { expr: 'IT' }, { c: '"' });
    } else pieces.push({ c: sep + key + ':"' }, { expr: `E(${v})` }, { c: '"' });
    if (col.field === 'causation_id') pieces.push({ c: sep + key + ':' }, { expr: 'CT' });
  });
  pieces.push({ c: '}' });

  // Constants next to a cached segment go into it; the rest are joined.
  const merged: Piece[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i]!;
    if ('group' in p) {
      const prev = merged[merged.length - 1];
      if (prev !== undefined && 'c' in prev) { p.text.unshift(prev); merged.pop(); }
      while (i + 1 < pieces.length && 'c' in pieces[i + 1]!) p.text.push(pieces[++i]!);
      merged.push(p);
    } else if ('c' in p && merged.length > 0 && 'c' in merged[merged.length - 1]!) {
      merged[merged.length - 1] = { c: (merged[merged.length - 1] as { c: string }).c + p.c };
    } else merged.push(p);
  }
  const join = (ps: Piece[]): string => {
    const out: Piece[] = [];
    for (const p of ps) {
      const last = out[out.length - 1];
      if ('c' in p && last !== undefined && 'c' in last) out[out.length - 1] = { c: last.c + p.c };
      else out.push(p);
    }
    return out.map((p) => ('c' in p ? JSON.stringify(p.c) : 'expr' in p ? p.expr : `G${p.group}`)).join('+');
  };

  const state: string[] = [];
  const refresh: string[] = [];
  for (const [gi, g] of groups.entries()) {
    state.push(`var G${gi}="";`, ...g.fields.map((f) => `var K${gi}_${f}=NONE;`));
    refresh.push(`if(${g.fields.map((f) => `${f}!==K${gi}_${f}`).join('||')}){${g.fields.map((f) => `K${gi}_${f}=${f};`).join('')}G${gi}=F(${join(g.text)});}`);
  }

  return '"use strict";' + helpersSource() +
    'var NONE={};' +
    // A string's JSON text without its quotes.
    'function E(s){return S(s)?s:J(s).slice(1,-1);}' +
    FLATTEN_SOURCE +
    w.functions.join('\n') + '\n' +
    `var T=new Map([${typeIndex(domain)}]);` +
    `var TN=[${domain.events.map((et) => JSON.stringify(JSON.stringify(et.name))).join(',')}];` +
    `var PW=[${payloadWriters.join(',')}];` +
    state.join('') + 'var LI=NONE,LT="";' +
    `return function(e){if(typeof e!=="object"||e===null)return J(e);var t=T.get(e[${JSON.stringify(typeColumn.name)}]);if(t===undefined||GP(e)!==OP)return J(e);` +
    checks.join('') + refresh.join('') +
    (eventId !== undefined ? `var IT=E(${eventId});` : '') +
    (causation !== undefined ? `var CT=${causation}===null?"null":'"'+(${causation}===LI?LT:E(${causation}))+'"';` : '') +
    (eventId !== undefined && causation !== undefined ? `LI=${eventId};LT=IT;` : '') +
    `return ${join(merged)};};`;
}

/** The writer of each event type's payload, by type index: its schema's object writer, else J. */
function payloadWriterNames(domain: CompiledDomain, w: Writers): string[] {
  return domain.events.map((et) => {
    const kind = kindOf(payloadSchema(et.payload), 0);
    return kind.k === 'object' ? w.object(kind) : 'J';
  });
}

/** `[name, index]` of every event type, for `new Map`. */
function typeIndex(domain: CompiledDomain): string {
  return domain.events.map((et) => `[${JSON.stringify(et.name)},${et.index}]`).join(',');
}

/**
 * The helpers of the generated writers: J (JSON.stringify), S (whether a string needs no
 * escape: no control character, quote, backslash or surrogate), Q (a string's JSON text) and G
 * (PRE + the JSON text of any value, or nothing when it has none: undefined, a function). With
 * `doubled`, every text they give has that character written twice.
 */
function helpersSource(doubled?: '"'): string {
  const quote = doubled === '"' ? '""' : '"';
  return 'var GP=Object.getPrototypeOf,OP=Object.prototype,AP=Array.prototype,AI=Array.isArray;' +
    (doubled === undefined
      ? 'var J=JSON.stringify;'
      : `var J0=JSON.stringify,DR=/${doubled}/g;function J(v){var t=J0(v);return t===undefined?t:t.replace(DR,${JSON.stringify(doubled + doubled)});}`) +
    'var R=/[\\u0000-\\u001f"\\\\\\ud800-\\udfff]/;' +
    'function S(s){var n=s.length;if(n>40)return !R.test(s);for(var i=0;i<n;i++){var c=s.charCodeAt(i);if(c<32||c===34||c===92||(c>=55296&&c<57344))return false;}return true;}' +
    `function Q(s){return S(s)?${JSON.stringify(quote)}+s+${JSON.stringify(quote)}:J(s);}` +
    'function G(w,x){var y;return x===undefined||(y=J(x))===undefined?"":w+y;}';
}

/**
 * JS source of a domain's payload writer for a CSV field: `new Function(source)()` returns
 * `(type, payload) => text`, the payload's JSON text (as `JSON.stringify(payload)`, undefined
 * when it has none) with every `doubled` written twice, as the text is made by the generated
 * writers of its type's schema instead of by a second pass over it (that pass was 20% of a CSV
 * export's CPU). For SQL, whose payload literal needs no such pass, these writers measured no
 * faster than JSON.stringify.
 */
export function payloadTextSource(domain: CompiledDomain, doubled: '"'): string {
  const w = new Writers(doubled);
  const payloadWriters = payloadWriterNames(domain, w);
  return '"use strict";' + helpersSource(doubled) + w.functions.join('\n') + '\n' +
    `var T=new Map([${typeIndex(domain)}]);var PW=[${payloadWriters.join(',')}];` +
    'return function(type,p){var t=T.get(type);return t===undefined||typeof p!=="object"||p===null?J(p):PW[t](p);};';
}

/** Compiles a domain's event serializer (prefer {@link serializerFor}, which caches it). */
export function compileEventSerializer(domain: CompiledDomain): EventSerializer {
  return new Function(eventSerializerSource(domain))() as EventSerializer;
}

