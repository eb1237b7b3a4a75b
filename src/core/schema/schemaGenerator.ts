import { MockjutsuError, describeValue } from '../mockjutsuError.js';
import { derivePrng, sessionPrng, type PartitionBase, type Prng } from '../prng.js';
import { normalizePartition, resolveSeed, type PartitionKey, type Seed } from '../generatorOptions.js';
import { DEFAULT_START_MS } from '../timeModel.js';
import { readSchemaDocument, locateSchema, type SchemaDocumentKind } from './schemaDocument.js';
import { SchemaCompiler, type SchemaMode, type ValueGenerator, type GenerationState } from './schemaCompiler.js';

/** Options of {@link compileSchema}. */
export interface CompileSchemaOptions {
  /** Which schema of the document: an OpenAPI `components.schemas` name, an AsyncAPI message or schema name, a `$defs` name, or a `#/...` pointer. */
  ref?: string;
  /** `realistic` (default) or `barebone` (AWS IATK's placeholder values). */
  mode?: SchemaMode;
  /** Determines every value. Without it a random seed is used (read it back from `.seed`). */
  seed?: Seed;
  /** Chance that an optional property is present (0..1, default 0.75). */
  optionalProbability?: number;
  /** Chance that a nullable value is null (0..1, default 0.1). */
  nullProbability?: number;
  /** Chance to use one of a node's `examples`/`example`/`default` instead of a drawn value (0..1, default 0.25). */
  examplesProbability?: number;
  /** How deep a recursive `$ref` is followed before only required, finite parts are generated (0..16, default 3). */
  maxRecursionDepth?: number;
  /** Dates and times are drawn within the year after this instant (ISO text, epoch ms or Date; default 2025-01-01T00:00:00Z). */
  start?: string | number | Date;
  /** Barebone mode's `format: date-time` value (IATK: the current time); pass it for reproducible bytes. */
  now?: string | number | Date;
  /** Parser of non-JSON text (YAML); the core carries none, Node's `parseSchemaText` is one. */
  parseText?: (text: string) => unknown;
}

/** What the compiled schema is and where it came from. */
export interface SchemaInfo {
  readonly name: string;
  readonly kind: SchemaDocumentKind;
  /** JSON pointer of the schema in its document. */
  readonly pointer: string;
  readonly eventSource?: string;
  readonly detailType?: string;
}

/** Where a value stream stands: its next value is value `index` of the partition. */
export interface SchemaStreamState {
  index: number;
}

/** One partition's endless stream of values. */
export interface SchemaValueStream<T = unknown> extends Iterable<T> {
  readonly partition: string;
  next(): T;
  take(n: number): T[];
  getState(): SchemaStreamState;
}

/**
 * A compiled schema: compile once, then make any number of values. Value k of partition p
 * depends on (seed, p, k) alone, as the session generator's sessions do.
 */
export interface SchemaGenerator<T = unknown> {
  readonly seed: string;
  readonly mode: SchemaMode;
  readonly info: SchemaInfo;
  /** Value `index` of `partition` (default 0). Pure. */
  value(index: number, partition?: PartitionKey): T;
  /** A stream of partition `partition`'s values, from `state` or the start. */
  stream(partition?: PartitionKey, state?: SchemaStreamState): SchemaValueStream<T>;
  /** The next value of the generator's own stream (partition 0). */
  next(): T;
  /** One value drawn from the caller's PRNG (for generators built on this one, e.g. cdc rows). */
  draw(r: Prng): T;
}

const OPTION_NAMES = new Set(['ref', 'mode', 'seed', 'optionalProbability', 'nullProbability', 'examplesProbability', 'maxRecursionDepth', 'start', 'now', 'parseText']);

function probability(v: unknown, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new MockjutsuError('INVALID_OPTION', `${name} is ${describeValue(v)}; allowed: a number from 0 to 1`, name);
  return v;
}

/** Epoch ms of an instant option (ISO text, epoch ms or Date). */
export function instantOption(v: unknown, name: string): number {
  const ms = v instanceof Date ? v.getTime() : typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN;
  if (!Number.isFinite(ms) || ms < 0 || ms > 253_402_300_799_999) {
    throw new MockjutsuError('INVALID_OPTION', `${name} is ${describeValue(v)}; allowed: an ISO-8601 instant, epoch milliseconds or a Date, between 1970 and 9999`, name);
  }
  return ms;
}

/** A partition's base words for a purpose ("schema", "context"...), derived once per partition. */
export function purposeBase(seed: string, purpose: string, partition: string): PartitionBase {
  const r = derivePrng(seed, purpose, partition);
  return [r.int32() >>> 0, r.int32() >>> 0, r.int32() >>> 0];
}

/** Keeps the bases of recently used partitions (k6 VUs and JMeter threads reuse a few). */
export class PartitionBases {
  private readonly bases = new Map<string, PartitionBase>();
  constructor(private readonly seed: string, private readonly purpose: string) {}
  get(partition: string): PartitionBase {
    let b = this.bases.get(partition);
    if (b === undefined) {
      if (this.bases.size >= 1024) this.bases.clear();
      b = purposeBase(this.seed, this.purpose, partition);
      this.bases.set(partition, b);
    }
    return b;
  }
}

/**
 * Compiles a schema (OpenAPI, AsyncAPI, JSON Schema or an EventBridge registry export; an
 * object or JSON text) into a generator. Everything that can be checked is checked here: a
 * schema no value satisfies throws a {@link MockjutsuError} naming the JSON pointer and why.
 */
export function compileSchema<T = unknown>(schema: unknown, options: CompileSchemaOptions = {}): SchemaGenerator<T> {
  if (typeof options !== 'object' || options === null) throw new MockjutsuError('INVALID_OPTION', `options is ${describeValue(options)}; expected an object`, 'options');
  for (const k of Object.keys(options)) {
    if (!OPTION_NAMES.has(k)) throw new MockjutsuError('INVALID_OPTION', `unknown option ${JSON.stringify(k)}; allowed: ${[...OPTION_NAMES].join(', ')}`, k);
  }
  const mode = options.mode ?? 'realistic';
  if (mode !== 'realistic' && mode !== 'barebone') throw new MockjutsuError('INVALID_OPTION', `mode is ${describeValue(mode)}; allowed: "realistic" or "barebone"`, 'mode');
  const depth = options.maxRecursionDepth ?? 3;
  if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 0 || depth > 16) {
    throw new MockjutsuError('INVALID_OPTION', `maxRecursionDepth is ${describeValue(depth)}; allowed: an integer from 0 to 16`, 'maxRecursionDepth');
  }
  if (options.parseText !== undefined && typeof options.parseText !== 'function') throw new MockjutsuError('INVALID_OPTION', 'parseText must be a function (text) => document', 'parseText');
  const seed = resolveSeed(options.seed);
  const baseMs = options.start === undefined ? DEFAULT_START_MS : instantOption(options.start, 'start');
  const fixedNow = options.now === undefined ? undefined : instantOption(options.now, 'now');
  const located = locateSchema(readSchemaDocument(schema, options.parseText), options.ref);
  const compiler = new SchemaCompiler(located.document, {
    mode,
    optionalProbability: probability(options.optionalProbability, 'optionalProbability', 0.75),
    nullProbability: probability(options.nullProbability, 'nullProbability', 0.1),
    examplesProbability: probability(options.examplesProbability, 'examplesProbability', 0.25),
    maxRecursionDepth: depth,
    baseMs,
    nowMs: fixedNow === undefined ? () => Date.now() : () => fixedNow,
  });
  const root = located.pointer === '#' ? compiler.compile(located.schema, '#') : compiler.compileRef(located.pointer, 'ref', located.name);
  // A few draws now: a recursion with no finite value (or a rare unsatisfiable branch) fails here.
  const probe: GenerationState = { r: derivePrng('mockjutsu', 'schema-probe', located.pointer), depth: 0, minimal: false };
  for (let i = 0; i < 8; i++) root(probe);
  const info: SchemaInfo = {
    name: located.name,
    kind: located.kind,
    pointer: located.pointer,
    ...(located.eventSource !== undefined ? { eventSource: located.eventSource } : {}),
    ...(located.detailType !== undefined ? { detailType: located.detailType } : {}),
  };
  return makeGenerator<T>(root, seed, mode, info);
}

function makeGenerator<T>(root: ValueGenerator, seed: string, mode: SchemaMode, info: SchemaInfo): SchemaGenerator<T> {
  // The schema's name and pointer join the key: two schemas under one seed draw different ids.
  const bases = new PartitionBases(seed, 'schema:' + info.name + ':' + info.pointer);
  const state: GenerationState = { r: undefined as unknown as Prng, depth: 0, minimal: false };
  const draw = (r: Prng): T => {
    state.r = r;
    state.depth = 0;
    state.minimal = false;
    return root(state) as T;
  };
  const value = (index: number, partition: PartitionKey = 0): T => {
    if (!Number.isSafeInteger(index) || index < 0) throw new MockjutsuError('INVALID_OPTION', `index is ${describeValue(index)}; allowed: an integer >= 0`, 'index');
    return draw(sessionPrng(bases.get(normalizePartition(partition)), index));
  };
  const stream = (partition: PartitionKey = 0, from?: SchemaStreamState): SchemaValueStream<T> => {
    const p = normalizePartition(partition);
    const base = bases.get(p);
    let k = from === undefined ? 0 : from.index;
    if (!Number.isSafeInteger(k) || k < 0) throw new MockjutsuError('INVALID_OPTION', `state.index is ${describeValue(k)}; expected { index } from getState()`, 'state.index');
    const s: SchemaValueStream<T> = {
      partition: p,
      next: () => draw(sessionPrng(base, k++)),
      take(n) {
        const out: T[] = [];
        for (let i = 0; i < n; i++) out.push(s.next());
        return out;
      },
      getState: () => ({ index: k }),
      *[Symbol.iterator]() {
        for (;;) yield s.next();
      },
    };
    return s;
  };
  let own: SchemaValueStream<T> | undefined;
  return { seed, mode, info, value, stream, next: () => (own ??= stream(0)).next(), draw };
}
