import { MockjutsuError, describeValue } from '../mockjutsuError.js';
import { sessionPrng, type Prng } from '../prng.js';
import { uuidV4 } from '../uuid.js';
import { DEFAULT_START_MS } from '../timeModel.js';
import { isoSeconds } from './realisticValues.js';
import { purposeBase } from './schemaGenerator.js';

/** Standard envelopes an event can be wrapped in. */
export type EnvelopeKind = 'none' | 'cloudevents' | 'eventbridge';

/** The envelope kinds, for surfaces that validate a flag or a query parameter. */
export const ENVELOPE_KINDS: readonly EnvelopeKind[] = ['none', 'cloudevents', 'eventbridge'];

/** What an envelope is made from; {@link envelopeContext} builds one for any stream. */
export interface EnvelopeContext {
  readonly seed: string;
  readonly partition: string;
  /** The event's index in its partition's stream. */
  readonly index: number;
  /** Seeded PRNG of this one event: envelope ids are drawn from it. */
  readonly prng: Prng;
  /** The event's time, epoch ms. */
  readonly timeMs: number;
  /** The event's type name (schema or message name, session event type...). */
  readonly name: string;
  /** EventBridge source from the schema (`x-amazon-events-source`), if any. */
  readonly eventSource?: string;
  /** EventBridge detail-type from the schema (`x-amazon-events-detail-type`), if any. */
  readonly detailType?: string;
}

/** Envelope fields a caller may fix; the rest are derived from the context. */
export interface EnvelopeFields {
  /** EventBridge `source` / CloudEvents `source` (default `mockjutsu.<name>` / `/mockjutsu/<name>`). */
  source?: string;
  /** EventBridge `detail-type` (default the schema's, else the name). */
  detailType?: string;
  /** CloudEvents `type` (default `com.mockjutsu.<name>`). */
  type?: string;
  /** 12-digit AWS account (default: derived from the seed). */
  account?: string;
  region?: string;
  resources?: string[];
  /** CloudEvents `subject`. */
  subject?: string;
}

const ACCOUNTS = new Map<string, string>();

/** A 12-digit AWS account id that depends on the seed only. */
export function seededAccount(seed: string): string {
  let a = ACCOUNTS.get(seed);
  if (a === undefined) {
    const [x, y] = purposeBase(seed, 'aws-account', '');
    a = String(100000 + (x % 900000)) + String(100000 + (y % 900000)).slice(0, 6);
    if (ACCOUNTS.size > 64) ACCOUNTS.clear();
    ACCOUNTS.set(seed, a);
  }
  return a;
}

/**
 * The envelope context of event `index` of a partition: its own PRNG (from seed, name, partition and
 * index alone) and, unless given, a time `index` seconds after `startMs` plus a seeded jitter.
 * Use it to wrap any stream's events, event_stream sessions included.
 */
export function envelopeContext(args: { seed: string; partition: string; index: number; name: string; timeMs?: number; startMs?: number; eventSource?: string; detailType?: string }): EnvelopeContext {
  const prng = sessionPrng(purposeBase(args.seed, 'envelope:' + args.name, args.partition), args.index);
  const jitter = Math.floor(prng() * 1000);
  return {
    seed: args.seed,
    partition: args.partition,
    index: args.index,
    prng,
    timeMs: args.timeMs ?? (args.startMs ?? DEFAULT_START_MS) + args.index * 1000 + jitter,
    name: args.name,
    ...(args.eventSource !== undefined ? { eventSource: args.eventSource } : {}),
    ...(args.detailType !== undefined ? { detailType: args.detailType } : {}),
  };
}

function isAwsEvent(e: unknown): e is Record<string, unknown> {
  return typeof e === 'object' && e !== null && 'detail' in e && 'detail-type' in e && 'source' in e;
}

function isCloudEvent(e: unknown): e is Record<string, unknown> {
  return typeof e === 'object' && e !== null && 'specversion' in e && 'type' in e && 'source' in e;
}

function nameToken(name: string): string {
  return name.replace(/[^A-Za-z0-9.-]+/g, '-') || 'event';
}

/**
 * `event` in a standard envelope, kept whole inside it: EventBridge `detail` (version "0", id,
 * detail-type, source, account, time, region, resources) or CloudEvents 1.0 `data`
 * (specversion, id, source, type, time, datacontenttype). An event that already is an
 * AWSEvent (or a CloudEvent) keeps its detail (data) and gets the envelope's ids and time.
 * Pure: the same event and context give the same envelope.
 */
export function wrapEnvelope(event: unknown, kind: EnvelopeKind, ctx: EnvelopeContext, fields: EnvelopeFields = {}): unknown {
  if (kind === 'none') return event;
  const id = uuidV4(ctx.prng);
  if (kind === 'eventbridge') {
    const native = isAwsEvent(event) ? event : undefined;
    return {
      version: '0',
      id,
      'detail-type': fields.detailType ?? ctx.detailType ?? (native ? native['detail-type'] : undefined) ?? ctx.name,
      source: fields.source ?? ctx.eventSource ?? (native ? native.source : undefined) ?? 'mockjutsu.' + nameToken(ctx.name),
      account: fields.account ?? seededAccount(ctx.seed),
      time: isoSeconds(ctx.timeMs),
      region: fields.region ?? 'us-east-1',
      resources: fields.resources ?? (native && Array.isArray(native.resources) ? native.resources : []),
      detail: native ? native.detail : event,
    };
  }
  if (kind === 'cloudevents') {
    const native = isCloudEvent(event) ? event : undefined;
    const out: Record<string, unknown> = {
      specversion: '1.0',
      id,
      source: fields.source ?? (native ? native.source : undefined) ?? '/mockjutsu/' + nameToken(ctx.name),
      type: fields.type ?? (native ? native.type : undefined) ?? 'com.mockjutsu.' + nameToken(ctx.name),
      time: new Date(ctx.timeMs).toISOString(),
      datacontenttype: 'application/json',
    };
    if (fields.subject !== undefined) out.subject = fields.subject;
    out.data = native ? native.data : event;
    return out;
  }
  throw new MockjutsuError('INVALID_OPTION', `envelope is ${describeValue(kind)}; allowed: ${ENVELOPE_KINDS.join(', ')}`, 'envelope');
}
