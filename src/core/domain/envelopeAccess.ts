import { ENVELOPE_FIELDS, type EnvelopeField } from './domainDefinition.js';
import type { CompiledDomain } from './compileDomain.js';

/**
 * Where each contract field sits in a domain's events: its name there (`event_type` may be
 * `eventType`), or undefined when the domain drops it. Every surface that reads an event's
 * envelope (envelopes, the replay target, verify) reads it through this, never by the
 * contract's names.
 */
export type EnvelopeNames = Readonly<Partial<Record<EnvelopeField, string>>>;

const cache = new WeakMap<CompiledDomain, EnvelopeNames>();

/** The domain's names of the contract fields (cached per compiled domain). */
export function envelopeNames(domain: CompiledDomain): EnvelopeNames {
  let names = cache.get(domain);
  if (names === undefined) {
    const out: Partial<Record<EnvelopeField, string>> = {};
    for (const c of domain.envelope) out[c.field] = c.name;
    names = Object.freeze(out);
    cache.set(domain, names);
  }
  return names;
}

/** The value of contract field `field` in an event of `domain` (undefined when dropped or absent). */
export function envelopeValue(domain: CompiledDomain, event: unknown, field: EnvelopeField): unknown {
  const name = envelopeNames(domain)[field];
  if (name === undefined || typeof event !== 'object' || event === null) return undefined;
  return Object.prototype.hasOwnProperty.call(event, name) ? (event as Record<string, unknown>)[name] : undefined;
}

/** The contract fields a domain drops (e.g. `schema_version`). */
export function droppedEnvelopeFields(domain: CompiledDomain): EnvelopeField[] {
  const names = envelopeNames(domain);
  return ENVELOPE_FIELDS.filter((f) => names[f] === undefined);
}
