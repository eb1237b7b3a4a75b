import { MockjutsuError } from '../mockjutsuError.js';
import { derivePrng, type Prng } from '../prng.js';
import { childPointer, resolveLocalPointer } from './jsonPointer.js';
import { DROP_IF_UNSATISFIABLE, mergeSchemas, unsatisfiable } from './schemaMerge.js';
import { compilePattern } from './patternString.js';
import { heuristicFor, HEURISTIC_FALLBACKS } from './fieldHeuristics.js';
import { FORMAT_PADDERS, FORMAT_VALUES, REALISTIC_VALUES, instantMs, phraseOfLength, shortPhrase } from './realisticValues.js';

/** `realistic`: values that validate and look real. `barebone`: AWS IATK's placeholder event. */
export type SchemaMode = 'realistic' | 'barebone';

/** What a compiled value generator reads and updates while it makes one value. */
export interface GenerationState {
  r: Prng;
  /** How many recursive `$ref`s deep the generator is. */
  depth: number;
  /** Past the recursion limit: only required properties, minItems items, non-recursive branches. */
  minimal: boolean;
}

/** A compiled schema node: one value per call. */
export type ValueGenerator = (g: GenerationState) => unknown;

/** Settings a compilation runs with (validated by `compileSchema`). */
export interface CompilerSettings {
  readonly mode: SchemaMode;
  readonly optionalProbability: number;
  readonly nullProbability: number;
  readonly examplesProbability: number;
  readonly maxRecursionDepth: number;
  /** Dates and times are drawn within the year after this instant. */
  readonly baseMs: number;
  /** Barebone `format: date-time` value (IATK uses the current time). */
  readonly nowMs: () => number;
}

type Obj = Record<string, any>;

const ANNOTATIONS = new Set(['title', 'description', '$comment', 'example', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly', '$id', '$schema', '$anchor', 'discriminator', 'xml', 'externalDocs']);
const RETRIES = 1000;
const PROBE_DRAWS = 64;
const MAX_EXTRA_DEPTH = 32;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function clone<T>(v: T): T {
  return typeof v === 'object' && v !== null ? JSON.parse(JSON.stringify(v)) : v;
}

function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

/** JSON with object keys sorted: equal values (as uniqueItems compares them) give equal text. */
export function canonicalJson(v: unknown): string {
  if (typeof v !== 'object' || v === null) return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map(canonicalJson).join(',') + ']';
  const o = v as Obj;
  return '{' + Object.keys(o).sort().map((k) => JSON.stringify(k) + ':' + canonicalJson(o[k])).join(',') + '}';
}

function jsonType(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' && Number.isInteger(v) ? 'integer' : typeof v;
}

// Whether a const/enum value meets the type, bound, length and pattern keywords beside it.
function meetsSiblings(s: Obj, v: unknown): boolean {
  const t = jsonType(v);
  if (s.type !== undefined) {
    const types: string[] = Array.isArray(s.type) ? s.type : [s.type];
    const ok = types.includes(t) || (t === 'integer' && types.includes('number')) || (v === null && s.nullable === true);
    if (!ok) return false;
  }
  if (typeof v === 'number') {
    if (typeof s.minimum === 'number' && (s.exclusiveMinimum === true ? v <= s.minimum : v < s.minimum)) return false;
    if (typeof s.maximum === 'number' && (s.exclusiveMaximum === true ? v >= s.maximum : v > s.maximum)) return false;
    if (typeof s.exclusiveMinimum === 'number' && v <= s.exclusiveMinimum) return false;
    if (typeof s.exclusiveMaximum === 'number' && v >= s.exclusiveMaximum) return false;
    if (typeof s.multipleOf === 'number' && !Number.isInteger(v / s.multipleOf)) return false;
  }
  if (typeof v === 'string') {
    const n = codePoints(v);
    if (typeof s.minLength === 'number' && n < s.minLength) return false;
    if (typeof s.maxLength === 'number' && n > s.maxLength) return false;
    if (typeof s.pattern === 'string') {
      try {
        if (!new RegExp(s.pattern, 'u').test(v)) return false;
      } catch {
        return true;
      }
    }
  }
  return true;
}

function containsRef(s: unknown, seen = 0): boolean {
  if (seen > 200 || typeof s !== 'object' || s === null) return false;
  if (!Array.isArray(s) && typeof (s as Obj).$ref === 'string') return true;
  for (const v of Object.values(s as Obj)) if (containsRef(v, seen + 1)) return true;
  return false;
}

function inferTypes(s: Obj): string[] {
  if (s.type !== undefined) {
    const t = Array.isArray(s.type) ? s.type.map(String) : [String(s.type)];
    for (const x of t) {
      if (!['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'].includes(x)) {
        throw new MockjutsuError('INVALID_SCHEMA', `type ${JSON.stringify(x)} is not a JSON Schema type`, 'type');
      }
    }
    if (s.nullable === true && !t.includes('null')) t.push('null');
    return t;
  }
  let t: string;
  if (s.properties !== undefined || s.required !== undefined || s.additionalProperties !== undefined || s.patternProperties !== undefined || s.minProperties !== undefined) t = 'object';
  else if (s.items !== undefined || s.prefixItems !== undefined || s.minItems !== undefined || s.maxItems !== undefined || s.contains !== undefined) t = 'array';
  else if (s.minimum !== undefined || s.maximum !== undefined || s.multipleOf !== undefined || typeof s.exclusiveMinimum === 'number' || typeof s.exclusiveMaximum === 'number') t = 'number';
  else t = 'string';
  return s.nullable === true ? [t, 'null'] : [t];
}

function checkCount(s: Obj, key: string, at: string): number | undefined {
  const v = s[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new MockjutsuError('INVALID_SCHEMA', `${childPointer(at, key)}: ${key} must be a non-negative integer, not ${JSON.stringify(v)}`, childPointer(at, key));
  return v;
}

function checkNumber(s: Obj, key: string, at: string): number | undefined {
  const v = s[key];
  if (v === undefined || typeof v === 'boolean') return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new MockjutsuError('INVALID_SCHEMA', `${childPointer(at, key)}: ${key} must be a number, not ${JSON.stringify(v)}`, childPointer(at, key));
  return v;
}

// `not` is honoured by drawing again; only keywords this small matcher understands are allowed.
function matches(schema: unknown, v: unknown, at: string): boolean {
  if (schema === true) return true;
  if (schema === false) return false;
  if (!isObject(schema)) return false;
  for (const key of Object.keys(schema)) {
    const x = schema[key];
    if (ANNOTATIONS.has(key)) continue;
    if (key === 'type') {
      const types: string[] = Array.isArray(x) ? x : [x];
      const t = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
      const ok = types.some((ty) => ty === t || (ty === 'integer' && typeof v === 'number' && Number.isInteger(v)));
      if (!ok) return false;
    } else if (key === 'const') {
      if (JSON.stringify(x) !== JSON.stringify(v)) return false;
    } else if (key === 'enum') {
      const sv = JSON.stringify(v);
      if (!(x as unknown[]).some((e) => JSON.stringify(e) === sv)) return false;
    } else if (key === 'required') {
      if (!isObject(v) || !(x as string[]).every((k) => k in v)) return false;
    } else if (key === 'pattern') {
      if (typeof v === 'string' && !new RegExp(x, 'u').test(v)) return false;
    } else if (key === 'anyOf') {
      if (!(x as unknown[]).some((b) => matches(b, v, at))) return false;
    } else {
      throw new MockjutsuError('INVALID_SCHEMA', `${at}: "not" with the keyword ${JSON.stringify(key)} is not supported (allowed inside not: type, const, enum, required, pattern, anyOf)`, at);
    }
  }
  return true;
}

/**
 * Walks a schema once and returns a closure per node; generation then only runs closures.
 * Every bound, length, pattern and count is checked here, so a schema no value satisfies
 * fails at compile time with the JSON pointer of the keyword at fault.
 */
export class SchemaCompiler {
  private readonly refs = new Map<string, { gen?: ValueGenerator; compiling: boolean; recursive: boolean }>();
  private readonly probe = derivePrng('mockjutsu', 'schema-probe');

  constructor(private readonly document: unknown, private readonly settings: CompilerSettings) {}

  /** The generator of `schema`, found at `pointer`; `name` is its property name (for heuristics). */
  compile(schema: unknown, pointer: string, name?: string): ValueGenerator {
    if (schema === true) return this.compile({}, pointer, name);
    if (schema === false) unsatisfiable(pointer, 'the false schema allows no value');
    if (!isObject(schema)) throw new MockjutsuError('INVALID_SCHEMA', `${pointer}: a schema must be an object or a boolean, not ${Array.isArray(schema) ? 'an array' : typeof schema}`, pointer);
    const s = schema;

    if (typeof s.$ref === 'string') {
      const siblings = Object.keys(s).filter((k) => k !== '$ref' && !ANNOTATIONS.has(k));
      if (siblings.length === 0) return this.compileRef(s.$ref, pointer, name);
      return this.compile(mergeSchemas([s], pointer, (ref, at) => this.resolve(ref, at)), pointer, name);
    }
    if (Array.isArray(s.allOf)) return this.compile(mergeSchemas([s], pointer, (ref, at) => this.resolve(ref, at)), pointer, name);

    const realistic = this.settings.mode === 'realistic';
    const pinned = s['x-mockjutsu'];
    if (pinned !== undefined && realistic) return this.compilePinned(s, pinned, pointer);
    // a union first: its branches are merged with the siblings (an enum included)
    const union = Array.isArray(s.oneOf) ? 'oneOf' : Array.isArray(s.anyOf) ? 'anyOf' : undefined;
    if (union !== undefined) return this.withNot(s, pointer, this.compileUnion(s, union, pointer, name));
    if (s.const !== undefined) {
      const c = s.const;
      if (!meetsSiblings(s, c)) unsatisfiable(childPointer(pointer, 'const'), `const ${JSON.stringify(c)} does not meet the schema's other keywords (type, bounds, lengths or pattern)`);
      return this.withNot(s, pointer, typeof c === 'object' && c !== null ? () => clone(c) : () => c);
    }
    if (s.enum !== undefined) return this.withNot(s, pointer, this.compileEnum(s, pointer));
    return this.withNot(s, pointer, this.withExamples(s, this.compileTyped(s, pointer, name)));
  }

  /** The generator of a local `$ref`; recursive refs stop recursing past `maxRecursionDepth`. */
  compileRef(ref: string, at: string, name?: string): ValueGenerator {
    const key = ref === '#/' ? '#' : ref;
    let cell = this.refs.get(key);
    if (cell === undefined) {
      cell = { compiling: true, recursive: false };
      this.refs.set(key, cell);
      try {
        cell.gen = this.compile(this.resolve(ref, at), key, name);
      } catch (e) {
        // a union may skip this branch and go on: leave no half-compiled ref behind
        this.refs.delete(key);
        throw e;
      }
      cell.compiling = false;
    } else if (cell.compiling) {
      cell.recursive = true;
    }
    const c = cell;
    const limit = this.settings.maxRecursionDepth;
    return (g) => {
      if (!c.recursive) return c.gen!(g);
      const saved = g.minimal;
      g.depth++;
      if (g.depth > limit) g.minimal = true;
      if (g.depth > limit + MAX_EXTRA_DEPTH) unsatisfiable(at, `recursive $ref ${JSON.stringify(ref)} has no finite value (a required property or minItems keeps recursing)`);
      const v = c.gen!(g);
      g.depth--;
      g.minimal = saved;
      return v;
    };
  }

  private resolve(ref: string, at: string): unknown {
    try {
      return resolveLocalPointer(this.document, ref, at);
    } catch (e) {
      if (e instanceof MockjutsuError) throw new MockjutsuError(e.code, `${at}: ${e.message}`, at);
      throw e;
    }
  }

  /** Draws `PROBE_DRAWS` values at compile time so that a node no draw satisfies fails now, not later. */
  private probeNode(gen: ValueGenerator): void {
    const g: GenerationState = { r: this.probe, depth: 0, minimal: false };
    for (let i = 0; i < 4; i++) gen(g);
  }

  // Draw until `accept`; at compile time PROBE_DRAWS draws must give at least one accepted
  // value, so that at run time RETRIES draws failing is vanishingly rare ((1 - 1/64)^1000 < 1e-6).
  private retrying(gen: ValueGenerator, accept: (v: any) => boolean, at: string, why: string): ValueGenerator {
    const g: GenerationState = { r: this.probe, depth: 0, minimal: false };
    let hits = 0;
    for (let i = 0; i < PROBE_DRAWS && hits === 0; i++) if (accept(gen(g))) hits++;
    if (hits === 0) unsatisfiable(at, why);
    return (g) => {
      for (let i = 0; i < RETRIES; i++) {
        const v = gen(g);
        if (accept(v)) return v;
      }
      return unsatisfiable(at, why);
    };
  }

  private compilePinned(s: Obj, pinned: unknown, at: string): ValueGenerator {
    const name = typeof pinned === 'string' ? pinned : isObject(pinned) && typeof pinned.generator === 'string' ? pinned.generator : undefined;
    const p = childPointer(at, 'x-mockjutsu');
    const v = name === undefined ? undefined : REALISTIC_VALUES[name];
    if (v === undefined) {
      throw new MockjutsuError('INVALID_SCHEMA', `${p}: x-mockjutsu ${JSON.stringify(pinned)} names no generator; known: ${Object.keys(REALISTIC_VALUES).join(', ')}`, p);
    }
    const base = this.settings.baseMs;
    const asString = s.type === 'string' && v.type !== 'string';
    return asString ? (g) => String(v.draw(g.r, base)) : (g) => v.draw(g.r, base);
  }

  private compileEnum(s: Obj, at: string): ValueGenerator {
    let values = s.enum;
    if (!Array.isArray(values)) throw new MockjutsuError('INVALID_SCHEMA', `${childPointer(at, 'enum')}: enum must be an array`, childPointer(at, 'enum'));
    if (values.length === 0) unsatisfiable(childPointer(at, 'enum'), 'enum is empty: no value can match');
    values = values.filter((v) => meetsSiblings(s, v));
    if (values.length === 0) unsatisfiable(childPointer(at, 'enum'), 'no enum value meets the schema\'s other keywords (type, bounds, lengths or pattern)');
    if (this.settings.mode === 'barebone') {
      const first = values[0];
      return () => clone(first);
    }
    const n = values.length;
    return (g) => clone(values[Math.floor(g.r() * n)]);
  }

  private compileUnion(s: Obj, union: 'oneOf' | 'anyOf', at: string, name?: string): ValueGenerator {
    const branches: unknown[] = s[union];
    if (branches.length === 0) unsatisfiable(childPointer(at, union), `${union} is empty`);
    const base: Obj = {};
    for (const k of Object.keys(s)) if (k !== union && k !== 'not' && !ANNOTATIONS.has(k)) base[k] = s[k];
    const hasBase = Object.keys(base).length > 0;
    // a branch that cannot be met next to the siblings is never chosen; none left is an error
    const gens: ValueGenerator[] = [];
    const kept: unknown[] = [];
    let firstError: MockjutsuError | undefined;
    branches.forEach((b, i) => {
      const p = childPointer(at, union, i);
      try {
        gens.push(hasBase ? this.compile(mergeSchemas([base, b], p, (ref, a) => this.resolve(ref, a)), p, name) : this.compile(b, p, name));
        kept.push(b);
      } catch (e) {
        if (!(e instanceof MockjutsuError) || e.code !== 'UNSATISFIABLE_SCHEMA') throw e;
        firstError ??= e;
      }
    });
    if (gens.length === 0) unsatisfiable(childPointer(at, union), `no ${union} branch can be satisfied (first: ${firstError!.message})`);
    if (this.settings.mode === 'barebone') return gens[0]!;
    let simplest = kept.findIndex((b) => !containsRef(b));
    if (simplest < 0) simplest = 0;
    const n = gens.length;
    return (g) => (g.minimal ? gens[simplest]! : gens[Math.floor(g.r() * n)]!)(g);
  }

  private withExamples(s: Obj, gen: ValueGenerator): ValueGenerator {
    if (this.settings.mode !== 'realistic' || this.settings.examplesProbability === 0) return gen;
    const pool: unknown[] = [];
    if (Array.isArray(s.examples)) pool.push(...s.examples);
    if (s.example !== undefined) pool.push(s.example);
    if (s.default !== undefined) pool.push(s.default);
    if (pool.length === 0) return gen;
    const p = this.settings.examplesProbability;
    return (g) => (g.r() < p ? clone(pool[Math.floor(g.r() * pool.length)]) : gen(g));
  }

  private withNot(s: Obj, at: string, gen: ValueGenerator): ValueGenerator {
    if (s.not === undefined) return gen;
    const p = childPointer(at, 'not');
    let not: unknown = s.not;
    if (isObject(not) && typeof not.$ref === 'string') not = this.resolve(not.$ref, p);
    if (not === true || (isObject(not) && Object.keys(not).every((k) => ANNOTATIONS.has(k)))) unsatisfiable(p, '"not" excludes every value');
    matches(not, null, p); // rejects keywords the matcher does not know, at compile time
    return this.retrying(gen, (v) => !matches(not, v, p), p, '"not" excluded every value drawn (it excludes everything the schema allows?)');
  }

  private compileTyped(s: Obj, at: string, name?: string): ValueGenerator {
    let types: string[];
    try {
      types = inferTypes(s);
    } catch (e) {
      throw new MockjutsuError('INVALID_SCHEMA', `${childPointer(at, 'type')}: ${(e as Error).message}`, childPointer(at, 'type'));
    }
    const nonNull = types.filter((t) => t !== 'null');
    if (nonNull.includes('integer') && nonNull.includes('number')) nonNull.splice(nonNull.indexOf('number'), 1);
    const gens = nonNull.map((t) => this.compileType(t, s, at, name));
    const nullable = types.includes('null');
    if (this.settings.mode === 'barebone') return gens.length > 0 ? gens[0]! : () => null;
    if (gens.length === 0) return () => null;
    const pn = nullable ? this.settings.nullProbability : 0;
    const simplest = Math.max(0, nonNull.findIndex((t) => t !== 'object' && t !== 'array'));
    if (gens.length === 1 && pn === 0) return gens[0]!;
    const n = gens.length;
    const one = gens[0]!;
    return (g) => {
      if (g.minimal) return nullable ? null : gens[simplest]!(g);
      if (pn > 0 && g.r() < pn) return null;
      return n === 1 ? one(g) : gens[Math.floor(g.r() * n)]!(g);
    };
  }

  private compileType(type: string, s: Obj, at: string, name?: string): ValueGenerator {
    switch (type) {
      case 'object': return this.compileObject(s, at);
      case 'array': return this.compileArray(s, at, name);
      case 'string': return this.compileString(s, at, name);
      case 'number': return this.compileNumber(s, at, name, false);
      case 'integer': return this.compileNumber(s, at, name, true);
      case 'boolean': return this.settings.mode === 'barebone' ? () => false : (g) => g.r() < 0.5;
      default: return () => null;
    }
  }

  private compileObject(s: Obj, at: string): ValueGenerator {
    const props: Obj = isObject(s.properties) ? s.properties : {};
    const required: string[] = Array.isArray(s.required) ? s.required : [];
    const minP = checkCount(s, 'minProperties', at) ?? 0;
    const maxP = checkCount(s, 'maxProperties', at) ?? Infinity;
    if (minP > maxP) unsatisfiable(at, `minProperties ${minP} is greater than maxProperties ${maxP}`);
    if (required.length > maxP) unsatisfiable(childPointer(at, 'required'), `${required.length} required properties but maxProperties is ${maxP}`);
    const additional = s.additionalProperties;
    const patternProps: Obj = isObject(s.patternProperties) ? s.patternProperties : {};
    const patterns = Object.keys(patternProps).map((p) => ({ p, re: compilePattern(p, childPointer(at, 'patternProperties')) }));
    const barebone = this.settings.mode === 'barebone';

    const entries: Array<{ key: string; gen: ValueGenerator; required: boolean }> = [];
    for (const key of Object.keys(props)) {
      if (props[key] === false) {
        if (required.includes(key)) unsatisfiable(childPointer(at, 'properties', key), `required property ${JSON.stringify(key)} has the false schema`);
        continue;
      }
      const isRequired = required.includes(key);
      let gen: ValueGenerator;
      try {
        gen = this.compile(props[key], childPointer(at, 'properties', key), key);
      } catch (e) {
        // an optional property that allOf left unsatisfiable is simply never present
        if (isRequired || !isObject(props[key]) || props[key][DROP_IF_UNSATISFIABLE] !== true || !(e instanceof MockjutsuError) || e.code !== 'UNSATISFIABLE_SCHEMA') throw e;
        continue;
      }
      entries.push({ key, gen, required: isRequired });
    }
    for (const key of required) {
      if (key in props) continue;
      const pp = patterns.find((x) => x.re.regex.test(key));
      if (pp) entries.push({ key, gen: this.compile(patternProps[pp.p], childPointer(at, 'patternProperties', pp.p), key), required: true });
      else if (additional === false) unsatisfiable(childPointer(at, 'required'), `required property ${JSON.stringify(key)} is not in properties and additionalProperties is false`);
      else entries.push({ key, gen: this.compile(isObject(additional) ? additional : {}, childPointer(at, 'additionalProperties'), key), required: true });
    }
    if (additional === false && patterns.length === 0 && entries.length < minP) {
      unsatisfiable(at, `minProperties ${minP} but only ${entries.length} properties are allowed (additionalProperties is false)`);
    }
    if (barebone) {
      return (g) => {
        const o: Obj = {};
        for (const e of entries) o[e.key] = e.gen(g);
        return o;
      };
    }
    const extra = isObject(additional) ? this.compile(additional, childPointer(at, 'additionalProperties')) : undefined;
    const patternGens = patterns.map((x) => ({ re: x.re, gen: this.compile(patternProps[x.p], childPointer(at, 'patternProperties', x.p)) }));
    const free = additional !== false;
    const pOpt = this.settings.optionalProbability;
    const nRequired = entries.filter((e) => e.required).length;
    // dependentRequired (2019-09+) and the array form of draft-07 dependencies: when a key is
    // present, the keys it lists must be too
    const dependent: Array<[string, Array<(typeof entries)[number]>]> = [];
    for (const source of [s.dependentRequired, s.dependencies]) {
      if (!isObject(source)) continue;
      for (const key of Object.keys(source)) {
        if (!Array.isArray(source[key])) continue;
        const needs = (source[key] as string[]).map((k) => {
          const e = entries.find((x) => x.key === k);
          if (e === undefined) unsatisfiable(childPointer(at, source === s.dependentRequired ? 'dependentRequired' : 'dependencies', key), `${JSON.stringify(key)} requires ${JSON.stringify(k)}, which is not among the properties this schema generates`);
          return e;
        });
        dependent.push([key, needs]);
      }
    }
    return (g) => {
      const o: Obj = {};
      let n = 0;
      let budget = maxP - nRequired;
      let skipped: typeof entries | undefined;
      for (const e of entries) {
        if (e.required) {
          o[e.key] = e.gen(g);
          n++;
        } else if (budget > 0 && !g.minimal && g.r() < pOpt) {
          o[e.key] = e.gen(g);
          n++;
          budget--;
        } else if (minP > 0) {
          (skipped ??= []).push(e);
        }
      }
      if (!g.minimal && budget > 0) {
        // patternProperties and additionalProperties schemas: now and then a key or two of their own
        for (const pg of patternGens) {
          if (budget > 0 && g.r() < 0.5) {
            const k = pg.re.draw(g.r);
            if (!(k in o) && !(k in props) && pg.re.regex.test(k)) {
              o[k] = pg.gen(g);
              n++;
              budget--;
            }
          }
        }
        if (extra !== undefined && budget > 0 && g.r() < 0.5) {
          const k = 'x_' + shortPhrase(g.r).replace(/[^A-Za-z0-9]/g, '_');
          if (!(k in o) && !(k in props) && !patterns.some((x) => x.re.regex.test(k))) {
            o[k] = extra(g);
            n++;
          }
        }
      }
      for (let d = 0; d < dependent.length; d++) {
        const [key, needs] = dependent[d]!;
        if (!(key in o)) continue;
        for (const e of needs) {
          if (e.key in o) continue;
          o[e.key] = e.gen(g);
          n++;
          d = -1; // a key just added may have dependents of its own
        }
      }
      if (n > maxP) unsatisfiable(at, `dependentRequired adds keys beyond maxProperties ${maxP}`);
      if (n < minP) {
        for (const e of skipped ?? []) {
          if (n >= minP) break;
          o[e.key] = e.gen(g);
          n++;
        }
        for (let i = 0; n < minP && free && i < minP * 4; i++) {
          const k = 'extra_' + i;
          if (k in o || k in props || patterns.some((x) => x.re.regex.test(k))) continue;
          o[k] = extra !== undefined ? extra(g) : shortPhrase(g.r);
          n++;
        }
        if (n < minP) unsatisfiable(at, `could not reach minProperties ${minP}`);
      }
      return o;
    };
  }

  private compileArray(s: Obj, at: string, name?: string): ValueGenerator {
    if (this.settings.mode === 'barebone') return () => [];
    let tupleSchemas: unknown[] = [];
    let rest: unknown = {};
    let restAt = childPointer(at, 'items');
    if (Array.isArray(s.prefixItems)) {
      tupleSchemas = s.prefixItems;
      if (s.items !== undefined) rest = s.items;
    } else if (Array.isArray(s.items)) {
      tupleSchemas = s.items;
      rest = s.additionalItems ?? {};
      restAt = childPointer(at, 'additionalItems');
    } else if (s.items !== undefined) {
      rest = s.items;
    }
    const tupleKey = Array.isArray(s.prefixItems) ? 'prefixItems' : 'items';
    const tuple = tupleSchemas.map((t, i) => this.compile(t, childPointer(at, tupleKey, i), name));
    const minI = checkCount(s, 'minItems', at) ?? 0;
    const maxI = checkCount(s, 'maxItems', at) ?? Infinity;
    if (minI > maxI) unsatisfiable(at, `minItems ${minI} is greater than maxItems ${maxI}`);
    const restAllowed = rest !== false;
    if (!restAllowed && minI > tuple.length) unsatisfiable(at, `minItems ${minI} but only ${tuple.length} items are allowed`);
    const restGen = restAllowed ? this.compile(rest, restAt, name) : undefined;
    const unique = s.uniqueItems === true;
    if (unique && isObject(rest)) {
      const distinct = Array.isArray(rest.enum) ? rest.enum.length : rest.const !== undefined ? 1 : rest.type === 'boolean' ? 2 : rest.type === 'null' ? 1 : Infinity;
      if (minI - tuple.length > distinct) unsatisfiable(childPointer(at, 'uniqueItems'), `uniqueItems with minItems ${minI} needs ${minI} distinct values but items allow only ${distinct}`);
    }
    const lo = Math.max(minI, Math.min(tuple.length, maxI), restAllowed ? Math.min(1, maxI) : 0);
    const hi = restAllowed ? Math.min(maxI, Math.max(lo + 2, tuple.length)) : Math.min(maxI, tuple.length);
    const span = hi - lo + 1;
    // the item that meets `contains` is an item too: it must also meet `items`
    let contains: ValueGenerator | undefined;
    if (s.contains !== undefined && !restAllowed) {
      throw new MockjutsuError('INVALID_SCHEMA', `${childPointer(at, 'contains')}: contains with a closed tuple (items: false) is not supported`, childPointer(at, 'contains'));
    }
    if (s.contains !== undefined) {
      const cAt = childPointer(at, 'contains');
      if (maxI <= tuple.length) unsatisfiable(cAt, `contains needs an item but maxItems is ${maxI}`);
      contains = this.compile(rest === true || (isObject(rest) && Object.keys(rest).length === 0) ? s.contains : mergeSchemas([rest, s.contains], cAt, (ref, a) => this.resolve(ref, a)), cAt, name);
    }
    const gen: ValueGenerator = (g) => {
      const n = g.minimal ? minI : lo + Math.floor(g.r() * span);
      const out: unknown[] = [];
      if (!unique) {
        for (let i = 0; i < n; i++) out.push(i < tuple.length ? tuple[i]!(g) : restGen!(g));
      } else {
        const seen = new Set<string>();
        for (let i = 0, tries = 0; out.length < n && tries < n * 16 + 16; tries++) {
          const v = out.length < tuple.length ? tuple[out.length]!(g) : restGen!(g);
          const k = canonicalJson(v);
          if (seen.has(k)) continue;
          seen.add(k);
          out.push(v);
          i++;
        }
        if (out.length < minI) unsatisfiable(childPointer(at, 'uniqueItems'), `could not draw ${minI} distinct items`);
      }
      if (contains !== undefined && !g.minimal) {
        const v = contains(g);
        const k = unique ? canonicalJson(v) : '';
        if (unique && out.some((x) => canonicalJson(x) === k)) return out;
        if (out.length < maxI && out.length < Math.max(hi, tuple.length + 1)) out.push(v);
        else out[tuple.length + Math.floor(g.r() * (out.length - tuple.length))] = v;
      } else if (contains !== undefined && out.length === tuple.length) {
        out.push(contains(g));
      }
      return out;
    };
    if (unique) this.probeNode(gen);
    return gen;
  }

  private compileString(s: Obj, at: string, name?: string): ValueGenerator {
    const minL = checkCount(s, 'minLength', at) ?? 0;
    const maxL = checkCount(s, 'maxLength', at) ?? Infinity;
    if (minL > maxL) unsatisfiable(at, `minLength ${minL} is greater than maxLength ${maxL}`);
    const format = typeof s.format === 'string' ? s.format : undefined;
    if (this.settings.mode === 'barebone') {
      if (format === 'date-time') {
        const now = this.settings.nowMs;
        return () => new Date(now()).toISOString();
      }
      return () => '';
    }
    const base = this.settings.baseMs;
    const pattern = s.pattern !== undefined ? compilePattern(s.pattern, childPointer(at, 'pattern'), minL) : undefined;
    // code points lie in [length / 2, length]: count them only when that range is not enough
    const unbounded = minL === 0 && maxL === Infinity;
    const fitsLength = (v: string) => {
      const n = v.length;
      if (n <= maxL && n >= 2 * minL) return true;
      const cp = codePoints(v);
      return cp >= minL && cp <= maxL;
    };
    const formatValue = format !== undefined && FORMAT_VALUES[format] !== undefined ? REALISTIC_VALUES[FORMAT_VALUES[format]!]! : undefined;
    const accept = pattern ? (v: string) => fitsLength(v) && pattern.regex.test(v) : fitsLength;
    let strict: ValueGenerator | undefined;
    if (formatValue !== undefined) {
      const draw = formatValue.draw;
      const pad = minL > 0 ? FORMAT_PADDERS[FORMAT_VALUES[format!]!] : undefined;
      const drawFormat: ValueGenerator = pad ? (g) => pad(draw(g.r, base) as string, minL) : (g) => draw(g.r, base);
      // our format values always match their format: only lengths or a pattern need checking
      strict = !pattern && unbounded ? drawFormat : this.retrying(drawFormat, accept, at, `no ${format} value fits${pattern ? ' pattern ' + JSON.stringify(s.pattern) : ''}${minL > 0 ? ' minLength ' + minL : ''}${maxL < Infinity ? ' maxLength ' + maxL : ''}`);
    } else if (pattern !== undefined) {
      strict = this.retrying((g) => pattern.draw(g.r), accept, childPointer(at, 'pattern'), `no string matching pattern ${JSON.stringify(s.pattern)}${minL > 0 || maxL < Infinity ? ` with length ${minL}..${maxL}` : ''} could be drawn`);
    }
    const upper = Math.min(maxL, Math.max(minL, 24));
    const fallback: ValueGenerator = strict ?? (minL === 0 && maxL === Infinity
      ? (g) => shortPhrase(g.r)
      : (g) => phraseOfLength(g.r, minL + Math.floor(g.r() * (upper - minL + 1))));
    // A name heuristic (currency, email, city...) is used when its values can pass the format,
    // pattern and lengths; a value that does not falls back to the strict generator.
    const h = format === undefined || FORMAT_VALUES[format] === heuristicFor(name, 'string') ? heuristicFor(name, 'string') : undefined;
    if (h === undefined) return fallback;
    // the name's generator, else its narrower sibling (country -> countryCode for "^[A-Z]{2}$")
    const usable = [h, HEURISTIC_FALLBACKS[h]].find((c) => {
      if (c === undefined) return false;
      for (let i = 0; i < 16; i++) if (accept(REALISTIC_VALUES[c]!.draw(this.probe, base) as string)) return true;
      return false;
    });
    if (usable === undefined) return fallback;
    const draw = REALISTIC_VALUES[usable]!.draw;
    return (g) => {
      const v = draw(g.r, base) as string;
      return accept(v) ? v : fallback(g);
    };
  }

  private compileNumber(s: Obj, at: string, name: string | undefined, integer: boolean): ValueGenerator {
    if (this.settings.mode === 'barebone') return () => 0;
    let lo = checkNumber(s, 'minimum', at);
    let hi = checkNumber(s, 'maximum', at);
    let loEx = s.exclusiveMinimum === true;
    let hiEx = s.exclusiveMaximum === true;
    const exMin = checkNumber(s, 'exclusiveMinimum', at);
    const exMax = checkNumber(s, 'exclusiveMaximum', at);
    if (exMin !== undefined && (lo === undefined || exMin >= lo)) { lo = exMin; loEx = true; }
    if (exMax !== undefined && (hi === undefined || exMax <= hi)) { hi = exMax; hiEx = true; }
    const m = checkNumber(s, 'multipleOf', at);
    if (m !== undefined && m <= 0) throw new MockjutsuError('INVALID_SCHEMA', `${childPointer(at, 'multipleOf')}: multipleOf must be greater than 0`, childPointer(at, 'multipleOf'));
    if (lo !== undefined && hi !== undefined && (lo > hi || (lo === hi && (loEx || hiEx)))) {
      unsatisfiable(at, `${loEx ? 'exclusiveMinimum' : 'minimum'} ${lo} ${lo === hi ? 'leaves no room below' : 'is greater than'} ${hiEx ? 'exclusiveMaximum' : 'maximum'} ${hi}`);
    }
    if (s.format === 'int32') { lo ??= -2147483648; hi ??= 2147483647; }
    // Unbounded sides get a realistic range: the name's (price, quantity, age...) or 0..1000.
    const h = heuristicFor(name, integer ? 'integer' : 'number');
    const hr = h === 'price' ? [1, 500] : h === 'quantity' ? [1, 10] : h === 'age' ? [18, 90] : h === 'latitude' ? [-90, 90] : h === 'longitude' ? [-180, 180]
      : h === 'percent' ? [0, 100] : h === 'epochMillis' ? [this.settings.baseMs, this.settings.baseMs + 365 * 86_400_000] : [0, 1000];
    let a: number, b: number;
    if (lo === undefined && hi === undefined) { a = hr[0]!; b = hr[1]!; }
    else if (hi === undefined) { a = lo!; b = hr[1]! > lo! && hr[0]! >= lo! ? hr[1]! : lo! + 1000; if (hr[0]! > a) a = hr[0]!; }
    else if (lo === undefined) { b = hi; a = hr[0]! < hi && hr[1]! <= hi ? hr[0]! : hi - 1000; if (hr[1]! < b) b = hr[1]!; }
    else { a = lo; b = hi; if (hr[0]! >= lo && hr[1]! <= hi && !(h === undefined)) { a = hr[0]!; b = hr[1]!; } }
    const inRange = (v: number) => (lo === undefined || (loEx ? v > lo : v >= lo)) && (hi === undefined || (hiEx ? v < hi : v <= hi));

    if (m !== undefined || integer) {
      let step = m ?? 1;
      if (integer && !Number.isInteger(step)) {
        let j = 1;
        while (j < 1000 && !Number.isInteger(Math.round(j * step * 1e9) / 1e9)) j++;
        step = Math.round(j * step * 1e9) / 1e9;
      }
      const decimals = Number.isInteger(step) ? 0 : Math.min(12, (String(step).split('.')[1] ?? '').length || 12);
      const valueOf = (k: number) => (decimals === 0 ? k * step : Number((k * step).toFixed(decimals)));
      const multiple = (v: number) => m === undefined || Number.isInteger(v / m);
      let kLo = Math.ceil(a / step);
      let kHi = Math.floor(b / step);
      while (kLo <= kHi && !inRange(valueOf(kLo))) kLo++;
      while (kHi >= kLo && !inRange(valueOf(kHi))) kHi--;
      // a large multipleOf leaves few multiples in the default range: open sides get 100 of them
      if (m !== undefined && h === undefined && kLo <= kHi && kHi - kLo < 99) {
        if (hi === undefined) kHi = kLo + 99;
        else if (lo === undefined) kLo = kHi - 99;
      }
      if (kLo > kHi) {
        // the realistic default range may be the problem, not the schema: retry on the bounds alone
        kLo = Math.ceil((lo ?? a) / step);
        kHi = Math.floor((hi ?? b) / step);
        while (kLo <= kHi && !inRange(valueOf(kLo))) kLo++;
        while (kHi >= kLo && !inRange(valueOf(kHi))) kHi--;
        if (kLo > kHi) unsatisfiable(at, `no ${integer ? 'integer' : 'number'}${m !== undefined ? ' multiple of ' + m : ''} lies between ${lo ?? '-inf'} and ${hi ?? '+inf'}`);
      }
      const span = kHi - kLo + 1;
      const fallback = valueOf(kLo);
      return (g) => {
        for (let i = 0; i < 8; i++) {
          const v = valueOf(kLo + Math.floor(g.r() * span));
          if (inRange(v) && multiple(v)) return v;
        }
        return fallback;
      };
    }
    const width = b - a;
    const scale = width >= 10 ? 100 : 1e6;
    const mid = a + width / 2;
    return (g) => {
      const raw = a + g.r() * width;
      const v = Math.round(raw * scale) / scale;
      if (inRange(v)) return v;
      return inRange(raw) ? raw : mid;
    };
  }
}

export { instantMs };
