import type { SessionEvent, Session } from './sessionEvent.js';
import type { SessionGenerator } from './sessionGenerator.js';
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

/**
 * Item `index` of a type's partition in a standard envelope, the one rule every surface uses
 * (`jutsu`, the CLI's `--envelope`, the sidecar's `?envelope=`, JMeter's `mockjutsu.envelope`):
 * each event of an event_stream session by {@link wrapSessionEvent} (the session stays an
 * array), any other item by `wrapEnvelope` with the item's own seeded context.
 */
export function envelopeItem(typeName: string, item: unknown, kind: EnvelopeKind, generator: SessionGenerator, partition: string, index: number): unknown {
  if (kind === 'none') return item;
  if (typeName === 'event_stream') return (item as Session).map((e) => wrapSessionEvent(e, kind, generator.seed, partition));
  return wrapEnvelope(item, kind, envelopeContext({ seed: generator.seed, partition, index, name: typeName, startMs: generator.config.startMs }));
}
