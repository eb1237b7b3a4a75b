// Compiled by test/k6/typings.int.spec.ts (never run): src/k6/mockjutsu.d.ts must describe what
// src/k6/index.ts exports, in both directions, and be usable from a k6 script's point of view.
import * as impl from '../../src/k6/index.js';
import * as decl from '../../src/k6/mockjutsu.js';
import type { SessionEvent } from '../../src/k6/mockjutsu.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function same<A, B>(ok: Same<A, B>): void { void ok; }

same<typeof impl.sessionStream, typeof decl.sessionStream>(true);
same<typeof impl.generate, typeof decl.generate>(true);
same<typeof impl.bulk, typeof decl.bulk>(true);
same<typeof impl.types, typeof decl.types>(true);
same<typeof impl.SEED_ENV_VAR, typeof decl.SEED_ENV_VAR>(true);
same<typeof impl.MockjutsuError, typeof decl.MockjutsuError>(true);
same<typeof impl.serializeEvent, typeof decl.serializeEvent>(true);
same<typeof impl.serializeSession, typeof decl.serializeSession>(true);
same<typeof impl.SCHEMA_VERSION, typeof decl.SCHEMA_VERSION>(true);
same<impl.VuSessionStream, decl.VuSessionStream>(true);
same<impl.K6SessionStreamOptions, decl.K6SessionStreamOptions>(true);
// Every runtime export is declared.
same<keyof typeof impl, keyof typeof decl>(true);

// What a k6 script writes type-checks against the declarations.
const stream = decl.sessionStream({ seed: __ENV.SEED, users: 50, start: '2025-06-01T00:00:00Z' });
export default function (): void {
  const event: SessionEvent = stream.next();
  const session = stream.nextSession();
  const text: string = decl.serializeSession(session) + decl.serializeEvent(event);
  const user = decl.generate('user', { seed: 1 });
  const sessions = decl.bulk('event_stream', { seed: 1, count: 2 });
  void [text, user.email, sessions[0]![0]!.stream_version, stream.getState().session];
}
same<typeof impl.dataPool, typeof decl.dataPool>(true);
same<typeof impl.parseNdjsonRecords, typeof decl.parseNdjsonRecords>(true);
// K6DataPoolOptions and K6DataPool: src/k6/dataPool.ts takes them from the declarations, so there is nothing to compare.
