import type { CompiledDomain } from './linkDomain.js';
import type { EventSerializer, SessionSerializer } from './eventSerializer.js';

// The variant of eventSerializer.ts for engines without a JIT (k6's goja; scripts/buildK6Bundle.mjs
// swaps it in): there the native JSON.stringify writes an event about 5x faster than the
// generated serializer (measured in the goja runner: 23 us vs 117 us per shop event), and the
// text is the same by definition. So no serializer is generated, and no code evaluated.

export { eventSerializerSource, compileEventSerializer } from './eventSerializerSource.js';
export type { EventSerializer, SessionSerializer } from './eventSerializer.js';

const stringify = JSON.stringify as EventSerializer & SessionSerializer;

/** JSON.stringify: the text every domain's serializer writes. */
export function serializerFor(_domain: CompiledDomain): EventSerializer {
  return stringify;
}

/** JSON.stringify of the session (an array of events). */
export function sessionSerializerFor(_domain: CompiledDomain): SessionSerializer {
  return stringify;
}
