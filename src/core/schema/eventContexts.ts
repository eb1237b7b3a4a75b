import type { SchemaInfo } from './schemaGenerator.js';
import { wrapEnvelope, type EnvelopeContext, type EnvelopeFields } from './eventEnvelope.js';

/** What a context function is given: the event's seeded PRNG, index, time and schema. */
export interface MockEventContext extends EnvelopeContext {
  readonly info: SchemaInfo;
}

/**
 * Enriches a mock event, IATK style: change `event` in place and return nothing, or return a
 * new event. Draw randomness from `ctx.prng` only, so the output stays seeded.
 */
export type EventContextFunction = (event: any, ctx: MockEventContext) => unknown;

/** A context that puts the event in an EventBridge envelope (`detail`), or completes an AWSEvent. */
export function eventBridgeContext(fields: EnvelopeFields = {}): EventContextFunction {
  return (event, ctx) => wrapEnvelope(event, 'eventbridge', ctx, fields);
}

/** A context that puts the event in a CloudEvents 1.0 envelope (`data`). */
export function cloudEventsContext(fields: EnvelopeFields = {}): EventContextFunction {
  return (event, ctx) => wrapEnvelope(event, 'cloudevents', ctx, fields);
}
