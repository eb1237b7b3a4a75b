import { describeValue } from '../mockjutsuError.js';
import { jsonDepth } from '../jsonDepth.js';
import { readSchemaDocument, locateSchema } from '../schema/schemaDocument.js';
import { compileChain, type Chain } from './domainChain.js';
import { ENVELOPE_FIELDS, type DomainDefinition, type EnvelopeField } from './domainDefinition.js';
import { DOMAIN_LIMITS, IDENTIFIER_RE, checkCount, checkKeys, checkName, expectRecord, fail, hasOwn, isRecord, own } from './domainChecks.js';
import { didYouMean } from './nearestName.js';

// Validation and linking of a domain: everything but its expressions' code. No expression
// parser here, so a domain whose program was generated ahead (the built-in ones, a module from
// `compileDomainModule`) links without it: the k6 bundle carries this file, not compileDomain.ts.

/** How a compiled aggregate makes its instances' ids. */
export type IdKind = { kind: 'uuid' } | { kind: 'session' } | { kind: 'sequence'; prefix: string; digits: number };

export interface CompiledAggregate {
  readonly index: number;
  readonly name: string;
  /** Stream id = prefix + instance id + suffix. */
  readonly streamPrefix: string;
  readonly streamSuffix: string;
  readonly id: IdKind;
  readonly stateVariables: readonly string[];
  readonly maxInstances: number;
}

/** Which instance an event type works on. */
export type InstanceRule = 'new' | 'any' | 'expression';

/** Where an event type's payload schema comes from (for the schema compiler, columns and OpenAPI). */
export interface PayloadSchemaSource {
  /** A JSON Schema object, or an OpenAPI/AsyncAPI/JSON Schema document with `ref`. */
  readonly schema: unknown;
  readonly ref?: string;
  /** The payload's top-level property order when the schema lists it. */
  readonly properties: readonly string[] | undefined;
  /** What the schema compiler draws the unbound fields from (undefined: every field is bound). */
  readonly draw: { readonly schema: unknown; readonly ref?: string; readonly fields?: readonly string[] } | undefined;
}

/**
 * Whether drawing `schema` (an inline object schema of unbound payload fields) is the same as
 * drawing each of its properties alone, in order: every property required, and nothing on the
 * object that could draw more (optional or extra keys, examples, not, unions, bounds...).
 * Then the program calls each field's generator directly (see {@link fieldDrawSlots}).
 */
function drawsFieldByField(schema: Record<string, unknown>, names: readonly string[]): boolean {
  const required = schema.required;
  if (!Array.isArray(required) || !names.every((n) => required.includes(n) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(n))) return false;
  for (const k of Object.keys(schema)) {
    if (k === 'properties' || k === 'required' || k === 'title' || k === 'description' || k === '$comment') continue;
    if (k === 'type' && schema.type === 'object') continue;
    if (k === 'additionalProperties' && typeof schema.additionalProperties === 'boolean') continue;
    return false;
  }
  return true;
}

/**
 * Where the field-by-field draws of each event type sit in the program's draw list `D`: after
 * the per-event payload draws (`D[i]` for event type i), in event order and field order. -1 for
 * an event type without them.
 */
export function fieldDrawSlots(events: readonly CompiledEventType[]): number[] {
  let next = events.length;
  return events.map((e) => {
    const fields = e.payload?.draw?.fields;
    if (fields === undefined) return -1;
    const slot = next;
    next += fields.length;
    return slot;
  });
}

export interface CompiledEventType {
  readonly index: number;
  readonly name: string;
  readonly aggregate: number;
  readonly instance: InstanceRule;
  readonly hasGuard: boolean;
  readonly payload: PayloadSchemaSource | undefined;
}

/** One envelope field as events carry it: the contract name and the name in the domain's JSON. */
export interface EnvelopeColumn {
  readonly field: EnvelopeField;
  readonly name: string;
}

/** What the generated program gives the simulator (see domainSimulator.ts for the arguments). */
export interface DomainProgram {
  /** Fresh session variables. */
  session(): Record<string, unknown>;
  /** Fresh state of an instance of aggregate i. */
  instance: Array<(id: string) => Record<string, unknown>>;
  /** Per event type: guard(S, self) or null. */
  guard: Array<((S: unknown, self: unknown) => boolean) | null>;
  /** Per event type: instance id expression (S) or null. */
  instanceId: Array<((S: unknown) => unknown) | null>;
  /** Per event type: builds the payload and runs the effects. */
  build: Array<(S: unknown, self: unknown) => Record<string, unknown>>;
  /**
   * Per state and outcome with a plan and guards (see {@link planGuarded}): the guard mask,
   * given the scope, the instances per aggregate (each aggregate of a guarded target has one:
   * `I[a][0].state` is its `self`) and a scratch array whose first entry names the event type
   * whose guard runs (for errors). Null where there is none. Absent in programs generated before.
   */
  mask?: Array<Array<((S: unknown, I: unknown, W: Int32Array) => number) | null>>;
  /** Builds an event object with the envelope's names, in contract order. */
  event: (...fields: unknown[]) => Record<string, unknown>;
  /**
   * The domain's session walk as code (see walkSource.ts): the simulator's loop with the
   * domain's constants in place, the same draws. Absent in programs generated before.
   */
  walk?: (H: unknown, S: unknown, r: unknown, inst: unknown, first: number, cid: string, sid: string, uid: string, ts: number) => Array<Record<string, unknown>>;
}

/**
 * A domain's program as a function: `programSource` as real code (generated ahead of time, see
 * builtInPrograms.generated.ts and compileDomainModule). Arguments: the builtins, the params,
 * the payload draws per event type and the expression context.
 */
export type DomainProgramFactory = ($b: unknown, P: unknown, D: unknown, $x: unknown) => DomainProgram;

/**
 * A validated domain: chain, aggregates, event types, and the program (JS source) that
 * evaluates its expressions. The program does not depend on the generator's options, so it
 * can be emitted ahead of time (k6) and instantiated with `new Function` elsewhere.
 */
export interface CompiledDomain {
  readonly name: string;
  readonly description: string | undefined;
  readonly definition: DomainDefinition;
  readonly schemaVersion: number;
  readonly envelope: readonly EnvelopeColumn[];
  readonly aggregates: readonly CompiledAggregate[];
  readonly chain: Chain;
  readonly events: readonly CompiledEventType[];
  readonly params: Readonly<Record<string, unknown>>;
  /** Body of `new Function('$b', 'P', 'D', '$x', body)`: returns the domain's {@link DomainProgram}. */
  readonly programSource: string;
  /** The same program as a function, when it was generated ahead (then no `new Function` is needed). */
  readonly program?: DomainProgramFactory;
}

/** What validation found in one event type, for the program generator (compileDomain.ts). */
export interface EventPlan {
  /** JSON path of the event type (`domain.events.<name>`). */
  readonly path: string;
  readonly instanceExpr: string | undefined;
  readonly guard: string | undefined;
  /** Local names and their expressions, in order. */
  readonly lets: ReadonlyArray<readonly [string, string]>;
  /** Payload field -> expression. */
  readonly fields: Readonly<Record<string, string>>;
  readonly fieldNames: readonly string[];
  /** The event type declares a payload (otherwise a multi-outcome state writes its outcome). */
  readonly declaresPayload: boolean;
  readonly effects: readonly string[];
}

/** A validated domain before its program: what {@link linkDomain} and compileDomain share. */
export interface CheckedDomain {
  readonly def: DomainDefinition;
  readonly schemaVersion: number;
  readonly envelope: readonly EnvelopeColumn[];
  readonly params: Record<string, unknown>;
  readonly chain: Chain;
  readonly aggregates: readonly CompiledAggregate[];
  /** Per aggregate: the initial values of its state variables. */
  readonly aggregateStates: ReadonlyArray<Record<string, unknown>>;
  readonly sessionDef: Record<string, unknown>;
  readonly sessionVars: readonly string[];
  /** Names user variables may not take, with what they are (for collision messages). */
  readonly globalNames: ReadonlyMap<string, string>;
  readonly events: readonly CompiledEventType[];
  readonly plans: readonly EventPlan[];
}

const TOP_KEYS = ['domain', 'description', 'schema_version', 'envelope', 'params', 'aggregates', 'session', 'chain', 'events'];
const AGGREGATE_KEYS = ['stream_id', 'id', 'state', 'max_instances'];
const EVENT_KEYS = ['aggregate', 'instance', 'guard', 'let', 'payload', 'effects'];
const PAYLOAD_KEYS = ['schema', '$ref', 'document', 'ref', 'fields'];
/** Names the language gives every expression; user variables may not take them. */
const RESERVED = ['self', 'payload', 'user', 'last', 'time', 'step', 'capped', 'session_start', 'session_id', 'outcome', 'params', 'true', 'false', 'null', 'undefined'];
export const UNSAFE_KEYS = new Set(['__proto__']);

/** JS source of a JSON value; `__proto__` keys become computed keys so they stay own keys. */
export function jsLiteral(v: unknown): string {
  if (Array.isArray(v)) return '[' + v.map(jsLiteral).join(',') + ']';
  if (isRecord(v)) return '{' + Object.keys(v).map((k) => (UNSAFE_KEYS.has(k) ? '[' + JSON.stringify(k) + ']' : JSON.stringify(k)) + ':' + jsLiteral(v[k])).join(',') + '}';
  return v === undefined ? 'undefined' : JSON.stringify(v);
}

function checkJsonValue(path: string, v: unknown): void {
  if (jsonDepth(v, DOMAIN_LIMITS.jsonDepth) > DOMAIN_LIMITS.jsonDepth) fail(path, `nests deeper than ${DOMAIN_LIMITS.jsonDepth} levels`);
  const text = JSON.stringify(v);
  if (text === undefined) fail(path, `is ${describeValue(v)}; allowed: a JSON value`);
  if (text.length > DOMAIN_LIMITS.initialValueChars) fail(path, `is ${text.length} characters of JSON; allowed: at most ${DOMAIN_LIMITS.initialValueChars}`);
}

function expressionText(path: string, v: unknown): string {
  if (typeof v !== 'string' || v.trim() === '') fail(path, `is ${describeValue(v)}; allowed: an expression (text), e.g. "self.balance > 0"`);
  if (v.length > DOMAIN_LIMITS.expressionChars) fail(path, `is ${v.length} characters long; allowed: at most ${DOMAIN_LIMITS.expressionChars}`);
  return v;
}

function compileIdKind(path: string, v: unknown): IdKind {
  if (v === undefined || v === 'uuid') return { kind: 'uuid' };
  if (v === 'session') return { kind: v };
  if (v === 'user') {
    // A user has many sessions, each generated alone: their events could not number one shared stream 1..n.
    fail(path, '"user" is not an id kind: a user has many sessions, generated independently, so one stream per user could not have versions 1..n without gaps; use "session" (one instance per session, e.g. Customer-{id} of the session) and put user.user_id in the payload');
  }
  if (isRecord(v) && hasOwn(v, 'sequence')) {
    checkKeys(path, v, ['sequence']);
    const seq = expectRecord(`${path}.sequence`, v.sequence, '{ prefix, digits }');
    checkKeys(`${path}.sequence`, seq, ['prefix', 'digits']);
    const prefix = seq.prefix ?? '';
    if (typeof prefix !== 'string' || !/^[A-Za-z0-9_.:-]{0,32}$/.test(prefix)) fail(`${path}.sequence.prefix`, `is ${describeValue(prefix)}; allowed: up to 32 letters, digits, "_", ".", ":" or "-"`);
    const digits = seq.digits ?? 6;
    if (!Number.isInteger(digits) || (digits as number) < 1 || (digits as number) > 16) fail(`${path}.sequence.digits`, `is ${describeValue(digits)}; allowed: an integer from 1 to 16`);
    return { kind: 'sequence', prefix, digits: digits as number };
  }
  fail(path, `is ${describeValue(v)}; allowed: "uuid", "session" or { sequence: { prefix, digits } }`);
}

function compileEnvelope(path: string, v: unknown): EnvelopeColumn[] {
  const renames = new Map<string, string | false>();
  if (v !== undefined) {
    const env = expectRecord(path, v, '{ fields: { contract_field: newName | false } }');
    checkKeys(path, env, ['fields']);
    if (env.fields !== undefined) {
      const fields = expectRecord(`${path}.fields`, env.fields, 'an object mapping contract fields to new names or false');
      checkKeys(`${path}.fields`, fields, ENVELOPE_FIELDS);
      for (const [k, name] of Object.entries(fields)) {
        if (name === false) {
          if (k === 'payload' || k === 'event_type') fail(`${path}.fields.${k}`, `${k} cannot be dropped; rename it instead`);
          renames.set(k, false);
        } else if (typeof name === 'string' && /^[A-Za-z_$][A-Za-z0-9_$.-]{0,63}$/.test(name) && !UNSAFE_KEYS.has(name)) {
          renames.set(k, name);
        } else {
          fail(`${path}.fields.${k}`, `is ${describeValue(name)}; allowed: a field name (letters, digits, "_", "$", "." or "-"; not "__proto__") or false to drop the field`);
        }
      }
    }
  }
  const columns: EnvelopeColumn[] = [];
  const seen = new Map<string, string>();
  for (const field of ENVELOPE_FIELDS) {
    const r = renames.get(field);
    if (r === false) continue;
    const name = r ?? field;
    const other = seen.get(name);
    if (other !== undefined) fail(`${path}.fields.${field}`, `${field} and ${other} would both be named ${JSON.stringify(name)}; give each field its own name`);
    seen.set(name, field);
    columns.push({ field, name });
  }
  return columns;
}

/** Top-level property order of a payload schema, when it lists its properties. */
function propertyOrder(schema: unknown, ref: string | undefined): string[] | undefined {
  let s: unknown = schema;
  if (ref !== undefined || (isRecord(schema) && (hasOwn(schema, 'openapi') || hasOwn(schema, 'asyncapi') || hasOwn(schema, '$defs')))) {
    s = locateSchema(readSchemaDocument(schema), ref).schema;
  }
  return isRecord(s) && isRecord(s.properties) ? Object.keys(s.properties) : undefined;
}

/**
 * Validates a domain definition (errors name the JSON path and what is allowed; unknown keys
 * suggest the nearest known key) without its expressions' syntax, which compileDomain checks
 * when it generates the program. Payload schemas given by `$ref` must have been resolved by
 * the file loader into `{ document, ref }` (see `loadDomainFile`).
 */
export function checkDomain(input: unknown): CheckedDomain {
  const def = expectRecord('domain', input, 'a domain object with domain, aggregates, chain and events') as unknown as DomainDefinition;
  const raw = def as unknown as Record<string, unknown>;
  checkKeys('domain', raw, TOP_KEYS);
  if (typeof def.domain !== 'string') fail('domain.domain', `is ${describeValue(def.domain)}; name the domain, e.g. "bank"`);
  checkName('domain.domain', def.domain, 'domain name');
  if (def.description !== undefined && typeof def.description !== 'string') fail('domain.description', `is ${describeValue(def.description)}; allowed: text`);
  const schemaVersion = def.schema_version ?? 1;
  if (!Number.isInteger(schemaVersion) || schemaVersion < 1 || schemaVersion > 1_000_000) fail('domain.schema_version', `is ${describeValue(def.schema_version)}; allowed: an integer from 1 to 1000000`);
  const envelope = compileEnvelope('domain.envelope', def.envelope);

  // Parameters: constants of the domain that generator options may override (currency...).
  const params: Record<string, unknown> = {};
  if (def.params !== undefined) {
    const p = expectRecord('domain.params', (raw as { params?: unknown }).params, 'an object of named constants');
    checkCount('domain.params', Object.keys(p).length, DOMAIN_LIMITS.variables, 'params');
    for (const [k, v] of Object.entries(p)) {
      checkName(`domain.params.${k}`, k, 'parameter name', IDENTIFIER_RE);
      checkJsonValue(`domain.params.${k}`, v);
      Object.defineProperty(params, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
  }

  const chain = compileChain(def.chain, 'domain.chain');

  // Aggregates.
  const aggDefs = expectRecord('domain.aggregates', def.aggregates, 'an object mapping aggregate names (the events\' aggregate_type) to { stream_id, id, state }');
  const aggNames = Object.keys(aggDefs);
  if (aggNames.length === 0) fail('domain.aggregates', 'expected at least one aggregate, e.g. { Account: { state: { balance: 0 } } }');
  checkCount('domain.aggregates', aggNames.length, DOMAIN_LIMITS.aggregates, 'aggregates');
  const aggregateIndex = new Map<string, number>();
  const aggregateStates: Array<Record<string, unknown>> = [];
  const aggregates: CompiledAggregate[] = aggNames.map((name, index) => {
    const path = `domain.aggregates.${name}`;
    checkName(path, name, 'aggregate name');
    aggregateIndex.set(name, index);
    const a = aggDefs[name] === null || aggDefs[name] === undefined ? {} : expectRecord(path, aggDefs[name], '{ stream_id, id, state }');
    checkKeys(path, a, AGGREGATE_KEYS);
    const template = a.stream_id ?? `${name}-{id}`;
    if (typeof template !== 'string' || template.split('{id}').length !== 2 || /[{}]/.test(template.replace('{id}', '')) || template.length > 128) {
      fail(`${path}.stream_id`, `is ${describeValue(a.stream_id)}; allowed: a template with {id} exactly once, e.g. "${name}-{id}"`);
    }
    const [streamPrefix, streamSuffix] = template.split('{id}') as [string, string];
    const state = a.state === undefined ? {} : expectRecord(`${path}.state`, a.state, 'an object mapping instance variables to initial values');
    const vars = Object.keys(state);
    checkCount(`${path}.state`, vars.length, DOMAIN_LIMITS.variables, 'variables');
    for (const v of vars) {
      checkName(`${path}.state.${v}`, v, 'variable name', IDENTIFIER_RE);
      if (v === 'id') fail(`${path}.state.id`, '"id" is the instance id (self.id); name the variable differently');
      checkJsonValue(`${path}.state.${v}`, state[v]);
    }
    const maxInstances = a.max_instances ?? 100;
    if (!Number.isInteger(maxInstances) || (maxInstances as number) < 1 || (maxInstances as number) > 1000) fail(`${path}.max_instances`, `is ${describeValue(a.max_instances)}; allowed: an integer from 1 to 1000`);
    aggregateStates.push(state);
    return { index, name, streamPrefix, streamSuffix, id: compileIdKind(`${path}.id`, a.id), stateVariables: ['id', ...vars], maxInstances: maxInstances as number };
  });

  // Session variables.
  const sessionDef = def.session === undefined ? {} : expectRecord('domain.session', def.session, 'an object mapping session variables to initial values');
  const sessionVars = Object.keys(sessionDef);
  checkCount('domain.session', sessionVars.length, DOMAIN_LIMITS.variables, 'variables');
  const globalNames = new Map<string, string>(); // name -> what it is, for collision messages
  for (const r of RESERVED) globalNames.set(r, 'a name of the language');
  for (const v of sessionVars) {
    const path = `domain.session.${v}`;
    checkName(path, v, 'variable name', IDENTIFIER_RE);
    if (globalNames.has(v)) fail(path, `${JSON.stringify(v)} is ${globalNames.get(v)}; name the variable differently`);
    checkJsonValue(path, sessionDef[v]);
    globalNames.set(v, 'a session variable');
  }
  // Aggregates addressable by name in expressions (what `Account` reads).
  const aggregateNamesInScope = new Set(aggregates.filter((a) => IDENTIFIER_RE.test(a.name) && !globalNames.has(a.name)).map((a) => a.name));

  const eventDefs = def.events === undefined ? {} : expectRecord('domain.events', def.events, 'an object mapping event types (chain states) to their definitions');
  const stateNames = chain.states.map((s) => s.name);
  for (const k of Object.keys(eventDefs)) {
    if (!chain.stateIndex.has(k)) {
      fail(`domain.events.${k}`, `${JSON.stringify(k)} is not a state of the chain${didYouMean(k, stateNames) || ";"} states: ${stateNames.slice(0, 30).join(', ')}`);
    }
  }

  const plans: EventPlan[] = [];
  const events: CompiledEventType[] = chain.states.map((st) => {
    const path = `domain.events.${st.name}`;
    const ev = own(eventDefs, st.name) === undefined ? {} : expectRecord(path, own(eventDefs, st.name), '{ aggregate, instance, guard, let, payload, effects }');
    checkKeys(path, ev, EVENT_KEYS);
    let aggregate = 0;
    if (ev.aggregate !== undefined) {
      const ai = typeof ev.aggregate === 'string' ? aggregateIndex.get(ev.aggregate) : undefined;
      if (ai === undefined) {
        fail(`${path}.aggregate`, `unknown aggregate ${describeValue(ev.aggregate)}${typeof ev.aggregate === 'string' ? didYouMean(ev.aggregate, aggNames) : ''} aggregates: ${aggNames.join(', ')}`);
      }
      aggregate = ai;
    }
    const isStart = st.index === chain.start;
    const isTerminal = st.index === chain.terminal;
    let instance: InstanceRule;
    let instanceExpr: string | undefined;
    const iv = ev.instance ?? (isStart ? 'new' : 'any');
    if (iv === 'new' || iv === 'any') instance = iv;
    else { instance = 'expression'; instanceExpr = expressionText(`${path}.instance`, iv); }
    if (isStart && instance !== 'new') fail(`${path}.instance`, `the start event creates the session's first instance; allowed: "new" (got ${describeValue(iv)})`);
    if (isStart && ev.guard !== undefined) fail(`${path}.guard`, 'the start event always happens; it cannot have a guard');
    if (isTerminal && ev.guard !== undefined) fail(`${path}.guard`, 'the terminal event always happens (a session must end); it cannot have a guard');
    if (isTerminal && instance !== 'new' && aggregate !== events0Aggregate()) {
      fail(`${path}.aggregate`, `the terminal event must belong to the start event's aggregate ${JSON.stringify(aggregates[events0Aggregate()]!.name)} (an instance that always exists) or create a new instance`);
    }
    if (isTerminal && instance === 'expression') fail(`${path}.instance`, 'the terminal event always happens; allowed: "any" or "new"');
    const guard = ev.guard !== undefined ? expressionText(`${path}.guard`, ev.guard) : undefined;

    const lets = ev.let === undefined ? {} : expectRecord(`${path}.let`, ev.let, 'an object mapping local names to expressions');
    const letNames = Object.keys(lets);
    checkCount(`${path}.let`, letNames.length, DOMAIN_LIMITS.lets, 'lets');
    const letPlan = letNames.map((name) => {
      const lpath = `${path}.let.${name}`;
      checkName(lpath, name, 'local name', IDENTIFIER_RE);
      if (globalNames.has(name) || aggregateNamesInScope.has(name)) fail(lpath, `${JSON.stringify(name)} is already ${globalNames.get(name) ?? 'a name in scope'}; name the local differently`);
      return [name, expressionText(lpath, lets[name])] as const;
    });

    let payloadSource: PayloadSchemaSource | undefined;
    const pd = ev.payload === undefined ? undefined : expectRecord(`${path}.payload`, ev.payload, '{ schema | $ref, fields }');
    const fields = pd?.fields === undefined ? {} : expectRecord(`${path}.payload.fields`, pd.fields, 'an object mapping payload fields to expressions');
    const fieldNames = Object.keys(fields);
    checkCount(`${path}.payload.fields`, fieldNames.length, DOMAIN_LIMITS.fields, 'fields');
    if (pd !== undefined) {
      checkKeys(`${path}.payload`, pd, PAYLOAD_KEYS);
      if (pd.$ref !== undefined) fail(`${path}.payload.$ref`, `${describeValue(pd.$ref)} was not resolved; load the domain from its file (loadDomainFile / --domain FILE), which reads the referenced document`);
      let schema: unknown;
      let ref: string | undefined;
      if (pd.document !== undefined) {
        schema = pd.document;
        if (pd.ref !== undefined && typeof pd.ref !== 'string') fail(`${path}.payload.ref`, `is ${describeValue(pd.ref)}; allowed: a schema name or a #/ pointer`);
        ref = pd.ref as string | undefined;
      } else if (pd.schema !== undefined) {
        schema = expectRecord(`${path}.payload.schema`, pd.schema, 'a JSON Schema object');
        if (jsonDepth(schema, DOMAIN_LIMITS.jsonDepth * 2) > DOMAIN_LIMITS.jsonDepth * 2) fail(`${path}.payload.schema`, `nests deeper than ${DOMAIN_LIMITS.jsonDepth * 2} levels`);
      }
      if (schema !== undefined) {
        let properties: string[] | undefined;
        try {
          properties = propertyOrder(schema, ref);
        } catch (e) {
          fail(`${path}.payload`, (e as Error).message);
        }
        if (properties !== undefined) {
          for (const f of fieldNames) {
            if (!properties.includes(f)) {
              fail(`${path}.payload.fields.${f}`, `${JSON.stringify(f)} is not a property of the payload schema${didYouMean(f, properties)} properties: ${properties.join(', ')}`);
            }
          }
        }
        // A field bound to the drawn outcome must allow every outcome its enum lists (payment's status).
        if (ref === undefined && isRecord(schema) && isRecord(schema.properties)) {
          for (const f of fieldNames) {
            const fs = own<Record<string, unknown>>(schema.properties, f);
            if (typeof fields[f] !== 'string' || (fields[f] as string).trim() !== 'outcome' || !isRecord(fs) || !Array.isArray(fs.enum)) continue;
            const missing = st.outcomes.map((o) => o.name).filter((o) => !(fs.enum as unknown[]).includes(o));
            if (missing.length > 0) fail(`${path}.payload.fields.${f}`, `is bound to outcome, but the schema's enum ${JSON.stringify(fs.enum)} lacks the outcome${missing.length > 1 ? 's' : ''} ${missing.map((m) => JSON.stringify(m)).join(', ')} of chain.states.${st.name}; add ${missing.length > 1 ? 'them' : 'it'} to the enum or rename the outcome`);
          }
        }
        const unboundNames = properties === undefined ? undefined : properties.filter((p) => !hasOwn(fields, p));
        let draw: PayloadSchemaSource['draw'];
        if (unboundNames === undefined) draw = ref === undefined ? { schema } : { schema, ref };
        else if (unboundNames.length === 0) draw = undefined;
        else if (ref === undefined && isRecord(schema) && isRecord(schema.properties)) {
          // Inline schema: draw only the unbound fields (bound ones would be drawn for nothing).
          const props = schema.properties;
          const required = Array.isArray(schema.required) ? schema.required.filter((r) => unboundNames.includes(r as string)) : undefined;
          const drawn: Record<string, unknown> = {}; // ES2017 (k6): no Object.fromEntries
          for (const n of unboundNames) Object.defineProperty(drawn, n, { value: props[n], enumerable: true, writable: true, configurable: true });
          const drawSchema: Record<string, unknown> = { ...schema, properties: drawn, ...(required !== undefined ? { required } : {}) };
          draw = drawsFieldByField(drawSchema, unboundNames) ? { schema: drawSchema, fields: unboundNames } : { schema: drawSchema };
        } else draw = ref === undefined ? { schema } : { schema, ref };
        payloadSource = ref === undefined ? { schema, properties, draw } : { schema, ref, properties, draw };
      }
    }
    const fieldTexts: Record<string, string> = Object.create(null);
    for (const f of fieldNames) fieldTexts[f] = expressionText(`${path}.payload.fields.${f}`, fields[f]);
    const effects = ev.effects === undefined ? [] : ev.effects;
    if (!Array.isArray(effects)) fail(`${path}.effects`, `is ${describeValue(effects)}; allowed: a list of assignments, e.g. ["self.balance = self.balance - payload.amount"]`);
    checkCount(`${path}.effects`, effects.length, DOMAIN_LIMITS.effects, 'effects');
    const effectTexts = effects.map((e, i) => expressionText(`${path}.effects[${i}]`, e));
    plans.push({ path, instanceExpr, guard, lets: letPlan, fields: fieldTexts, fieldNames, declaresPayload: pd !== undefined, effects: effectTexts });
    return { index: st.index, name: st.name, aggregate, instance, hasGuard: ev.guard !== undefined, payload: payloadSource };

    function events0Aggregate(): number {
      const startDef = own(eventDefs, chain.states[chain.start]!.name);
      const a = isRecord(startDef) ? startDef.aggregate : undefined;
      return typeof a === 'string' && aggregateIndex.has(a) ? aggregateIndex.get(a)! : 0;
    }
  });

  return { def, schemaVersion, envelope, params, chain, aggregates, aggregateStates, sessionDef, sessionVars, globalNames, events, plans };
}

/** The compiled domain of a checked definition and its program. */
export function finishDomain(c: CheckedDomain, programSource: string, program?: DomainProgramFactory): CompiledDomain {
  return Object.freeze({
    name: c.def.domain,
    description: c.def.description,
    definition: c.def,
    schemaVersion: c.schemaVersion,
    envelope: c.envelope,
    aggregates: c.aggregates,
    chain: c.chain,
    events: c.events,
    params: c.params,
    programSource,
    ...(program !== undefined ? { program } : {}),
  });
}

/**
 * A compiled domain from its definition and a program generated ahead (by compileDomain, as
 * `programSource` or as the function of a module from `compileDomainModule`), without the
 * expression compiler: the definition is validated again, its expressions are not parsed. The
 * program must have been generated from this very definition.
 */
export function linkDomain(definition: unknown, program: string | DomainProgramFactory): CompiledDomain {
  if (typeof program === 'function') return finishDomain(checkDomain(definition), `return (${String(program)})($b,P,D,$x);`, program);
  if (typeof program !== 'string') fail('program', `is ${describeValue(program)}; allowed: the program compileDomain generated (its programSource) or its function`);
  return finishDomain(checkDomain(definition), program);
}
