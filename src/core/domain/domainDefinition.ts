/**
 * A domain as data: a team's aggregates, event types, payload schemas and rules, in a JSON or
 * YAML file (or an object through `defineDomain`). Keys are snake_case, as in the file.
 */
export interface DomainDefinition {
  /** The domain's name: its type name on every surface (`/generate/bank`, `jutsu.generate('bank')`). */
  domain: string;
  description?: string;
  /** Integer written as each event's `schema_version` (default 1). */
  schema_version?: number;
  /** Which contract fields each event carries, and under which names (default: the contract). */
  envelope?: EnvelopeDefinition;
  /** Named constants expressions read as `params.<name>`; generator options may override them. */
  params?: Record<string, unknown>;
  /** Aggregate types by name (the events' `aggregate_type`); the first is the default. */
  aggregates: Record<string, AggregateDefinition>;
  /** Session-level variables with their initial values (JSON). */
  session?: Record<string, unknown>;
  /** The Markov chain over event types. */
  chain: ChainDefinition;
  /** Per event type (each chain state): aggregate, guard, payload, effects. */
  events?: Record<string, EventDefinition>;
}

/** Renames (`event_type: eventType`) or drops (`schema_version: false`) contract fields. */
export interface EnvelopeDefinition {
  fields?: Partial<Record<EnvelopeField, string | false>>;
}

/** The contract's envelope fields, in the order every event carries them. */
export const ENVELOPE_FIELDS = [
  'event_id', 'event_type', 'stream_id', 'aggregate_type', 'aggregate_id', 'stream_version', 'global_position',
  'correlation_id', 'causation_id', 'session_id', 'user_id', 'timestamp', 'schema_version', 'payload',
] as const;
export type EnvelopeField = typeof ENVELOPE_FIELDS[number];

/** How an aggregate instance's id is made. */
export type AggregateIdKind =
  /** A UUID drawn from the session's PRNG when the instance is created (default). */
  | 'uuid'
  /** The session's id (at most one instance per session). */
  | 'session'
  /** `prefix` + the session index (zero-padded to `digits`), unique per partition and instance. */
  | { sequence: { prefix?: string; digits?: number } };

export interface AggregateDefinition {
  /** Stream id template; `{id}` is the instance id (default `"<Aggregate>-{id}"`). */
  stream_id?: string;
  id?: AggregateIdKind;
  /** Per-instance variables with their initial values (JSON); `self.<name>` in expressions. */
  state?: Record<string, unknown>;
  /** Most instances of this aggregate one session may create (1..1000, default 100). */
  max_instances?: number;
}

/** Log-normal think time after an event: `median_ms * exp(sigma * N(0,1))`. */
export interface ThinkTimeDefinition {
  median_ms: number;
  sigma: number;
}

/** One outcome of a state (a payment that succeeds or fails), with its own way out. */
export interface OutcomeDefinition {
  weight: number;
  transitions: Record<string, number>;
}

/** A state of the chain; its name is the `event_type` it emits. */
export interface ChainStateDefinition {
  think_time?: ThinkTimeDefinition;
  /** Next state => positive weight. */
  transitions?: Record<string, number>;
  /** Alternative to `transitions`: the state draws an outcome (`outcome` in expressions). */
  outcomes?: Record<string, OutcomeDefinition>;
}

export interface ChainDefinition {
  start: string;
  terminal: string;
  /** Most events a session may have, start and terminal included (default 200). */
  max_steps?: number;
  states: Record<string, ChainStateDefinition>;
}

/** An expression of the domain language (see docs/domains.md), or a function through `defineDomain`. */
export type Expression = string;

export interface EventDefinition {
  /** The aggregate the event belongs to (default: the first aggregate). */
  aggregate?: string;
  /**
   * Which instance: `new` creates one, `any` (default) takes one of the session's instances for
   * which the guard holds (drawn uniformly), or an expression giving an instance id.
   */
  instance?: 'new' | 'any' | Expression;
  /** The transition into this event is taken only when this holds (for the chosen instance). */
  guard?: Expression;
  /** Local values, evaluated in order, usable by later lets, fields and effects. */
  let?: Record<string, Expression>;
  payload?: PayloadDefinition;
  /** Assignments run after the payload is built, in order. */
  effects?: Expression[];
}

export interface PayloadDefinition {
  /** JSON Schema of the payload (inline), or `{ $ref: "file.yaml#Name" }` resolved by the file loader. */
  schema?: Record<string, unknown>;
  /** Set by the file loader from a `$ref`: the document and the schema's name or pointer in it. */
  document?: unknown;
  ref?: string;
  /** Field => expression; every key is a property of the schema when there is one. */
  fields?: Record<string, Expression>;
}
