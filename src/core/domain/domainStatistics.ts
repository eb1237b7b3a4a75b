import { MockjutsuError, describeValue } from '../mockjutsuError.js';
import { resolveGeneratorConfig, type Seed } from '../generatorOptions.js';
import { DomainSimulator } from './domainSimulator.js';
import type { CompiledDomain } from './compileDomain.js';
import type { Chain } from './domainChain.js';
import { resolveDomain, type DomainInput } from './resolveDomain.js';

/**
 * Statistics of a domain's sessions. Exact (an absorbing Markov chain over the event types) when
 * the way from one event type to the next cannot depend on variables: no guards, no instance
 * chosen by an expression, no event that needs an instance which may not exist yet, no instance
 * limit that can be reached. Otherwise estimated by simulating sessions, with 95% intervals.
 * Either way the work is bounded, so a domain at the size limits cannot hang the caller.
 */

/** A figure: exact (no interval), or an estimate with its 95% confidence interval. */
export interface Estimate {
  readonly value: number;
  /** 95% confidence interval [low, high] of a simulated figure; absent when exact. */
  readonly ci95?: readonly [number, number];
}

export interface EventTypeStatistics {
  readonly name: string;
  /** Expected events of this type per session (max_steps applied). */
  readonly expectedVisits: Estimate;
  /** Probability that a session has at least one event of this type (exact: without the max_steps cap). */
  readonly visitProbability: Estimate;
  /** This type's share of all events (expected visits / expected events). */
  readonly share: number;
  /** Expected events per session of each outcome, when the state has named outcomes. */
  readonly outcomes?: Readonly<Record<string, number>>;
}

export interface DomainStatistics {
  readonly domain: string;
  readonly method: 'exact' | 'simulated';
  /** Why the figures are simulated (what makes the chain depend on variables, or the budget). */
  readonly reasons: readonly string[];
  /** Simulated: how many sessions and from which seed (the run can be repeated). */
  readonly sessions?: number;
  readonly seed?: string;
  readonly states: number;
  readonly start: string;
  readonly terminal: string;
  readonly maxSteps: number;
  /** Expected events per session, max_steps applied. */
  readonly expectedEventsPerSession: Estimate;
  /** Exact only: the same expectation without the max_steps cap (fundamental matrix). */
  readonly uncappedExpectedEventsPerSession?: number;
  /** Probability that a session has max_steps events (it was cut, or ended there anyway). */
  readonly capProbability: Estimate;
  /** Session length (events) percentiles. */
  readonly length: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number };
  readonly eventTypes: readonly EventTypeStatistics[];
}

export interface DomainStatisticsOptions {
  /** "auto" (default): exact when the domain allows it, else simulated. */
  method?: 'auto' | 'exact' | 'simulated';
  /** Sessions simulated (1..1,000,000, default 20,000). */
  sessions?: number;
  /** Seed of the simulation (default "mockjutsu-stats"). */
  seed?: Seed;
  /** Overrides of the domain's params (they change what guards allow). */
  params?: Record<string, unknown>;
  /** Most events the simulation generates (default 1,000,000): long sessions mean fewer sessions. */
  maxEvents?: number;
}

/** Work budgets: exact propagation (steps x transitions) and dense solves (sum of component sizes cubed). */
export const STATISTICS_LIMITS = {
  propagation: 100_000_000,
  denseSolve: 100_000_000,
  defaultSessions: 20_000,
  maxSessions: 1_000_000,
  defaultMaxEvents: 1_000_000,
} as const;

/** What makes the next event type depend on variables (empty: the chain alone is exact). */
export function variableDependence(domain: CompiledDomain): string[] {
  const reasons: string[] = [];
  const chain = domain.chain;
  const startAggregate = domain.events[chain.start]!.aggregate;
  for (const e of domain.events) {
    if (e.index === chain.start) continue;
    const agg = domain.aggregates[e.aggregate]!;
    if (e.hasGuard) reasons.push(`events.${e.name} has a guard`);
    if (e.instance === 'expression') reasons.push(`events.${e.name} picks its instance by an expression`);
    else if (e.instance === 'any' && e.aggregate !== startAggregate) reasons.push(`events.${e.name} needs an instance of ${agg.name}, which a session may not have yet`);
    else if (e.instance === 'new') {
      if (agg.id.kind === 'session') reasons.push(`events.${e.name} creates a ${agg.name} (one per session: id ${agg.id.kind})`);
      else if (agg.maxInstances < chain.maxSteps) reasons.push(`events.${e.name} creates a ${agg.name}, at most ${agg.maxInstances} per session`);
    }
  }
  return reasons;
}

/** Per transient state: merged next-state probabilities (outcomes mixed by their weights). */
function transitionRows(chain: Chain): Array<Map<number, number>> {
  return chain.states.map((st) => {
    const row = new Map<number, number>();
    const total = st.outcomeCumulative[st.outcomeCumulative.length - 1] ?? 0;
    st.outcomes.forEach((o, oi) => {
      const share = (st.outcomeCumulative[oi]! - (oi === 0 ? 0 : st.outcomeCumulative[oi - 1]!)) / total;
      const sum = o.weights.reduce((a, b) => a + b, 0);
      o.targets.forEach((t, i) => row.set(t, (row.get(t) ?? 0) + share * o.weights[i]! / sum));
    });
    return row;
  });
}

/** Strongly connected components of the transient states, sources first (iterative Tarjan). */
function components(n: number, terminal: number, succ: ReadonlyArray<readonly number[]>): number[][] {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const out: number[][] = [];
  let next = 0;
  for (let root = 0; root < n; root++) {
    if (root === terminal || index[root] !== -1) continue;
    const work: Array<[number, number]> = [[root, 0]];
    index[root] = low[root] = next++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const [v, i] = frame;
      const s = succ[v]!;
      if (i < s.length) {
        frame[1]++;
        const w = s[i]!;
        if (w === terminal) continue;
        if (index[w] === -1) {
          index[w] = low[w] = next++;
          stack.push(w);
          onStack[w] = 1;
          work.push([w, 0]);
        } else if (onStack[w] === 1 && index[w]! < low[v]!) low[v] = index[w]!;
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const u = work[work.length - 1]![0];
        if (low[v]! < low[u]!) low[u] = low[v]!;
      }
      if (low[v] === index[v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp.push(w);
        } while (w !== v);
        out.push(comp);
      }
    }
  }
  return out.reverse(); // Tarjan emits sinks first
}

/** Inverse of the m x m matrix a (row-major) by Gauss-Jordan with partial pivoting. */
function invert(a: Float64Array, m: number): Float64Array {
  const inv = new Float64Array(m * m);
  for (let i = 0; i < m; i++) inv[i * m + i] = 1;
  for (let c = 0; c < m; c++) {
    let p = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(a[r * m + c]!) > Math.abs(a[p * m + c]!)) p = r;
    if (p !== c) {
      for (let k = 0; k < m; k++) {
        let t = a[c * m + k]!; a[c * m + k] = a[p * m + k]!; a[p * m + k] = t;
        t = inv[c * m + k]!; inv[c * m + k] = inv[p * m + k]!; inv[p * m + k] = t;
      }
    }
    const pivot = a[c * m + c]!;
    for (let k = 0; k < m; k++) { a[c * m + k]! /= pivot; inv[c * m + k]! /= pivot; }
    for (let r = 0; r < m; r++) {
      if (r === c) continue;
      const f = a[r * m + c]!;
      if (f === 0) continue;
      for (let k = 0; k < m; k++) { a[r * m + k]! -= f * a[c * m + k]!; inv[r * m + k]! -= f * inv[c * m + k]!; }
    }
  }
  return inv;
}

function percentileOf(cumulative: (k: number) => number, maxLen: number, q: number): number {
  for (let k = 1; k <= maxLen; k++) if (cumulative(k) >= q - 1e-12) return k;
  return maxLen;
}

/** Exact statistics, or the reason they would exceed the work budget. */
function exactStatistics(domain: CompiledDomain): DomainStatistics | string {
  const chain = domain.chain;
  const n = chain.states.length;
  const T = chain.terminal;
  const rows = transitionRows(chain);
  const edges = rows.reduce((a, r) => a + r.size, 0);

  // Uncapped expected visits and visit probabilities, component by component.
  const succ = rows.map((r) => [...r.keys()]);
  const comps = components(n, T, succ);
  const work = comps.reduce((a, c) => a + (c.length > 1 ? c.length ** 3 : 1), 0);
  if (work > STATISTICS_LIMITS.denseSolve) return `the chain's cycles are too large to solve exactly (${work.toExponential(1)} operations; budget ${STATISTICS_LIMITS.denseSolve.toExponential(0)})`;
  const inflow = new Float64Array(n);
  inflow[chain.start] = 1;
  const v = new Float64Array(n);
  const reach = new Float64Array(n);
  const where = new Int32Array(n).fill(-1);
  for (const comp of comps) {
    const m = comp.length;
    comp.forEach((s, i) => (where[s] = i));
    const a = new Float64Array(m * m);
    for (let i = 0; i < m; i++) a[i * m + i] = 1;
    comp.forEach((s, i) => {
      for (const [t, p] of rows[s]!) if (t !== T && where[t]! >= 0 && comp[where[t]!] === t) a[i * m + where[t]!]! -= p;
    });
    const inv = invert(a, m);
    comp.forEach((s, j) => {
      let x = 0;
      for (let i = 0; i < m; i++) x += inflow[comp[i]!]! * inv[i * m + j]!;
      v[s] = x;
      reach[s] = x / inv[j * m + j]!;
    });
    for (const s of comp) {
      for (const [t, p] of rows[s]!) if (t !== T && !(where[t]! >= 0 && comp[where[t]!] === t)) inflow[t]! += v[s]! * p;
    }
    for (const s of comp) where[s] = -1;
  }
  let uncapped = 1;
  for (let i = 0; i < n; i++) if (i !== T) uncapped += v[i]!;

  // Capped: propagate the distribution event by event (step 1 = the start event).
  const toTerminal = rows.map((r) => r.get(T) ?? 0);
  let dist = new Float64Array(n);
  dist[chain.start] = 1;
  const visits = new Float64Array(n);
  const lengthP: number[] = []; // lengthP[k] = P(session has k events)
  let expected = 1;
  let capProbability = 0;
  let spent = 0;
  for (let step = 1; step <= chain.maxSteps - 1; step++) {
    let alive = 0;
    for (let i = 0; i < n; i++) { visits[i]! += dist[i]!; alive += dist[i]!; }
    expected += alive;
    if (alive < 1e-13) break;
    if (step === chain.maxSteps - 1) {
      lengthP[step + 1] = (lengthP[step + 1] ?? 0) + alive;
      capProbability = alive;
      break;
    }
    spent += n + edges;
    if (spent > STATISTICS_LIMITS.propagation) return `sessions are too long to propagate exactly (still ${(alive * 100).toFixed(2)}% alive after ${step} events of max_steps ${chain.maxSteps})`;
    let ended = 0;
    const nd = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = dist[i]!;
      if (p === 0) continue;
      ended += p * toTerminal[i]!;
      for (const [j, q] of rows[i]!) if (j !== T) nd[j]! += p * q;
    }
    lengthP[step + 1] = ended;
    dist = nd;
  }
  visits[T] = 1;
  reach[T] = 1;
  reach[chain.start] = 1;
  let cum = 0;
  const cumulative: number[] = [];
  let maxLen = 2;
  for (let k = 0; k < lengthP.length; k++) {
    cum += lengthP[k] ?? 0;
    cumulative[k] = cum;
    if ((lengthP[k] ?? 0) > 0) maxLen = k;
  }
  const cdf = (k: number) => cumulative[Math.min(k, cumulative.length - 1)] ?? 0;
  return {
    domain: domain.name,
    method: 'exact',
    reasons: [],
    ...outline(domain),
    expectedEventsPerSession: { value: expected },
    uncappedExpectedEventsPerSession: uncapped,
    capProbability: { value: capProbability },
    length: { p50: percentileOf(cdf, maxLen, 0.5), p90: percentileOf(cdf, maxLen, 0.9), p99: percentileOf(cdf, maxLen, 0.99), max: maxLen },
    eventTypes: chain.states.map((st) => ({
      name: st.name,
      expectedVisits: { value: visits[st.index]! },
      visitProbability: { value: Math.min(1, reach[st.index]!) },
      share: visits[st.index]! / expected,
      ...outcomesOf(domain, st.index, visits[st.index]!),
    })),
  };
}

function outline(domain: CompiledDomain) {
  const c = domain.chain;
  return { states: c.states.length, start: c.states[c.start]!.name, terminal: c.states[c.terminal]!.name, maxSteps: c.maxSteps };
}

function outcomesOf(domain: CompiledDomain, s: number, visits: number): { outcomes?: Record<string, number> } {
  const st = domain.chain.states[s]!;
  if (st.outcomes.length < 2 && (st.outcomes[0]?.name ?? '') === '') return {};
  const total = st.outcomeCumulative[st.outcomeCumulative.length - 1]!;
  const out: Record<string, number> = Object.create(null);
  st.outcomes.forEach((o, i) => {
    const share = (st.outcomeCumulative[i]! - (i === 0 ? 0 : st.outcomeCumulative[i - 1]!)) / total;
    Object.defineProperty(out, o.name, { value: visits * share, enumerable: true, writable: true, configurable: true });
  });
  return { outcomes: { ...out } };
}

const Z95 = 1.959963984540054;

function meanEstimate(sum: number, sumSq: number, n: number): Estimate {
  const mean = sum / n;
  const variance = n > 1 ? Math.max(0, (sumSq - n * mean * mean) / (n - 1)) : 0;
  const half = Z95 * Math.sqrt(variance / n);
  return { value: mean, ci95: [Math.max(0, mean - half), mean + half] };
}

/** Wilson score interval of a proportion. */
function proportionEstimate(hits: number, n: number): Estimate {
  const p = hits / n;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { value: p, ci95: [Math.max(0, centre - half), Math.min(1, centre + half)] };
}

/** Counts of simulated sessions: what `--check` probes and `--stats` estimates from. */
export interface SimulatedCounts {
  readonly sessions: number;
  readonly events: number;
  /** Per event type: events, sum of squares of per-session counts, sessions with one or more. */
  readonly visits: Float64Array;
  readonly visitsSq: Float64Array;
  readonly reached: Float64Array;
  readonly lengths: Uint32Array;
}

/**
 * Simulates sessions 0..n-1 of partition "stats" (the generator's own simulator, guards and
 * effects included), stopping early when `maxEvents` is spent.
 */
export function simulateDomainSessions(domain: CompiledDomain, options: { sessions: number; seed: Seed; params?: Record<string, unknown>; maxEvents?: number }): SimulatedCounts {
  const config = resolveGeneratorConfig({ seed: options.seed, domain, ...(options.params !== undefined ? { params: options.params } : {}) });
  const sim = new DomainSimulator(config);
  const n = domain.chain.states.length;
  const index = domain.chain.stateIndex;
  const typeField = domain.envelope.find((c) => c.field === 'event_type')!.name;
  const visits = new Float64Array(n);
  const visitsSq = new Float64Array(n);
  const reached = new Float64Array(n);
  const lengths: number[] = [];
  const count = new Uint32Array(n);
  const touched: number[] = [];
  const maxEvents = options.maxEvents ?? STATISTICS_LIMITS.defaultMaxEvents;
  let events = 0;
  for (let k = 0; k < options.sessions && events < maxEvents; k++) {
    const session = sim.simulate('stats', k, 1);
    for (const e of session) {
      const i = index.get(e[typeField] as string)!;
      if (count[i]!++ === 0) touched.push(i);
    }
    for (const i of touched) {
      const c = count[i]!;
      visits[i]! += c;
      visitsSq[i]! += c * c;
      reached[i]!++;
      count[i] = 0;
    }
    touched.length = 0;
    events += session.length;
    lengths.push(session.length);
  }
  return { sessions: lengths.length, events, visits, visitsSq, reached, lengths: Uint32Array.from(lengths) };
}

function simulatedStatistics(domain: CompiledDomain, reasons: string[], options: DomainStatisticsOptions): DomainStatistics {
  const seed = options.seed ?? 'mockjutsu-stats';
  const c = simulateDomainSessions(domain, { sessions: options.sessions ?? STATISTICS_LIMITS.defaultSessions, seed, params: options.params, maxEvents: options.maxEvents });
  const N = c.sessions;
  let sumSq = 0;
  let capped = 0;
  for (const L of c.lengths) { sumSq += L * L; if (L >= domain.chain.maxSteps) capped++; }
  const sorted = Uint32Array.from(c.lengths).sort();
  const q = (p: number) => sorted[Math.min(N - 1, Math.ceil(p * N) - 1)]!;
  const expected = meanEstimate(c.events, sumSq, N);
  return {
    domain: domain.name,
    method: 'simulated',
    reasons: N < (options.sessions ?? STATISTICS_LIMITS.defaultSessions) ? [...reasons, `stopped after ${N} sessions: the simulation's budget is ${options.maxEvents ?? STATISTICS_LIMITS.defaultMaxEvents} events`] : reasons,
    sessions: N,
    seed: String(seed),
    ...outline(domain),
    expectedEventsPerSession: expected,
    capProbability: proportionEstimate(capped, N),
    length: { p50: q(0.5), p90: q(0.9), p99: q(0.99), max: sorted[N - 1]! },
    eventTypes: domain.chain.states.map((st) => {
      const visits = meanEstimate(c.visits[st.index]!, c.visitsSq[st.index]!, N);
      return {
        name: st.name,
        expectedVisits: visits,
        visitProbability: proportionEstimate(c.reached[st.index]!, N),
        share: c.visits[st.index]! / c.events,
        ...outcomesOf(domain, st.index, visits.value),
      };
    }),
  };
}

/** Statistics of a domain's sessions: exact when the chain alone decides, else simulated (see the module note). */
export function domainStatistics(input: DomainInput, options: DomainStatisticsOptions = {}): DomainStatistics {
  const domain = resolveDomain(input);
  const method = options.method ?? 'auto';
  if (method !== 'auto' && method !== 'exact' && method !== 'simulated') throw new MockjutsuError('INVALID_OPTION', `method is ${describeValue(method)}; allowed: "auto", "exact" or "simulated"`, 'method');
  if (options.sessions !== undefined && (!Number.isInteger(options.sessions) || options.sessions < 1 || options.sessions > STATISTICS_LIMITS.maxSessions)) {
    throw new MockjutsuError('INVALID_OPTION', `sessions is ${describeValue(options.sessions)}; allowed: an integer from 1 to ${STATISTICS_LIMITS.maxSessions}`, 'sessions');
  }
  if (options.maxEvents !== undefined && (!Number.isInteger(options.maxEvents) || options.maxEvents < 1)) throw new MockjutsuError('INVALID_OPTION', `maxEvents is ${describeValue(options.maxEvents)}; allowed: an integer >= 1`, 'maxEvents');
  const reasons = method === 'simulated' ? ['simulation was asked for'] : variableDependence(domain);
  if (reasons.length === 0) {
    const exact = exactStatistics(domain);
    if (typeof exact !== 'string') return exact;
    reasons.push(exact);
  }
  if (method === 'exact') throw new MockjutsuError('INVALID_OPTION', `domain ${domain.name}: exact statistics are not available: ${reasons.join('; ')}`, 'method');
  return simulatedStatistics(domain, reasons, options);
}
