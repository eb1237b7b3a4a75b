import {
  createGenerator, getDataType, normalizePartition, positionedItems, textChunks,
  envelopeItem,
  type EnvelopeKind, type GeneratorOptions, type Session, type SessionGenerator, type UserProfile,
} from '../core/index.js';
import {
  createSessionExportWriter, jsonArrayChunks, jsonLineChunks, userCsvChunks, userSqlChunks, type SqlDialect,
} from '../formats/index.js';
import { UsageError } from './cliCommand.js';
import type { ProgressCounter } from './progressBar.js';

/** Output formats of `export`. */
export type ExportFormat = 'json' | 'ndjson' | 'csv' | 'sql';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['json', 'ndjson', 'csv', 'sql'];

/** What to write: `count` items of `type` (sessions for event_stream) in `format`. */
export interface ExportPlan {
  type: string;
  format: ExportFormat;
  count: number;
  options: GeneratorOptions & { partition?: string };
  /**
   * event_stream only: sessions 0..count-1 of each of these partitions, one partition after the
   * other, each numbered from global position 1 as its own stream is (`createSessionStream`).
   * Default: the one partition of `options.partition` (0).
   */
  partitions?: readonly string[];
  /** A standard envelope around every event (json and ndjson only). */
  envelope?: EnvelopeKind;
  /** Indent JSON (json format only). */
  pretty?: boolean;
  dialect?: SqlDialect;
  table?: string;
  /** Updated as items are generated, for the progress bar. */
  counter?: ProgressCounter;
}

/**
 * Items 0..count-1 of the type's sequence for the partition, lazily: the same items, in the
 * same order and with the same global positions, as `jutsu.bulk(type, { count, ... })`.
 */
function typeItems(plan: ExportPlan): Iterable<unknown> {
  const type = getDataType(plan.type);
  const { partition, ...rest } = plan.options;
  const items = positionedItems(type, createGenerator(rest), normalizePartition(partition ?? 0), plan.count);
  const counter = plan.counter;
  if (!counter) return items;
  return (function* () {
    for (const item of items) {
      counter.items++;
      counter.events += type.positions(item);
      yield item;
    }
  })();
}

/** The partitions an event_stream export covers, in order. */
export function exportPartitions(plan: ExportPlan): string[] {
  return plan.partitions !== undefined ? [...plan.partitions] : [normalizePartition(plan.options.partition ?? 0)];
}

/** Sessions 0..count-1 of each partition in turn, counted when a progress counter is set. */
function* exportSessions(plan: ExportPlan, generator: SessionGenerator): Generator<Session> {
  const counter = plan.counter;
  for (const partition of exportPartitions(plan)) {
    const stream = generator.stream(partition);
    for (let i = 0; i < plan.count; i++) {
      const session = stream.nextSession();
      if (counter) {
        counter.items++;
        counter.events += session.length;
      }
      yield session;
    }
  }
}

/** The chunks of an event_stream export written in this thread (the `--workers 1` path). */
function sessionExportChunks(plan: ExportPlan): Iterable<string> {
  const { partition: _p, ...rest } = plan.options;
  const generator = createGenerator(rest); // now: bad options throw before the output is opened
  const writer = createSessionExportWriter({ format: plan.format, pretty: plan.pretty, dialect: plan.dialect, table: plan.table, domain: generator.config.domain });
  return textChunks(exportSessions(plan, generator), (chunk, session) => writer.append(chunk, session), { head: writer.head, tail: () => writer.tail() });
}

/** Types other than event_stream (which writes every format itself) with a flat table for csv and sql. */
const TABLES: Record<string, { csv(plan: ExportPlan): Iterable<string>; sql(plan: ExportPlan): Iterable<string> }> = {
  user: {
    csv: (plan) => userCsvChunks(typeItems(plan) as Iterable<UserProfile>),
    sql: (plan) => userSqlChunks(typeItems(plan) as Iterable<UserProfile>, { dialect: plan.dialect, table: plan.table }),
  },
};

/**
 * Every event (every item of other types) in a CloudEvents or EventBridge envelope, as JSON
 * lines or a JSON array (sessions stay arrays, of enveloped events).
 */
function envelopedChunks(plan: ExportPlan, kind: EnvelopeKind): Iterable<string> {
  if (plan.format === 'csv' || plan.format === 'sql') throw new UsageError(`--envelope ${kind} applies to --format json and ndjson (an envelope nests the event; csv and sql are flat)`);
  const { partition: _p, ...rest } = plan.options;
  const generator = createGenerator(rest);
  const pretty = plan.pretty === true;
  const stringify = pretty ? (x: unknown) => JSON.stringify(x, null, 2) : (x: unknown) => JSON.stringify(x);
  if (plan.type === 'event_stream') {
    const partitions = exportPartitions(plan);
    const sessions = (function* () {
      let i = 0;
      for (const session of exportSessions(plan, generator)) {
        const partition = partitions[Math.floor(i++ / plan.count)]!;
        yield envelopeItem('event_stream', session, kind, generator, partition, 0) as unknown[];
      }
    })();
    if (plan.format === 'json') return jsonArrayChunks(sessions, stringify, pretty);
    return textChunks(sessions, (chunk, session) => {
      for (const e of session) chunk += JSON.stringify(e) + '\n';
      return chunk;
    });
  }
  const partition = normalizePartition(plan.options.partition ?? 0);
  let index = 0;
  const items = (function* () {
    for (const item of typeItems(plan)) yield envelopeItem(plan.type, item, kind, generator, partition, index++);
  })();
  return plan.format === 'json' ? jsonArrayChunks(items, stringify, pretty) : jsonLineChunks(items, (x) => JSON.stringify(x));
}

/** Types `--format csv|sql` can write. */
export function tabularTypes(): string[] {
  return ['event_stream', ...Object.keys(TABLES)];
}

/**
 * The chunks (~64 KB of whole records) of an export. Options are validated here, before
 * anything is written: a bad option throws now, not after the output was opened.
 */
export function exportChunks(plan: ExportPlan): Iterable<string> {
  getDataType(plan.type);
  const pretty = plan.pretty === true;
  if (plan.partitions !== undefined && plan.type !== 'event_stream') throw new UsageError(`--partitions applies to event_stream only (type ${JSON.stringify(plan.type)} has no partitions)`);
  if (plan.envelope !== undefined && plan.envelope !== 'none') return envelopedChunks(plan, plan.envelope);
  if (plan.type === 'event_stream') return sessionExportChunks(plan);
  switch (plan.format) {
    case 'json':
      return jsonArrayChunks(typeItems(plan), pretty ? (x: unknown) => JSON.stringify(x, null, 2) : (x: unknown) => JSON.stringify(x), pretty);
    case 'ndjson':
      return jsonLineChunks(typeItems(plan), (x) => JSON.stringify(x));
    case 'csv':
    case 'sql': {
      const table = Object.hasOwn(TABLES, plan.type) ? TABLES[plan.type] : undefined;
      if (table === undefined) throw new UsageError(`--format ${plan.format} is not available for type ${JSON.stringify(plan.type)}; it writes ${tabularTypes().join(', ')} (use json or ndjson)`);
      return table[plan.format](plan);
    }
  }
}
