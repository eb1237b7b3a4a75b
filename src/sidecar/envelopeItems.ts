import {
  envelopeContext, wrapEnvelope, wrapSessionEvent,
  type EnvelopeKind, type Session, type SessionGenerator,
} from '../core/index.js';

/**
 * Item `index` of a partition in a standard envelope, as the CLI's `--envelope` wraps it
 * (`generate`, `export`): every event of an event_stream session by `wrapSessionEvent` (the
 * session stays an array), any other item by `wrapEnvelope` with the item's own context.
 */
export function envelopedItem(typeName: string, item: unknown, kind: EnvelopeKind, g: SessionGenerator, partition: string, index: number): unknown {
  if (kind === 'none') return item;
  if (typeName === 'event_stream') return (item as Session).map((e) => wrapSessionEvent(e, kind, g.seed, partition));
  return wrapEnvelope(item, kind, envelopeContext({ seed: g.seed, partition, index, name: typeName, startMs: g.config.startMs }));
}
