import type { SessionEvent } from './sessionEvent.js';
import { envelopeContext, wrapEnvelope, type EnvelopeKind } from './schema/eventEnvelope.js';

/**
 * A session event in a standard envelope (CloudEvents `data`, EventBridge `detail`), kept whole
 * inside it. The envelope's id is drawn from (seed, partition, the event's global position),
 * its time is the event's timestamp, its type names the event type, and a CloudEvent's
 * `subject` is the event's stream: same event, same envelope, on every surface.
 */
export function wrapSessionEvent(event: SessionEvent, kind: EnvelopeKind, seed: string, partition: string): unknown {
  if (kind === 'none') return event;
  const ctx = envelopeContext({ seed, partition, index: event.global_position, name: event.event_type, timeMs: Date.parse(event.timestamp) });
  return wrapEnvelope(event, kind, ctx, kind === 'cloudevents' ? { subject: event.stream_id, source: '/mockjutsu/' + event.aggregate_type, type: 'com.mockjutsu.' + event.event_type } : { source: 'mockjutsu.' + event.aggregate_type });
}
