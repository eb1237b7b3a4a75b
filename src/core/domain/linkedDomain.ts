import { MockjutsuError, describeValue } from '../mockjutsuError.js';
import type { Chain, ChainState } from './domainChain.js';
import { DOMAIN_MODULE_FORMAT, type DomainModule } from './domainModule.js';
import type { CompiledDomain, CompiledEventType } from './linkDomain.js';

// A linked domain as data: what linkDomain/compileDomain compute from a definition (chain,
// aggregates, event types with their payload draw schemas, envelope, params), emitted by the
// build (built-in domains) and by compileDomainModule, so the k6 runtime bundle carries neither
// the validation code nor the definitions. Never written by hand: always linkedDomainData() of
// a domain compiled by the same code.

/** The chain as data (its state index is rebuilt from the states). */
export interface LinkedChainData {
  readonly states: readonly ChainState[];
  readonly start: number;
  readonly terminal: number;
  readonly maxSteps: number;
}

/**
 * What running a compiled domain needs of it, as plain JSON-able data: everything but its
 * definition and program, and of each event type's payload only the draw schema (`schema` and
 * `properties` of a restored domain's payloads are undefined).
 */
export type LinkedDomainData = Omit<CompiledDomain, 'definition' | 'programSource' | 'program' | 'description' | 'chain'> & {
  readonly description?: string;
  readonly chain: LinkedChainData;
};

/** Copies a value keeping only defined object members (the data a module literal carries). */
function definedOnly(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(definedOnly);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) Object.defineProperty(out, k, { value: definedOnly(x), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * The linked data of a compiled domain, as far as running it needs: each event type's payload
 * keeps only its draw schema (what the simulator draws unbound fields from); the full payload
 * schemas serve code generation, columns and OpenAPI, which happen where the definition is.
 * Members that are undefined are left out. Draw schemas stay shared objects, so an emitter can
 * write a document several event types $ref once.
 */
export function linkedDomainData(domain: CompiledDomain): LinkedDomainData {
  const chain = domain.chain;
  const events = domain.events.map((e) => {
    const { payload, ...rest } = e;
    const out = definedOnly(rest) as Record<string, unknown>;
    if (payload !== undefined) {
      const draw = payload.draw;
      // Draw schemas are the user's data: kept as they are (shared references too).
      // `fields`: the unbound fields drawn each by its own generator (the simulator's extra draw slots).
      out.payload = draw === undefined ? {} : { draw: { schema: draw.schema, ...(draw.ref !== undefined ? { ref: draw.ref } : {}), ...(draw.fields !== undefined ? { fields: draw.fields } : {}) } };
    }
    return out as unknown as CompiledEventType;
  });
  const data: Record<string, unknown> = { name: domain.name };
  if (domain.description !== undefined) data.description = domain.description;
  data.schemaVersion = domain.schemaVersion;
  data.envelope = definedOnly(domain.envelope);
  data.aggregates = definedOnly(domain.aggregates);
  data.chain = definedOnly({ states: chain.states, start: chain.start, terminal: chain.terminal, maxSteps: chain.maxSteps });
  data.events = events;
  data.params = domain.params;
  return data as unknown as LinkedDomainData;
}

function notCarried(name: string): never {
  throw new MockjutsuError(
    'INVALID_OPTION',
    `domain ${JSON.stringify(name)} was linked from compiled data (a module from compileDomainModule, or a built-in domain in the k6 runtime bundle), which does not carry its definition; load the domain from its file (or the library's BUILT_IN_DOMAINS) for it`,
    'domain',
  );
}

function badModule(what: string): never {
  throw new MockjutsuError(
    'INVALID_DOMAIN',
    `domain module ${what}; allowed: the default export of a module from \`mockjutsu domain --compile FILE --target k6\` (format ${DOMAIN_MODULE_FORMAT}); recompile the domain with this version of mockjutsu`,
    'domain',
  );
}

/**
 * The compiled domain of a module (compileDomainModule's default export, or a built-in's
 * generated entry): linked data + program, no validation code and no `new Function`.
 * Made for running (k6): its payloads carry only their draw schemas, and reading `definition`
 * throws an error that says why (the library links its built-ins from their definitions).
 */
export function restoreDomain(module: DomainModule): CompiledDomain {
  if (typeof module !== 'object' || module === null) badModule(`is ${describeValue(module)}`);
  if (module.format !== DOMAIN_MODULE_FORMAT) badModule(`has format ${describeValue(module.format)}`);
  const data = module.domain;
  if (typeof data !== 'object' || data === null || typeof module.program !== 'function') {
    badModule('lacks its domain data or program');
  }
  const stateIndex = new Map<string, number>();
  data.chain.states.forEach((s, i) => stateIndex.set(s.name, i));
  const chain: Chain = Object.freeze({ states: data.chain.states, stateIndex, start: data.chain.start, terminal: data.chain.terminal, maxSteps: data.chain.maxSteps });
  const program = module.program;
  const d = {
    name: data.name,
    description: data.description,
    schemaVersion: data.schemaVersion,
    envelope: data.envelope,
    aggregates: data.aggregates,
    chain,
    events: data.events,
    params: data.params,
    programSource: `return (${String(program)})($b,P,D,$x);`,
    program,
  } as Record<string, unknown>;
  Object.defineProperty(d, 'definition', { get: () => notCarried(data.name), enumerable: false });
  return Object.freeze(d) as unknown as CompiledDomain;
}
