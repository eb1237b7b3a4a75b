import { jsonDepth } from '../core/index.js';
import { CONTRACT_FIELDS, type EventFields } from './expectedStreams.js';

/**
 * One event as a store holds it, in the shape the comparison needs. A mockjutsu store record
 * (`{ stream_id, stream_version, global_position, type, data }`) gives it directly; a bare
 * generated event (an NDJSON export) is its own `data`, ordered as read.
 */
export interface FoundRecord {
  readonly stream_id: string;
  /** The store's version of the record in its stream; undefined: the stream's order is the input order. */
  readonly stream_version?: number;
  /** The store's global position, reported but never compared (see the verify notes). */
  readonly global_position?: number;
  /** The stored event: a generated event for a mockjutsu store. */
  readonly data: unknown;
}

/** Thrown when what was read is not a store's records. */
export class StoreReadError extends Error {
  override readonly name = 'StoreReadError';
}

/** Deepest nesting of arrays and objects a record may have (generated events nest 4 deep). */
export const MAX_RECORD_DEPTH = 256;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A store record or a bare generated event, as a {@link FoundRecord}.
 *
 * @param where names the value in the error (e.g. `line 12 of events.jsonl`).
 * @throws StoreReadError when the value is neither.
 */
export function toFoundRecord(value: unknown, where: string, fields: EventFields = CONTRACT_FIELDS): FoundRecord {
  if (jsonDepth(value, MAX_RECORD_DEPTH) > MAX_RECORD_DEPTH) throw new StoreReadError(`${where} nests arrays or objects deeper than ${MAX_RECORD_DEPTH} levels; a store record is an event envelope a few levels deep`);
  if (isObject(value) && typeof value['stream_id'] === 'string' && 'data' in value) {
    const version = value['stream_version'];
    const position = value['global_position'];
    return {
      stream_id: value['stream_id'],
      stream_version: typeof version === 'number' && Number.isFinite(version) ? version : undefined,
      global_position: typeof position === 'number' ? position : undefined,
      data: value['data'],
    };
  }
  if (isObject(value) && typeof value[fields.streamId] === 'string' && typeof value[fields.eventId] === 'string') {
    return { stream_id: value[fields.streamId] as string, data: value };
  }
  const text = JSON.stringify(value) ?? String(value);
  const event = fields.domain === CONTRACT_FIELDS.domain ? '{event_id, stream_id, ...}' : `{${fields.eventId}, ${fields.streamId}, ...} of the ${fields.domain} domain`;
  throw new StoreReadError(`${where} is neither a store record ({stream_id, stream_version, data}) nor a generated event (${event}): ${text.length > 120 ? text.slice(0, 117) + '...' : text}`);
}
