import type { SessionEvent, Session } from './sessionEvent.js';
import type { SessionGenerator } from './sessionGenerator.js';
import type { CompiledDomain } from './domain/compileDomain.js';
import { envelopeValue } from './domain/envelopeAccess.js';
import { envelopeContext, wrapEnvelope, type EnvelopeKind } from './schema/eventEnvelope.js';

function text(v: unknown, fallback: string): string {
  return typeof v === 'string' ? v : fallback;
}

/**
 * A session event in a standard envelope (CloudEvents `data`, EventBridge `detail`), kept whole
 * inside it. The envelope's id is drawn from (seed, partition, the event's global position),
 * its time is the event's timestamp, its type names the event type, and a CloudEvent's
 * `subject` is the event's stream: same event, same envelope, on every surface. With `domain`,
 * those fields are read under the domain's envelope names (a dropped position counts as 0, a
 * dropped timestamp as the epoch).
 */
export function wrapSessionEvent(event: SessionEvent | Record<string, unknown>, kind: EnvelopeKind, seed: string, partition: string, domain?: CompiledDomain): unknown {
  if (kind === 'none') return event;
  const e = event as Record<string, unknown>;
  const get = domain === undefined ? (f: string): unknown => e[f] : (f: Parameters<typeof envelopeValue>[2]): unknown => envelopeValue(domain, e, f);
  const position = get('global_position');
  const type = text(get('event_type'), 'event');
  const aggregate = text(get('aggregate_type'), domain?.name ?? 'event');
  const timeMs = Date.parse(text(get('timestamp'), ''));
  const ctx = envelopeContext({ seed, partition, index: typeof position === 'number' ? position : 0, name: type, timeMs: Number.isFinite(timeMs) ? timeMs : 0 });
  const stream = get('stream_id');
  return wrapEnvelope(event, kind, ctx, kind === 'cloudevents'
    ? { ...(typeof stream === 'string' ? { subject: stream } : {}), source: '/mockjutsu/' + aggregate, type: 'com.mockjutsu.' + type }
    : { source: 'mockjutsu.' + aggregate });
}

/**
 * Item `index` of a type's partition in a standard envelope, the one rule every surface uses
 * (`jutsu`, the CLI's `--envelope`, the sidecar's `?envelope=`, JMeter's `mockjutsu.envelope`):
 * each event of a session (type event_stream, or the generator's domain by name) by
 * {@link wrapSessionEvent} (the session stays an array), any other item by `wrapEnvelope` with
 * the item's own seeded context.
 */
export function envelopeItem(typeName: string, item: unknown, kind: EnvelopeKind, generator: SessionGenerator, partition: string, index: number): unknown {
  if (kind === 'none') return item;
  const domain = generator.config.domain;
  if (typeName === 'event_stream' || typeName === domain.name) {
    return (item as Session).map((e) => wrapSessionEvent(e, kind, generator.seed, partition, domain));
  }
  return wrapEnvelope(item, kind, envelopeContext({ seed: generator.seed, partition, index, name: typeName, startMs: generator.config.startMs }));
}
