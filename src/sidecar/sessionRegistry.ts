import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  envelopeItem, wrapSessionEvent,
  type CompiledDomain, type DataType, type EnvelopeKind, type SessionGenerator, type SessionStream, type SessionStreamState,
} from '../core/index.js';
import { HttpError } from './httpError.js';
import { itemJson } from './itemJson.js';

import { checkReplayedIndex } from './replayedTypes.js';
import { LRUCache } from 'lru-cache';

/** What one item of a key's stream is: an event, or a whole session (a JSON array of events). */
export type SessionUnit = 'event' | 'session';

/** Bounds of a {@link SessionRegistry}. */
export interface SessionRegistryOptions {
  /** Live streams kept in memory (about 12 KB each); least recently used first out. Default 10,000. */
  maxLiveStreams?: number;
  /**
   * Cursors kept (a few hundred bytes each); a key whose cursor is forgotten starts again at
   * item 1 when asked without `from`. Default 100,000.
   */
  maxCursors?: number;
  /** Most sessions regenerated to reach a `from` position in one request. Default 100,000. */
  maxSeekSessions?: number;
}

/** One batch asked for. */
export interface BatchRequest {
  generator: SessionGenerator;
  /** {@link GeneratorCache.key} of `generator`: cursors of different seeds never mix. */
  generatorKey: string;
  type: DataType<unknown>;
  /** The domain whose sessions the type's items are (event_stream: the shop); undefined for other types. */
  domain?: CompiledDomain;
  unit: SessionUnit;
  key: string;
  /** 1-based index of the first item wanted; undefined continues from the server's cursor. */
  from?: number;
  n: number;
  /** Items in a standard envelope (each event of a session, or the item); default none. */
  envelope?: EnvelopeKind;
  /** True once the client has gone: a long seek stops early. */
  isAborted?: () => boolean;
}

/**
 * Writes the batch's items (an iterator of item JSON texts, exactly `next - from` of them);
 * resolves true when all were delivered. The cursor moves only after a complete batch.
 */
export type BatchConsumer = (from: number, next: number, items: Iterator<string>) => Promise<boolean>;

/** A place in a key's stream: item `index` (1-based) comes next, from stream state `state`. */
interface Checkpoint {
  index: number;
  state: SessionStreamState;
}

interface Cursor {
  next: Checkpoint;
  /** Starts of the last few batches (newest last): asking for one again costs one session. */
  recent: Checkpoint[];
}

interface LiveStream {
  stream: SessionStream;
  index: number;
}

const ORIGIN: Checkpoint = Object.freeze({ index: 1, state: Object.freeze({ session: 0, event: 0, position: 1 }) });
const RECENT_CHECKPOINTS = 4;

/**
 * Per-key session streams for `/sessions/:key/...`. Item i of key k is the i-th item of
 * `createSessionStream({ seed, partition: k })` (`.next()` for events, `.nextSession()` for
 * sessions), whatever the order of requests, evictions or repeats:
 * - a bounded LRU of live streams, and a larger bounded table of cursors (3 numbers per
 *   checkpoint) from which an evicted stream is rebuilt exactly with `generator.stream(key, state)`;
 * - `from` before every known checkpoint regenerates from session 0 (linear, bounded by
 *   `maxSeekSessions`, yielding to the event loop as it goes);
 * - requests for the same (seed, type, unit, key) run one at a time, in arrival order.
 */
export class SessionRegistry {
  readonly maxLiveStreams: number;
  readonly maxCursors: number;
  readonly maxSeekSessions: number;
  private readonly live: LRUCache<string, LiveStream>;
  private readonly cursors: LRUCache<string, Cursor>;
  private readonly locks = new Map<string, Promise<void>>();
  /** Streams rebuilt from a saved state or from session 0 (for tests and diagnostics). */
  rebuilds = 0;

  constructor(options: SessionRegistryOptions = {}) {
    this.maxLiveStreams = options.maxLiveStreams ?? 10_000;
    this.maxCursors = options.maxCursors ?? 100_000;
    this.maxSeekSessions = options.maxSeekSessions ?? 100_000;
    this.live = new LRUCache({ max: this.maxLiveStreams });
    this.cursors = new LRUCache({ max: Math.max(this.maxCursors, 1) });
  }

  /** Live streams and cursors currently held. */
  stats(): { liveStreams: number; cursors: number; rebuilds: number } {
    return { liveStreams: this.live.size, cursors: this.cursors.size, rebuilds: this.rebuilds };
  }

  /** Serves one batch through `consume`, then moves the key's cursor if it was delivered whole. */
  async batch(r: BatchRequest, consume: BatchConsumer): Promise<void> {
    const ck = r.generatorKey + '\u0000' + r.type.name + '\u0000' + r.unit + '\u0000' + r.key;
    const release = await this.acquire(ck);
    try {
      const cursor = this.cursors.get(ck) ?? { next: ORIGIN, recent: [] };
      const from = r.from ?? cursor.next.index;
      const next = from + r.n;
      if (!Number.isSafeInteger(next)) throw new HttpError(400, 'INVALID_QUERY', `from is ${from}; from + n must stay below 2^53`);
      if (r.domain === undefined && r.type.name !== 'event_stream') {
        checkReplayedIndex(r.type.name, next - 2, `the stream of key ${JSON.stringify(r.key)} is at item ${from}`);
        // items of other types are indexed directly: no stream to keep
        const items = new CountedItems(indexedItems(r, from));
        const complete = (await consume(from, next, items)) && items.count === r.n;
        if (complete) {
          cursor.next = { index: next, state: ORIGIN.state };
          this.cursors.set(ck, cursor);
        }
        return;
      }
      const stream = await this.seek(ck, cursor, from, r);
      remember(cursor.recent, { index: from, state: stream.getState() });
      const items = new CountedItems(streamItems(stream, r));
      // the cursor moves only if the consumer really took all n items
      const complete = (await consume(from, next, items)) && items.count === r.n;
      if (complete) {
        cursor.next = { index: next, state: stream.getState() };
        this.live.set(ck, { stream, index: next });
      }
      this.cursors.set(ck, cursor);
    } finally {
      release();
    }
  }

  /** A stream positioned at item `from`: the live one, or rebuilt from the nearest checkpoint at or before it. */
  private async seek(ck: string, cursor: Cursor, from: number, r: BatchRequest): Promise<SessionStream> {
    const live = this.live.peek(ck);
    // taken out while in use: a failed seek or batch must not leave it at an unknown place
    this.live.delete(ck);
    if (live !== undefined && live.index === from) return live.stream;
    let base = ORIGIN;
    for (const c of [cursor.next, ...cursor.recent]) if (c.index <= from && c.index > base.index) base = c;
    const reuseLive = live !== undefined && live.index <= from && live.index >= base.index;
    const baseIndex = reuseLive ? live.index : base.index;
    let skip = from - baseIndex;
    const tooFar = (): HttpError => new HttpError(400, 'INVALID_QUERY',
      `from is ${from}; reaching it would regenerate more than ${this.maxSeekSessions} sessions of key ${JSON.stringify(r.key)} ` +
      `(nearest known ${r.unit} index: ${baseIndex}); ask for items in order, or for a from closer to ${baseIndex}`);
    // a session has at most maxSteps + 1 events: past that many, the seek is surely too long
    const longestSession = r.generator.config.domain.chain.maxSteps + 1;
    if (skip > this.maxSeekSessions * (r.unit === 'session' ? 1 : longestSession)) throw tooFar();
    let stream: SessionStream;
    if (reuseLive) {
      stream = live.stream;
    } else {
      stream = r.generator.stream(r.key, base.index === 1 ? undefined : base.state);
      this.rebuilds++;
    }
    if (skip === 0) return stream;
    const firstSession = stream.getState().session;
    if (r.unit === 'session') {
      for (let i = 1; skip > 0; skip--, i++) {
        stream.nextSession();
        if ((i & 63) === 0) await this.pause(r);
      }
    } else {
      for (let i = 1; skip > 0; skip--, i++) {
        stream.next();
        if ((i & 1023) === 0) {
          if (stream.getState().session - firstSession > this.maxSeekSessions) throw tooFar();
          await this.pause(r);
        }
      }
    }
    return stream;
  }

  private async pause(r: BatchRequest): Promise<void> {
    await yieldToEventLoop();
    if (r.isAborted?.()) throw new HttpError(400, 'BAD_REQUEST', 'the client closed the connection');
  }

  /** Waits for earlier requests of the same cursor; resolves to the release function. */
  private async acquire(ck: string): Promise<() => void> {
    const previous = this.locks.get(ck);
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    this.locks.set(ck, mine);
    if (previous !== undefined) await previous;
    return () => {
      release();
      if (this.locks.get(ck) === mine) this.locks.delete(ck);
    };
  }
}

function remember(recent: Checkpoint[], c: Checkpoint): void {
  const i = recent.findIndex((x) => x.index === c.index);
  if (i >= 0) recent.splice(i, 1);
  recent.push(c);
  if (recent.length > RECENT_CHECKPOINTS) recent.shift();
}

/** An iterator that counts the items taken from it. */
class CountedItems implements Iterator<string> {
  count = 0;
  constructor(private readonly inner: Iterator<string>) {}
  next(): IteratorResult<string> {
    const r = this.inner.next();
    if (r.done !== true) this.count++;
    return r;
  }
  return(): IteratorResult<string> {
    return this.inner.return?.() ?? { done: true, value: undefined };
  }
}

function* streamItems(stream: SessionStream, r: BatchRequest): Generator<string> {
  const kind = r.envelope ?? 'none';
  const seed = r.generator.seed;
  const domain = r.generator.config.domain;
  if (r.unit === 'event') {
    for (let i = 0; i < r.n; i++) {
      const e = stream.next();
      // the generator is the domain's: its compiled serializer writes the event
      yield kind === 'none' ? r.generator.serialize(e) : JSON.stringify(wrapSessionEvent(e, kind, seed, r.key, domain));
    }
  } else {
    for (let i = 0; i < r.n; i++) {
      const s = stream.nextSession();
      yield kind === 'none' ? r.generator.serializeSession(s) : JSON.stringify(envelopeItem('event_stream', s, kind, r.generator, r.key, 0));
    }
  }
}

function* indexedItems(r: BatchRequest, from: number): Generator<string> {
  const kind = r.envelope ?? 'none';
  for (let i = 0; i < r.n; i++) {
    const index = from - 1 + i;
    const item = r.type.item(r.generator, r.key, index, 0);
    yield kind === 'none' ? itemJson(r.type.name, item, r.generator) : JSON.stringify(envelopeItem(r.type.name, item, kind, r.generator, r.key, index));
  }
}
