import {
  createGenerator, eventStream, getDataType, normalizePartition, positionedItems, serializeSession,
  type GeneratorOptions, type Session, type SessionEvent, type UserProfile,
} from '../core/index.js';
import {
  eventCsvChunks, eventSqlChunks, jsonArrayChunks, jsonLineChunks, ndjsonChunks, userCsvChunks, userSqlChunks, type SqlDialect,
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

/** The sessions' events one by one (constant memory), counted when a progress counter is set. */
function sessionEvents(plan: ExportPlan): Iterable<SessionEvent> {
  const { partition, ...rest } = plan.options;
  const model = createGenerator(rest).config.model;
  const terminal = model.states[model.terminal]!.name;
  const events = eventStream({ ...rest, partition, sessions: plan.count });
  const counter = plan.counter;
  if (!counter) return events;
  return (function* () {
    for (const e of events) {
      counter.events++;
      if (e.event_type === terminal) counter.items++;
      yield e;
    }
  })();
}

/** Types with a flat table for csv and sql. */
const TABLES: Record<string, { csv(plan: ExportPlan): Iterable<string>; sql(plan: ExportPlan): Iterable<string> }> = {
  event_stream: {
    csv: (plan) => eventCsvChunks(sessionEvents(plan)),
    sql: (plan) => eventSqlChunks(sessionEvents(plan), { dialect: plan.dialect, table: plan.table }),
  },
  user: {
    csv: (plan) => userCsvChunks(typeItems(plan) as Iterable<UserProfile>),
    sql: (plan) => userSqlChunks(typeItems(plan) as Iterable<UserProfile>, { dialect: plan.dialect, table: plan.table }),
  },
};

/** Types `--format csv|sql` can write. */
export function tabularTypes(): string[] {
  return Object.keys(TABLES);
}

/**
 * The chunks (~64 KB of whole records) of an export. Options are validated here, before
 * anything is written: a bad option throws now, not after the output was opened.
 */
export function exportChunks(plan: ExportPlan): Iterable<string> {
  getDataType(plan.type);
  const pretty = plan.pretty === true;
  const isSession = plan.type === 'event_stream';
  switch (plan.format) {
    case 'json': {
      const serialize = pretty ? (x: unknown) => JSON.stringify(x, null, 2) : isSession ? (s: unknown) => serializeSession(s as Session) : (x: unknown) => JSON.stringify(x);
      return jsonArrayChunks(typeItems(plan), serialize, pretty);
    }
    case 'ndjson':
      return isSession ? ndjsonChunks(sessionEvents(plan)) : jsonLineChunks(typeItems(plan), (x) => JSON.stringify(x));
    case 'csv':
    case 'sql': {
      const table = TABLES[plan.type];
      if (table === undefined) throw new UsageError(`--format ${plan.format} is not available for type ${JSON.stringify(plan.type)}; it writes ${tabularTypes().join(', ')} (use json or ndjson)`);
      return table[plan.format](plan);
    }
  }
}
