import { describeValue } from '../mockjutsuError.js';
import { jsonDepth } from '../jsonDepth.js';
import { readSchemaDocument, locateSchema } from '../schema/schemaDocument.js';
import { compileExpression, type ScopeEntry } from './expression/index.js';
import { compileChain, type Chain } from './domainChain.js';
import { ENVELOPE_FIELDS, type DomainDefinition, type EnvelopeField } from './domainDefinition.js';
import { DOMAIN_LIMITS, IDENTIFIER_RE, checkCount, checkKeys, checkName, expectRecord, fail, hasOwn, isRecord, own } from './domainChecks.js';
import { nearestName } from './nearestName.js';

/** How a compiled aggregate makes its instances' ids. */
export type IdKind = { kind: 'uuid' } | { kind: 'session' } | { kind: 'user' } | { kind: 'sequence'; prefix: string; digits: number };

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
  readonly draw: { readonly schema: unknown; readonly ref?: string } | undefined;
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
  /** Builds an event object with the envelope's names, in contract order. */
  event: (...fields: unknown[]) => Record<string, unknown>;
}

const TOP_KEYS = ['domain', 'description', 'schema_version', 'envelope', 'params', 'aggregates', 'session', 'chain', 'events'];
const AGGREGATE_KEYS = ['stream_id', 'id', 'state', 'max_instances'];
const EVENT_KEYS = ['aggregate', 'instance', 'guard', 'let', 'payload', 'effects'];
const PAYLOAD_KEYS = ['schema', '$ref', 'document', 'ref', 'fields'];
/** Names the language gives every expression; user variables may not take them. */
const RESERVED = ['self', 'payload', 'user', 'last', 'time', 'step', 'capped', 'session_start', 'session_id', 'outcome', 'params', 'true', 'false', 'null', 'undefined'];
const UNSAFE_KEYS = new Set(['__proto__']);

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
  if (v === 'session' || v === 'user') return { kind: v };
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
  fail(path, `is ${describeValue(v)}; allowed: "uuid", "session", "user" or { sequence: { prefix, digits } }`);
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
 * suggest the nearest known key) and compiles it. Payload schemas given by `$ref` must have
 * been resolved by the file loader into `{ document, ref }` (see `loadDomainFile`).
 */
export function compileDomain(input: unknown): CompiledDomain {
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
  const instanceInit: string[] = [];
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
    instanceInit.push(`function(id){return ${jsLiteral({ id: '\u0000ID', ...state }).replace('"\\u0000ID"', 'id')};}`);
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

  // The scope every expression sees.
  const baseScope: Record<string, ScopeEntry> = Object.create(null);
  for (const v of sessionVars) baseScope[v] = { js: `S.s[${JSON.stringify(v)}]`, assignable: true };
  aggregates.forEach((a) => {
    if (!IDENTIFIER_RE.test(a.name) || globalNames.has(a.name)) return; // not addressable by name
    baseScope[a.name] = { js: `S.i[${a.index}]` };
  });
  baseScope.user = { js: 'S.u' };
  baseScope.last = { js: 'S.l' };
  baseScope.step = { js: 'S.n' };
  baseScope.session_start = { js: 'S.t0' };
  baseScope.session_id = { js: 'S.sid' };
  baseScope.params = { js: 'P' }; // read-only data: no members, not assignable

  const eventDefs = def.events === undefined ? {} : expectRecord('domain.events', def.events, 'an object mapping event types (chain states) to their definitions');
  const stateNames = chain.states.map((s) => s.name);
  for (const k of Object.keys(eventDefs)) {
    if (!chain.stateIndex.has(k)) {
      const near = nearestName(k, stateNames);
      fail(`domain.events.${k}`, `${JSON.stringify(k)} is not a state of the chain${near !== undefined ? `; did you mean ${JSON.stringify(near)}?` : ''} states: ${stateNames.slice(0, 30).join(', ')}`);
    }
  }

  const guards: string[] = [];
  const instanceIds: string[] = [];
  const builds: string[] = [];
  const events: CompiledEventType[] = chain.states.map((st) => {
    const path = `domain.events.${st.name}`;
    const ev = own(eventDefs, st.name) === undefined ? {} : expectRecord(path, own(eventDefs, st.name), '{ aggregate, instance, guard, let, payload, effects }');
    checkKeys(path, ev, EVENT_KEYS);
    let aggregate = 0;
    if (ev.aggregate !== undefined) {
      const ai = typeof ev.aggregate === 'string' ? aggregateIndex.get(ev.aggregate) : undefined;
      if (ai === undefined) {
        const near = typeof ev.aggregate === 'string' ? nearestName(ev.aggregate, aggNames) : undefined;
        fail(`${path}.aggregate`, `unknown aggregate ${describeValue(ev.aggregate)}${near !== undefined ? `; did you mean ${JSON.stringify(near)}?` : ''} aggregates: ${aggNames.join(', ')}`);
      }
      aggregate = ai;
    }
    const agg = aggregates[aggregate]!;
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

    // Scope of this event's expressions.
    const scope: Record<string, ScopeEntry> = Object.assign(Object.create(null), baseScope);
    scope.self = { js: 'self', members: agg.stateVariables };
    if (instanceExpr !== undefined) {
      const idScope: Record<string, ScopeEntry> = Object.assign(Object.create(null), baseScope);
      instanceIds.push(`function(S){return ${compileExpression(instanceExpr, { path: `${path}.instance`, scope: idScope })};}`);
    } else instanceIds.push('null');
    if (ev.guard !== undefined) {
      guards.push(`function(S,self){return !!(${compileExpression(expressionText(`${path}.guard`, ev.guard), { path: `${path}.guard`, scope })});}`);
    } else guards.push('null');

    // Lets, payload, effects: one generated function.
    scope.outcome = { js: 'S.o' };
    scope.time = { js: 'S.t' };
    scope.capped = { js: 'S.c' };
    let body = '';
    const lets = ev.let === undefined ? {} : expectRecord(`${path}.let`, ev.let, 'an object mapping local names to expressions');
    const letNames = Object.keys(lets);
    checkCount(`${path}.let`, letNames.length, DOMAIN_LIMITS.lets, 'lets');
    letNames.forEach((name, i) => {
      const lpath = `${path}.let.${name}`;
      checkName(lpath, name, 'local name', IDENTIFIER_RE);
      if (globalNames.has(name) || scope[name] !== undefined) fail(lpath, `${JSON.stringify(name)} is already ${globalNames.get(name) ?? 'a name in scope'}; name the local differently`);
      body += `var v${i}=${compileExpression(expressionText(lpath, lets[name]), { path: lpath, scope })};`;
      scope[name] = { js: `v${i}`, assignable: true }; // a let may hold data an effect changes (a cart line)
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
              const near = nearestName(f, properties);
              fail(`${path}.payload.fields.${f}`, `${JSON.stringify(f)} is not a property of the payload schema${near !== undefined ? `; did you mean ${JSON.stringify(near)}?` : ''} properties: ${properties.join(', ')}`);
            }
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
          draw = { schema: { ...schema, properties: Object.fromEntries(unboundNames.map((n) => [n, props[n]])), ...(required !== undefined ? { required } : {}) } };
        } else draw = ref === undefined ? { schema } : { schema, ref };
        payloadSource = ref === undefined ? { schema, properties, draw } : { schema, ref, properties, draw };
      }
    }
    if (payloadSource?.draw !== undefined) body += `var d=D[${st.index}]($x.r);`;
    scope.payload = { js: 'p' };
    const put = (key: string, valueJs: string): string =>
      `if((f=${valueJs})!==undefined)${UNSAFE_KEYS.has(key) ? `$b.put(p,${JSON.stringify(key)},f)` : `p[${JSON.stringify(key)}]=f`};`;
    const order = payloadSource === undefined ? fieldNames : payloadSource.properties;
    if (order === undefined) {
      body += 'var p={},f;p=$b.copy(d);';
      for (const f of fieldNames) body += put(f, compileExpression(expressionText(`${path}.payload.fields.${f}`, fields[f]), { path: `${path}.payload.fields.${f}`, scope }));
    } else {
      const values = order.map((f) => {
        const fpath = `${path}.payload.fields.${f}`;
        return hasOwn(fields, f) ? compileExpression(expressionText(fpath, fields[f]), { path: fpath, scope }) : `$b.own(d,${JSON.stringify(f)})`;
      });
      if (order.length > 0 && !order.some((f) => UNSAFE_KEYS.has(f)) && !values.some((v) => /(^|[^\w$.])p\b/.test(v))) {
        // Fields evaluated in order into locals; when none is undefined (the usual case) the
        // payload is one object literal (one allocation, its final shape at once), else built
        // field by field skipping the undefined ones. Only when no field reads the payload.
        body += 'var p,f;' + values.map((v, i) => `var f${i}=${v};`).join('') +
          `if(${values.map((_, i) => `f${i}!==undefined`).join('&&')})p={${order.map((f, i) => `${JSON.stringify(f)}:f${i}`).join(',')}};` +
          `else{p={};${order.map((f, i) => `if(f${i}!==undefined)p[${JSON.stringify(f)}]=f${i};`).join('')}}`;
      } else {
        body += 'var p={},f;';
        order.forEach((f, i) => { body += put(f, values[i]!); });
      }
    }
    if (pd === undefined && st.outcomes.length > 1) body += 'p.outcome=S.o;';
    const effects = ev.effects === undefined ? [] : ev.effects;
    if (!Array.isArray(effects)) fail(`${path}.effects`, `is ${describeValue(effects)}; allowed: a list of assignments, e.g. ["self.balance = self.balance - payload.amount"]`);
    checkCount(`${path}.effects`, effects.length, DOMAIN_LIMITS.effects, 'effects');
    effects.forEach((e, i) => {
      const epath = `${path}.effects[${i}]`;
      body += compileExpression(expressionText(epath, e), { path: epath, scope, assignment: true }) + ';';
    });
    builds.push(`function(S,self){${body}return p;}`);
    return { index: st.index, name: st.name, aggregate, instance, hasGuard: ev.guard !== undefined, payload: payloadSource };

    function events0Aggregate(): number {
      const startDef = own(eventDefs, chain.states[chain.start]!.name);
      const a = isRecord(startDef) ? startDef.aggregate : undefined;
      return typeof a === 'string' && aggregateIndex.has(a) ? aggregateIndex.get(a)! : 0;
    }
  });

  // The simulator passes every contract field, in contract order; the event keeps the domain's.
  const eventFn = `function(${ENVELOPE_FIELDS.map((_, i) => `a${i}`).join(',')}){return {${envelope.map((c) => `${JSON.stringify(c.name)}:a${ENVELOPE_FIELDS.indexOf(c.field)}`).join(',')}};}`;
  const programSource = '"use strict";return {' +
    `session:function(){return ${jsLiteral(sessionDef)};},` +
    `instance:[${instanceInit.join(',')}],` +
    `guard:[${guards.join(',')}],` +
    `instanceId:[${instanceIds.join(',')}],` +
    `build:[${builds.join(',\n')}],` +
    `event:${eventFn}};`;

  return Object.freeze({
    name: def.domain,
    description: def.description,
    definition: def,
    schemaVersion,
    envelope,
    aggregates,
    chain,
    events,
    params,
    programSource,
  });
}

