import type { EnvelopeField } from './domainDefinition.js';

/**
 * Envelope fields whose values stay the same through a stream (of an aggregate) or a session.
 * Writers keep the text of adjacent fields of one group as one segment, written again only when
 * one of its values changes: the event serializer (eventSerializerSource.ts) and the CSV and SQL
 * row writers (formats/envelopeSegments.ts).
 */
export const ENVELOPE_CACHE_GROUP: Readonly<Partial<Record<EnvelopeField, 'stream' | 'session'>>> = {
  stream_id: 'stream', aggregate_type: 'stream', aggregate_id: 'stream',
  correlation_id: 'session', session_id: 'session', user_id: 'session',
};

/** Envelope fields whose values are numbers (the rest are strings, causation_id also null, and the payload). */
export const ENVELOPE_NUMBER_FIELDS: ReadonlySet<string> = new Set<EnvelopeField>(['stream_version', 'global_position', 'schema_version']);

/**
 * Source of `F(s)`, which the generated writers call on a cached segment when they make it:
 * charCodeAt flattens a rope in place (V8), so every event or row that holds the segment holds
 * one flat piece, not pieces the output's flattening would walk again.
 */
export const FLATTEN_SOURCE = 'function F(s){s.charCodeAt(0);return s;}';
