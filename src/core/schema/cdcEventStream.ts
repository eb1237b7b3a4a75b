import { MockjutsuError, describeValue } from '../mockjutsuError.js';
import { derivePrng, type Prng } from '../prng.js';
import { normalizePartition, resolveSeed, type PartitionKey, type Seed } from '../generatorOptions.js';
import { DEFAULT_START_MS } from '../timeModel.js';
import { uuidV4 } from '../uuid.js';
import { compileSchema, instantOption, type SchemaGenerator } from './schemaGenerator.js';
import { DEFAULT_CDC_TABLES, type CdcTableDefinition } from './cdcTables.js';

/** A row as the change event carries it. */
export type CdcRow = Record<string, unknown>;

/** Debezium's `source` block. */
export interface CdcSource {
  version: string;
  connector: string;
  name: string;
  ts_ms: number;
  snapshot: 'false';
  db: string;
  schema: string;
  table: string;
  txId: number;
  lsn: number;
}

/**
 * A Debezium-style change event. Per row: `c` first (before null), then `u`s whose `before`
 * is the previous `after`, then maybe `d` (after null). `source.ts_ms` increases per table.
 */
export interface CdcEvent {
  before: CdcRow | null;
  after: CdcRow | null;
  source: CdcSource;
  op: 'c' | 'u' | 'd';
  ts_ms: number;
}

/** Options of {@link createCdcGenerator}. */
export interface CdcOptions {
  seed?: Seed;
  /** The tables (default customers, orders and products). */
  tables?: readonly CdcTableDefinition[];
  /** The first change's time (default 2025-01-01T00:00:00Z). */
  start?: string | number | Date;
  /** `source.db` (default "shop"). */
  database?: string;
  /** `source.connector` (default "postgresql"). */
  connector?: string;
}

/** One partition's endless change stream. Event k depends on (seed, partition, tables) and k. */
export interface CdcStream extends Iterable<CdcEvent> {
  readonly partition: string;
  next(): CdcEvent;
  take(n: number): CdcEvent[];
  /** Resuming from `{ index }` replays the partition up to it (rows carry state). */
  getState(): { index: number };
}

/** Compiled tables; streams per partition. */
export interface CdcGenerator {
  readonly seed: string;
  readonly tables: readonly string[];
  stream(partition?: PartitionKey, state?: { index: number }): CdcStream;
}

interface Table {
  name: string;
  key: string;
  integerKey: boolean;
  rows: SchemaGenerator<CdcRow>;
  weight: number;
  /** [column, index of the referenced table] */
  references: Array<[string, number]>;
}

interface LiveTable {
  live: CdcRow[];
  nextKey: number;
}

// Op mix once a table has rows: creates, updates and deletes in a 35 / 55 / 10 split.
const P_CREATE = 0.35;
const P_UPDATE = 0.55;

function compileTables(defs: readonly CdcTableDefinition[], seed: string, start: number): Table[] {
  if (!Array.isArray(defs) || defs.length === 0) throw new MockjutsuError('INVALID_OPTION', `tables is ${describeValue(defs)}; expected a non-empty array of { name, schema, key?, weight? }`, 'tables');
  const seen = new Set<string>();
  return defs.map((d, i) => {
    const at = `tables[${i}]`;
    if (typeof d !== 'object' || d === null || typeof d.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(d.name)) {
      throw new MockjutsuError('INVALID_OPTION', `${at}.name must be a table name (letters, digits, _)`, `${at}.name`);
    }
    if (seen.has(d.name)) throw new MockjutsuError('INVALID_OPTION', `${at}: table ${JSON.stringify(d.name)} is listed twice`, `${at}.name`);
    seen.add(d.name);
    const weight = d.weight ?? 1;
    if (typeof weight !== 'number' || !(weight > 0) || !Number.isFinite(weight)) throw new MockjutsuError('INVALID_OPTION', `${at}.weight is ${describeValue(weight)}; allowed: a number > 0`, `${at}.weight`);
    let rows: SchemaGenerator<CdcRow>;
    try {
      rows = compileSchema<CdcRow>(d.schema, { seed, start, optionalProbability: 1, nullProbability: 0.05, ...(d.ref !== undefined ? { ref: d.ref } : {}) });
    } catch (e) {
      if (e instanceof MockjutsuError) throw new MockjutsuError(e.code, `${at} (${d.name}): ${e.message}`, e.path);
      throw e;
    }
    const key = d.key ?? 'id';
    const keySchema = (d.schema as any)?.properties?.[key];
    return { name: d.name, key, integerKey: keySchema?.type === 'integer', rows, weight, references: [] as Array<[string, number]> };
  }).map((t, i, all) => {
    const refs = defs[i]!.references ?? {};
    for (const column of Object.keys(refs)) {
      const target = all.findIndex((x) => x.name === refs[column]);
      if (target < 0) throw new MockjutsuError('INVALID_OPTION', `tables[${i}].references.${column} names table ${JSON.stringify(refs[column])}, which is not in tables`, `tables[${i}].references.${column}`);
      t.references.push([column, target]);
    }
    return t;
  });
}

/** Compiles the tables' row schemas once; each partition's stream is then independent. */
export function createCdcGenerator(options: CdcOptions = {}): CdcGenerator {
  const seed = resolveSeed(options.seed);
  const start = options.start === undefined ? DEFAULT_START_MS : instantOption(options.start, 'start');
  const tables = compileTables(options.tables ?? DEFAULT_CDC_TABLES, seed, start);
  const db = options.database ?? 'shop';
  const connector = options.connector ?? 'postgresql';
  const total = tables.reduce((s, t) => s + t.weight, 0);
  const cumulative = tables.map((_, i) => tables.slice(0, i + 1).reduce((s, t) => s + t.weight, 0) / total);

  const stream = (partition: PartitionKey = 0, state?: { index: number }): CdcStream => {
    const p = normalizePartition(partition);
    const r: Prng = derivePrng(seed, 'cdc', p);
    const live: LiveTable[] = tables.map(() => ({ live: [], nextKey: 1 }));
    let clock = start;
    let txId = 1000;
    let lsn = 33_554_432;
    let index = 0;

    const next = (): CdcEvent => {
      const x = r();
      let ti = 0;
      while (cumulative[ti]! <= x && ti < tables.length - 1) ti++;
      const t = tables[ti]!;
      const lt = live[ti]!;
      clock += 1 + Math.floor(r() * 2000);
      txId += 1;
      lsn += 64 + Math.floor(r() * 4096);
      const u = lt.live.length === 0 ? 0 : r();
      let op: 'c' | 'u' | 'd';
      let before: CdcRow | null;
      let after: CdcRow | null;
      if (u < P_CREATE) {
        op = 'c';
        before = null;
        const row = t.rows.draw(r);
        row[t.key] = t.integerKey ? lt.nextKey : uuidV4(r);
        lt.nextKey++;
        for (const [column, target] of t.references) {
          const candidates = live[target]!.live;
          if (candidates.length > 0) row[column] = candidates[Math.floor(r() * candidates.length)]![tables[target]!.key];
        }
        if ('created_at' in row) row.created_at = new Date(clock).toISOString();
        if ('updated_at' in row) row.updated_at = new Date(clock).toISOString();
        after = row;
        lt.live.push(row);
      } else {
        const i = Math.floor(r() * lt.live.length);
        before = lt.live[i]!;
        if (u < P_CREATE + P_UPDATE) {
          op = 'u';
          const fresh = t.rows.draw(r);
          const cols = Object.keys(fresh).filter((k) => k !== t.key && k !== 'created_at' && k !== 'updated_at' && !t.references.some(([c]) => c === k));
          const row: CdcRow = { ...before };
          for (let n = 1 + Math.floor(r() * 3); n > 0 && cols.length > 0; n--) {
            const k = cols.splice(Math.floor(r() * cols.length), 1)[0]!;
            row[k] = fresh[k];
          }
          if ('updated_at' in row) row.updated_at = new Date(clock).toISOString();
          after = row;
          lt.live[i] = row;
        } else {
          op = 'd';
          after = null;
          lt.live[i] = lt.live[lt.live.length - 1]!;
          lt.live.pop();
        }
      }
      index++;
      return {
        before,
        after,
        source: { version: '2.7.0.Final', connector, name: 'mockjutsu', ts_ms: clock, snapshot: 'false', db, schema: 'public', table: t.name, txId, lsn },
        op,
        ts_ms: clock + 1 + Math.floor(r() * 50),
      };
    };
    const s: CdcStream = {
      partition: p,
      next,
      take(n) {
        const out: CdcEvent[] = [];
        for (let i = 0; i < n; i++) out.push(next());
        return out;
      },
      getState: () => ({ index }),
      *[Symbol.iterator]() {
        for (;;) yield next();
      },
    };
    if (state !== undefined) {
      if (typeof state !== 'object' || state === null || !Number.isSafeInteger(state.index) || state.index < 0) {
        throw new MockjutsuError('INVALID_OPTION', `state is ${describeValue(state)}; expected { index } from getState()`, 'state');
      }
      while (index < state.index) next();
    }
    return s;
  };
  return { seed, tables: tables.map((t) => t.name), stream };
}
