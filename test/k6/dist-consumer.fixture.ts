// Compiled by test/k6/typings.int.spec.ts (never run): the shipped declarations stand on their own.
import { sessionStream, generate, bulk, serializeEvent, MockjutsuError, type SessionEvent, type K6SessionStreamOptions } from '../../dist/k6/mockjutsu.js';

declare const __ENV: Record<string, string | undefined>;
const options: K6SessionStreamOptions = { seed: __ENV.SEED, users: 10, partition: 'fixed' };
const stream = sessionStream(options);
const event: SessionEvent = stream.next();
const text: string = serializeEvent(event);
const error: MockjutsuError | undefined = undefined;
void [text, error, stream.nextSession().length, generate('user', { seed: 1 }).user_id, bulk('event_stream', { seed: 1, count: 1 })[0]!.length];
