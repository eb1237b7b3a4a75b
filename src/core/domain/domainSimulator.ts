import { partitionBase, sessionPrng, pickCumulative, type PartitionBase, type Prng } from '../prng.js';
import { uuidV4 } from '../uuid.js';
import type { GeneratorConfig } from '../generatorOptions.js';
import { LATEST_SESSION_START_MS, activityOffset, formatIsoMs, thinkTimeMs } from '../timeModel.js';
import { ProductCatalog, type Product } from '../productCatalog.js';
import { UserPool } from '../userPool.js';
import { RecordUserPool } from '../userRecords.js';
import { MockjutsuError } from '../mockjutsuError.js';
import { compileSchema } from '../schema/schemaGenerator.js';
// builtins.js, not the expression index: the simulator runs programs, it never parses (no jsep in k6)
import { EXPRESSION_BUILTINS, type ExpressionContext } from './expression/builtins.js';
import type { CompiledDomain, DomainProgram } from './linkDomain.js';
import { planGuarded } from './guardPlan.js';
import { programFunction } from './compileDomain.js';

/** An event of a domain: the envelope's fields (under the domain's names) and the payload. */
export type DomainEvent = Record<string, unknown>;

/** An aggregate instance of a session: its state is what `self` reads and effects change. */
interface Instance {
  readonly id: string;
  readonly streamId: string;
  version: number;
  readonly state: Record<string, unknown>;
}

/** What the generated program reads as `S` (one per simulator, reset per session). */
interface SessionScope {
  s: Record<string, unknown>;
  u: unknown;
  l: DomainEvent | null;
  t: number;
  n: number;
  c: boolean;
  t0: number;
  sid: string;
  o: string;
  /** Per aggregate: the states of the session's instances (what `Account` reads). */
  i: Array<Array<Record<string, unknown>>>;
}

/** The allowed targets of one guard outcome (bit j set: guard j of the plan failed), drawn as nextState does. */
interface AllowedSet {
  readonly n: number;
  readonly targets: Int32Array;
  readonly cumulative: Float64Array;
  readonly total: number;
}

/**
 * How the next state of one outcome is drawn when every target works on `any` instance and
 * each of their aggregates has exactly one instance in the session (the usual case): evaluate
 * the guards (in target order, as the general path does), then look the allowed set up.
 */
interface TransitionPlan {
  /** Every target's rule is `any` and there are at most MAX_PLAN_GUARDS guarded targets. */
  readonly simple: boolean;
  /** The aggregates of the targets (each must have exactly one instance for the plan to apply). */
  readonly aggregates: Int32Array;
  /** The program's guard mask of this outcome (all its guards in one function), if it has one. */
  readonly maskOf: ((S: unknown, I: unknown, W: Int32Array) => number) | null;
  /** Event types of the guarded targets, in target order. */
  readonly guarded: Int32Array;
  /**
   * Per guarded target: the position of an earlier one with the same guard function on the
   * same aggregate (the program shares a guard only when it draws nothing), else -1.
   */
  readonly sameAs: Int32Array;
  /** Allowed sets by guard mask, made when first needed. */
  readonly sets: Array<AllowedSet | undefined>;
}

type PayloadDraw = (r: Prng) => unknown;
const payloadDrawCache = new WeakMap<CompiledDomain, Map<number, ReadonlyArray<PayloadDraw | undefined>>>();

/**
 * The schema draws of a domain's unbound payload fields, per event type, then the fields drawn
 * alone (fieldDrawSlots). They draw with the caller's PRNG, so only the start instant (dates are
 * drawn in the year after it) shapes them: compiled once per (domain, start) and shared by every
 * generator of it, not again for each (the sidecar makes one per unseeded request).
 */
function payloadDraws(domain: CompiledDomain, startMs: number): ReadonlyArray<PayloadDraw | undefined> {
  let byStart = payloadDrawCache.get(domain);
  if (byStart === undefined) payloadDrawCache.set(domain, (byStart = new Map()));
  let draws = byStart.get(startMs);
  if (draws !== undefined) return draws;
  const schemaOptions = { seed: 'payload', start: startMs, now: startMs };
  const list: Array<PayloadDraw | undefined> = domain.events.map((e) => {
    const source = e.payload?.draw;
    if (source === undefined) return undefined;
    return compileSchema(source.schema as object, { ...(source.ref !== undefined ? { ref: source.ref } : {}), ...schemaOptions }).draw;
  });
  for (const e of domain.events) {
    const source = e.payload?.draw;
    for (const f of source?.fields ?? []) list.push(compileSchema(source!.schema as object, { ref: `#/properties/${f}`, ...schemaOptions }).draw);
  }
  if (byStart.size >= 64) byStart.clear(); // "now" starts differ per run: keep a few
  byStart.set(startMs, (draws = list));
  return draws;
}

/** Instantiates a domain's program (the generated code) with the builtins and schema draws. */
export function instantiateProgram(domain: CompiledDomain, params: Readonly<Record<string, unknown>>, draws: ReadonlyArray<((r: Prng) => unknown) | undefined>, context: ExpressionContext): DomainProgram {
  // Code generation is the point: each expression compiled once to JS the engine can optimize.
  // A program generated ahead (built-in domains, compiled modules) is a function already.
  const factory = domain.program ?? programFunction(domain.programSource);
  return factory(EXPRESSION_BUILTINS, params, draws, context);
}

/**
 * Generates the sessions of a domain. Session k of partition p is a pure function of
 * (config, p, k): it draws from its own PRNG derived from (seed, p, k), and for a domain other
 * than the shop from its name too.
 */
export class DomainSimulator {
  private readonly program: DomainProgram;
  private readonly users: UserPool | RecordUserPool;
  private catalogCache: ProductCatalog | undefined;
  private readonly bases = new Map<string, PartitionBase>();
  /**
   * What the partition's base is drawn from besides the seed: the partition alone for the shop
   * (its bytes stay those of 0.3.0), the partition and the domain's name for any other domain,
   * so two domains' sessions of one (seed, partition, k) get different session and event ids
   * and can be replayed into one store without colliding.
   */
  private readonly partitionSuffix: string;
  private readonly scope: SessionScope;
  private readonly context: { r: Prng; product: () => Product };
  /** Per state and outcome: target lists and scratch space for the allowed ones. */
  private readonly allowedTargets: Int32Array;
  private readonly allowedCumulative: Float64Array;
  private readonly chosen: Array<Instance | null>;
  /** Per event type: its aggregate, its instance rule (RULE_*), its aggregate's name. */
  private readonly eventAggregate: Int32Array;
  private readonly eventRule: Uint8Array;
  private readonly eventAggregateName: string[];
  /** Per aggregate: the session's instances (reused from session to session; never seen by expressions). */
  private readonly instances: Instance[][];
  /** Per state and outcome: how its next state is drawn in the usual case. */
  private readonly plans: TransitionPlan[][];
  /** Where a program's guard mask says which event type's guard runs (for errors). */
  private readonly guardAt = new Int32Array(1);

  constructor(readonly config: GeneratorConfig, readonly domain: CompiledDomain = config.domain, params: Readonly<Record<string, unknown>> = config.params) {
    this.partitionSuffix = domain.name === 'shop' ? '' : '\u0000' + domain.name;
    this.users = config.userRecords !== undefined
      ? new RecordUserPool(config.seed, config.userRecords, config.userCacheSize)
      : new UserPool(config.seed, config.users, config.userCacheSize);
    const draws = payloadDraws(domain, config.startMs);
    this.scope = { s: {}, u: null, l: null, t: 0, n: 0, c: false, t0: 0, sid: '', o: '', i: domain.aggregates.map(() => []) };
    const self = this;
    this.context = {
      r: undefined as unknown as Prng,
      product(): Product { return self.catalog.draw(this.r); },
    };
    this.program = instantiateProgram(domain, params, draws, this.context);
    this.chosen = domain.chain.states.map(() => null);
    this.eventAggregate = Int32Array.from(domain.events, (e) => e.aggregate);
    this.eventRule = Uint8Array.from(domain.events, (e) => (e.instance === 'new' ? RULE_NEW : e.instance === 'expression' ? RULE_EXPRESSION : RULE_ANY));
    this.eventAggregateName = domain.events.map((e) => domain.aggregates[e.aggregate]!.name);
    this.instances = domain.aggregates.map(() => []);
    this.plans = domain.chain.states.map((st) => st.outcomes.map((o, oi) => {
      const guarded = planGuarded(domain.events, o.targets);
      const simple = guarded !== undefined;
      const g = guarded ?? [];
      return {
        simple,
        maskOf: simple && g.length > 0 ? this.program.mask?.[st.index]?.[oi] ?? null : null,
        aggregates: Int32Array.from(new Set(o.targets.map((t) => this.eventAggregate[t]!))),
        guarded: Int32Array.from(g),
        sameAs: Int32Array.from(g, (t, j) => g.findIndex((u, i) => i < j && this.program.guard[u] === this.program.guard[t] && this.eventAggregate[u] === this.eventAggregate[t])),
        sets: simple ? new Array<AllowedSet | undefined>(1 << g.length).fill(undefined) : [],
      };
    }));
    const h = this.helpers;
    h.I = this.instances; h.C = this.chosen; h.A = this.eventAggregate; h.W = this.guardAt;
    const most = Math.max(1, ...domain.chain.states.map((st) => Math.max(0, ...st.outcomes.map((o) => o.targets.length))));
    this.allowedTargets = new Int32Array(most);
    this.allowedCumulative = new Float64Array(most);
  }

  /** Whether simulate runs the program's walk (when it has one); false: the generic loop (tests compare the two). */
  useWalk = true;
  /** The session the walk runs, for its helpers. */
  private readonly current = { r: undefined as unknown as Prng, partition: '', k: 0, sessionId: '' };
  /** What the program's walk gets from the simulator (see walkSource.ts). */
  private readonly helpers = {
    I: undefined as unknown as Instance[][], C: undefined as unknown as Array<Instance | null>, A: undefined as unknown as Int32Array, W: undefined as unknown as Int32Array,
    uuid: uuidV4, iso: formatIsoMs, think: thinkTimeMs,
    next: (si: number, oi: number): number => {
      const o = this.domain.chain.states[si]!.outcomes[oi]!;
      const c = this.current;
      return this.nextState(o.targets, o.weights, this.instances, c.r, c.partition, c.k);
    },
    resolve: (t: number): Instance => {
      const c = this.current;
      return this.resolve(t, this.instances, c.r, c.partition, c.k, c.sessionId);
    },
    err: (e: unknown, at: number): Error => {
      const c = this.current;
      return runtimeError(e, this.domain.name, this.domain.chain.states[at < 0 ? this.guardAt[0]! : at]!.name, this.config.seed, c.partition, c.k);
    },
  };

  private get catalog(): ProductCatalog {
    return (this.catalogCache ??= new ProductCatalog(this.config.seed, this.config.catalogSize));
  }

  private sessionStart(r: Prng, k: number): number {
    const c = this.config;
    if (c.spreadMs > 0) return c.startMs + (c.activity === 'flat' ? Math.floor(r() * c.spreadMs) : activityOffset(r, c.startMs, c.spreadMs));
    return c.startMs + k * c.sessionIntervalMs + Math.floor(r() * c.sessionIntervalMs);
  }

  /** Session `k` of `partition`; its events get global positions from `firstPosition` on. */
  simulate(partition: string, k: number, firstPosition: number): DomainEvent[] {
    const c = this.config;
    const d = this.domain;
    const chain = d.chain;
    const states = chain.states;
    const program = this.program;
    let base = this.bases.get(partition);
    if (base === undefined) {
      if (this.bases.size >= 4096) this.bases.clear();
      base = partitionBase(c.seed, partition + this.partitionSuffix);
      this.bases.set(partition, base);
    }
    const r = sessionPrng(base, k);
    const sessionId = uuidV4(r);
    const correlationId = uuidV4(r);
    const user = this.users.get(Math.floor(r() * c.users));
    const startMs = this.sessionStart(r, k);
    if (startMs > LATEST_SESSION_START_MS) {
      throw new MockjutsuError('INVALID_OPTION', `session ${k} would start at ${startMs} ms, after 9998-12-31 (start + session x sessionIntervalMs); allowed: a session index whose start stays a year before 9999-12-31, i.e. at most ${Math.floor((LATEST_SESSION_START_MS - c.startMs) / c.sessionIntervalMs) - 1} here, or an earlier start`, 'session');
    }
    const S = this.scope;
    S.s = program.session();
    S.u = user;
    S.l = null;
    S.c = false;
    S.t0 = startMs;
    S.sid = sessionId;
    const instances = this.instances;
    // The lists in S.i are fresh per session: expressions may keep (or emit) the lists they
    // read. S.i itself is only indexed by the program (`S.i[0]`), so it is reused.
    const lists = S.i;
    for (let a = 0; a < instances.length; a++) {
      instances[a]!.length = 0;
      lists[a] = [];
    }
    const x = this.context;
    x.r = r;

    const first = this.create(d.events[chain.start]!.aggregate, r, partition, k, sessionId, instances);
    if (program.walk !== undefined && this.useWalk) {
      const cur = this.current;
      cur.r = r; cur.partition = partition; cur.k = k; cur.sessionId = sessionId;
      return program.walk(this.helpers, S, r, first, firstPosition, correlationId, sessionId, user.user_id, startMs);
    }
    const events: DomainEvent[] = [];
    let ts = startMs;
    let previousId: string | null = null;
    let state = states[chain.start]!;
    let instance: Instance = first;
    for (let step = 1; ; step++) {
      const outcomeIndex = state.outcomes.length > 1 ? pickCumulative(r, state.outcomeCumulative) : 0;
      S.o = state.outcomes.length > 0 ? state.outcomes[outcomeIndex]!.name : '';
      S.t = ts;
      S.n = step;
      const eventId = uuidV4(r);
      let payload: Record<string, unknown>;
      try {
        payload = program.build[state.index]!(S, instance.state);
      } catch (e) {
        throw runtimeError(e, d.name, state.name, c.seed, partition, k);
      }
      instance.version++;
      const event = program.event(
        eventId, state.name, instance.streamId, this.eventAggregateName[state.index]!, instance.id, instance.version,
        firstPosition + step - 1, correlationId, previousId, sessionId, user.user_id, formatIsoMs(ts), d.schemaVersion, payload,
      );
      events.push(event);
      if (state.index === chain.terminal) break;
      previousId = eventId;
      S.l = event;

      let next: number;
      if (step >= chain.maxSteps - 1) {
        next = chain.terminal;
        this.chosen[next] = null;
        S.c = true;
      } else {
        const plan = this.plans[state.index]![outcomeIndex]!;
        const simple = plan.simple && this.singleInstances(plan.aggregates);
        next = simple ? this.nextByPlan(plan, state.outcomes[outcomeIndex]!, r, partition, k)
          : this.nextState(state.outcomes[outcomeIndex]!.targets, state.outcomes[outcomeIndex]!.weights, instances, r, partition, k);
      }
      ts += thinkTimeMs(r, state.thinkMedianMs, state.thinkSigma);
      state = states[next]!;
      const picked = this.chosen[next];
      instance = picked !== null && picked !== undefined ? picked
        : this.resolve(next, instances, r, partition, k, sessionId);
    }
    return events;
  }

  /** Whether each of these aggregates has exactly one instance in the session. */
  private singleInstances(aggregates: Int32Array): boolean {
    for (let i = 0; i < aggregates.length; i++) if (this.instances[aggregates[i]!]!.length !== 1) return false;
    return true;
  }

  /**
   * nextState for a simple plan (every target `any`, one instance per aggregate): the same
   * guard calls in the same order, the same draw, the allowed set looked up by the guards' mask.
   */
  private nextByPlan(plan: TransitionPlan, outcome: { readonly targets: readonly number[]; readonly weights: readonly number[] }, r: Prng, partition: string, k: number): number {
    const guarded = plan.guarded;
    const guards = this.program.guard;
    const aggregateOf = this.eventAggregate;
    const instances = this.instances;
    const S = this.scope;
    let mask = 0;
    let t = -1;
    const maskOf = plan.maskOf;
    if (maskOf !== null) {
      try {
        mask = maskOf(S, instances, this.guardAt);
      } catch (e) {
        throw runtimeError(e, this.domain.name, this.domain.chain.states[this.guardAt[0]!]!.name, this.config.seed, partition, k);
      }
    } else try {
      const sameAs = plan.sameAs;
      for (let j = 0; j < guarded.length; j++) {
        const same = sameAs[j]!;
        if (same !== -1) {
          if ((mask & (1 << same)) !== 0) mask |= 1 << j;
          continue;
        }
        t = guarded[j]!;
        if (!guards[t]!(S, instances[aggregateOf[t]!]![0]!.state)) mask |= 1 << j;
      }
    } catch (e) {
      throw runtimeError(e, this.domain.name, this.domain.chain.states[t]!.name, this.config.seed, partition, k);
    }
    const set = plan.sets[mask] ?? (plan.sets[mask] = allowedSet(outcome.targets, outcome.weights, guarded, mask));
    const n = set.n;
    let next: number;
    if (n === 0) {
      next = this.domain.chain.terminal;
      this.chosen[next] = null;
      return next;
    }
    if (n === 1) next = set.targets[0]!;
    else {
      const cumulative = set.cumulative;
      const x = r() * set.total;
      let j = 0;
      while (j < n - 1 && x >= cumulative[j]!) j++;
      next = set.targets[j]!;
    }
    this.chosen[next] = instances[aggregateOf[next]!]![0]!;
    return next;
  }

  /**
   * Draws the next state among the targets whose event can happen now (its guard holds for
   * some instance). When none can, the session ends (terminal), as a guarded chain always did.
   */
  private nextState(targets: readonly number[], weights: readonly number[], instances: Instance[][], r: Prng, partition: string, k: number): number {
    const allowed = this.allowedTargets;
    const cumulative = this.allowedCumulative;
    let n = 0;
    let acc = 0;
    let t = -1;
    const rules = this.eventRule;
    const aggregateOf = this.eventAggregate;
    const guards = this.program.guard;
    const chosen = this.chosen;
    const S = this.scope;
    try {
      for (let i = 0; i < targets.length; i++) {
        t = targets[i]!;
        // The usual case inline: any instance, and the session has one.
        const list = rules[t] === RULE_ANY ? instances[aggregateOf[t]!]! : null;
        if (list !== null && list.length === 1) {
          const only = list[0]!;
          const guard = guards[t];
          const ok = guard === null || guard === undefined || guard(S, only.state);
          chosen[t] = ok ? only : null;
          if (!ok) continue;
        } else if (!this.candidateFor(t, instances)) continue;
        allowed[n] = t;
        cumulative[n++] = (acc += weights[i]!);
      }
    } catch (e) {
      throw runtimeError(e, this.domain.name, this.domain.chain.states[t]!.name, this.config.seed, partition, k);
    }
    if (n === 0) {
      this.chosen[this.domain.chain.terminal] = null;
      return this.domain.chain.terminal;
    }
    if (n === 1) return allowed[0]!;
    // pickCumulative over the first n entries (the arrays are reused scratch space).
    const x = r() * acc;
    let j = 0;
    while (j < n - 1 && x >= cumulative[j]!) j++;
    return allowed[j]!;
  }

  /**
   * Whether event type t can happen now; remembers a single candidate instance in `chosen[t]`.
   * Guards run in instance order and stop at the second match (a guard may draw: the calls are
   * part of the session's bytes).
   */
  private candidateFor(t: number, instances: Instance[][]): boolean {
    const list = instances[this.eventAggregate[t]!]!;
    const guard = this.program.guard[t] as DomainProgram['guard'][number];
    const chosen = this.chosen;
    const rule = this.eventRule[t]!;
    if (rule === RULE_ANY) {
      const count = list.length;
      if (guard === null) {
        chosen[t] = count === 1 ? list[0]! : null;
        return count > 0;
      }
      if (count === 1) {
        const only = list[0]!;
        const ok = guard(this.scope, only.state);
        chosen[t] = ok ? only : null;
        return ok;
      }
      chosen[t] = null;
      let n = 0;
      for (let i = 0; i < count; i++) {
        const inst = list[i]!;
        if (guard(this.scope, inst.state)) {
          if (n++ === 0) chosen[t] = inst;
          else { chosen[t] = null; return true; }
        }
      }
      return n > 0;
    }
    chosen[t] = null;
    if (rule === RULE_NEW) {
      const a = this.eventAggregate[t]!;
      const agg = this.domain.aggregates[a]!;
      if (list.length >= agg.maxInstances || (list.length > 0 && agg.id.kind === 'session')) return false;
      return guard === null || guard(this.scope, this.freshState(a));
    }
    const id = this.program.instanceId[t]!(this.scope);
    let inst: Instance | undefined;
    for (let i = 0; i < list.length; i++) if (list[i]!.id === id) { inst = list[i]!; break; }
    if (inst === undefined || (guard !== null && !guard(this.scope, inst.state))) return false;
    chosen[t] = inst;
    return true;
  }

  private readonly fresh: Array<Record<string, unknown> | undefined> = [];
  /** A read-only initial state for guards of `new` events (guards cannot assign). */
  private freshState(a: number): Record<string, unknown> {
    return (this.fresh[a] ??= this.program.instance[a]!(''));
  }

  /** The instance event type t works on, when `candidateFor` left more than one. */
  private resolve(t: number, instances: Instance[][], r: Prng, partition: string, k: number, sessionId: string): Instance {
    const et = this.domain.events[t]!;
    if (et.instance === 'new') return this.create(et.aggregate, r, partition, k, sessionId, instances);
    const list = instances[et.aggregate]!;
    const guard = this.program.guard[t];
    const candidates = guard === null ? list : list.filter((i) => guard(this.scope, i.state));
    if (candidates.length === 0) {
      // Only the terminal gets here without a check; validation ties it to the start's aggregate.
      throw new MockjutsuError('INVALID_DOMAIN', `domain ${this.domain.name}: event ${this.domain.chain.states[t]!.name} has no instance of ${this.domain.aggregates[et.aggregate]!.name} to work on (session ${k} of partition ${partition}, seed ${this.config.seed})`, `domain.events.${this.domain.chain.states[t]!.name}`);
    }
    return candidates.length === 1 ? candidates[0]! : candidates[Math.floor(r() * candidates.length)]!;
  }

  private create(a: number, r: Prng, partition: string, k: number, sessionId: string, instances: Instance[][]): Instance {
    const agg = this.domain.aggregates[a]!;
    const list = instances[a]!;
    let id: string;
    switch (agg.id.kind) {
      case 'uuid': id = uuidV4(r); break;
      case 'session': id = sessionId; break;
      default: {
        const digits = String(k).padStart(agg.id.digits, '0');
        id = agg.id.prefix + (partition === '0' ? '' : partition + '-') + digits + (list.length === 0 ? '' : '-' + (list.length + 1));
      }
    }
    const state = this.program.instance[a]!(id);
    const inst: Instance = { id, streamId: agg.streamPrefix + id + agg.streamSuffix, version: 0, state };
    list.push(inst);
    this.scope.i[a]!.push(state);
    return inst;
  }
}

/** The targets allowed when the guards in `mask` failed, with cumulative weights summed as nextState sums them. */
function allowedSet(targets: readonly number[], weights: readonly number[], guarded: Int32Array, mask: number): AllowedSet {
  const allowed: number[] = [];
  const cumulative: number[] = [];
  let acc = 0;
  for (let i = 0; i < targets.length; i++) {
    const j = guarded.indexOf(targets[i]!);
    if (j !== -1 && (mask & (1 << j)) !== 0) continue;
    allowed.push(targets[i]!);
    cumulative.push((acc += weights[i]!));
  }
  return { n: allowed.length, targets: Int32Array.from(allowed), cumulative: Float64Array.from(cumulative), total: acc };
}

const RULE_ANY = 0;
const RULE_NEW = 1;
const RULE_EXPRESSION = 2;

function runtimeError(e: unknown, domain: string, eventType: string, seed: string, partition: string, k: number): Error {
  if (e instanceof MockjutsuError) return e;
  return new MockjutsuError('INVALID_DOMAIN', `domain ${domain}: event ${eventType} failed: ${(e as Error).message} (replay: seed ${seed}, partition ${partition}, session ${k})`, `domain.events.${eventType}`);
}
