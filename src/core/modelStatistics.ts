import { allowedTransitions, applyEffect, compileModel, guardMask, type MarkovModel, type MarkovModelDefinition } from './markovModel.js';

/** Exact statistics of a model, as the simulator walks it (guards and step cap included). */
export interface ModelStatistics {
  /** Expected events per session, step cap applied (finite-horizon propagation). */
  expectedEventsPerSession: number;
  /** Expected events per state per session, step cap applied. */
  expectedVisits: Record<string, number>;
  /** Expected visits / expected events: each state's share of all events. */
  visitFrequencies: Record<string, number>;
  /** Probability that a session contains at least one event of each state (ignores the cap). */
  reachProbability: Record<string, number>;
  /** Probability that a session is cut by max_steps. */
  capProbability: number;
  /** The same expectation without the cap, from the absorbing chain's fundamental matrix N = (I - Q)^-1. */
  uncappedExpectedEventsPerSession: number;
  /** Number of transient states of the expanded chain (state x outcome x cart lines x open order). */
  expandedStates: number;
}

/** A state of the expanded chain: which model state, which outcome, and the session variables. */
interface Node { state: number; outcome: number; lines: number; order: boolean; }

/**
 * Expands the model into the chain the simulator really follows: guards depend on the cart
 * and the open order, so those are part of the state. The expansion is finite because carts
 * hold at most `max_cart_lines` lines.
 */
function expand(model: MarkovModel): { nodes: Node[]; start: number[]; startP: number[]; next: Array<Array<[number, number]>>; terminalP: number[] } {
  const nodes: Node[] = [];
  const index = new Map<string, number>();
  const keyOf = (n: Node) => `${n.state}/${n.outcome}/${n.lines}/${n.order ? 1 : 0}`;
  const intern = (n: Node): number => {
    const k = keyOf(n);
    let i = index.get(k);
    if (i === undefined) {
      i = nodes.length;
      nodes.push(n);
      index.set(k, i);
    }
    return i;
  };
  // Entering state s: draw its outcome, apply its effect.
  const enter = (s: number, lines: number, order: boolean): Array<[Node, number]> => {
    const st = model.states[s]!;
    if (st.outcomes.length === 0) return [[{ state: s, outcome: 0, lines, order }, 1]];
    const total = st.outcomeCumulative[st.outcomeCumulative.length - 1]!;
    return st.outcomes.map((o, oi) => {
      const [l, ord] = applyEffect(model, st, o.name, lines, order);
      const w = (st.outcomeCumulative[oi]! - (oi === 0 ? 0 : st.outcomeCumulative[oi - 1]!)) / total;
      return [{ state: s, outcome: oi, lines: l, order: ord }, w];
    });
  };
  const startEntries = enter(model.start, 0, false);
  const start = startEntries.map(([n]) => intern(n));
  const startP = startEntries.map(([, p]) => p);
  const next: Array<Array<[number, number]>> = [];
  const terminalP: number[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    const st = model.states[n.state]!;
    const t = allowedTransitions(model, st.outcomes[n.outcome]!, guardMask(n.lines, n.order));
    const total = t.cumulative[t.cumulative.length - 1]!;
    const row: Array<[number, number]> = [];
    let toTerminal = 0;
    t.targets.forEach((target, j) => {
      const p = (t.cumulative[j]! - (j === 0 ? 0 : t.cumulative[j - 1]!)) / total;
      if (target === model.terminal) {
        toTerminal += p;
        return;
      }
      for (const [m, q] of enter(target, n.lines, n.order)) row.push([intern(m), p * q]);
    });
    next.push(row);
    terminalP.push(toTerminal);
  }
  return { nodes, start, startP, next, terminalP };
}

/** The n x n identity matrix. */
function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => {
    const row = new Array<number>(n).fill(0);
    row[i] = 1;
    return row;
  });
}

/** Solves A x = b in place by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    [b[c], b[p]] = [b[p]!, b[c]!];
    const pivot = a[c]![c]!;
    for (let r = c + 1; r < n; r++) {
      const f = a[r]![c]! / pivot;
      if (f === 0) continue;
      for (let k = c; k < n; k++) a[r]![k]! -= f * a[c]![k]!;
      b[r]! -= f * b[c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let k = r + 1; k < n; k++) s -= a[r]![k]! * x[k]!;
    x[r] = s / a[r]![r]!;
  }
  return x;
}

/**
 * Exact statistics of a model. Expected visits come from the fundamental matrix of the
 * expanded absorbing chain (row of the start distribution: solve (I - Q)^T v = s) and, with
 * the step cap, from propagating the state distribution step by step.
 */
export function modelStatistics(input: MarkovModelDefinition | MarkovModel): ModelStatistics {
  const model = compileModel(input);
  const { nodes, start, startP, next, terminalP } = expand(model);
  const n = nodes.length;
  const names = model.states.map((s) => s.name);
  const terminalName = names[model.terminal]!;

  // Uncapped: v = s (I - Q)^-1, i.e. (I - Q)^T v^T = s^T.
  const a = identity(n);
  for (let i = 0; i < n; i++) for (const [j, p] of next[i]!) a[j]![i]! -= p;
  const s = new Array<number>(n).fill(0);
  start.forEach((i, k) => (s[i]! += startP[k]!));
  const v = solve(a, s.slice());
  const uncapped = v.reduce((x, y) => x + y, 0) + 1;

  // Capped: distribution after each event; at event max_steps-1 everything alive must log out.
  const visits = new Array<number>(n).fill(0);
  let dist = s.slice();
  let expected = 1; // the terminal event
  let capProbability = 0;
  for (let step = 1; step <= model.maxSteps - 1; step++) {
    let alive = 0;
    for (let i = 0; i < n; i++) {
      visits[i]! += dist[i]!;
      alive += dist[i]!;
    }
    expected += alive;
    if (alive < 1e-15) break;
    if (step === model.maxSteps - 1) {
      // Those alive here would have gone on but are sent to logout: cut by the cap.
      capProbability = dist.reduce((acc, p, i) => acc + p * (1 - terminalP[i]!), 0);
      break;
    }
    const nd = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      const p = dist[i]!;
      if (p === 0) continue;
      for (const [j, q] of next[i]!) nd[j]! += p * q;
    }
    dist = nd;
  }

  const expectedVisits: Record<string, number> = {};
  for (const name of names) expectedVisits[name] = 0;
  nodes.forEach((node, i) => (expectedVisits[names[node.state]!]! += visits[i]!));
  expectedVisits[terminalName] = 1;
  const visitFrequencies: Record<string, number> = {};
  for (const name of names) visitFrequencies[name] = expectedVisits[name]! / expected;

  // Probability of ever visiting a state: make its nodes absorbing and solve for hitting.
  const reachProbability: Record<string, number> = {};
  model.states.forEach((st, si) => {
    if (si === model.terminal) return void (reachProbability[names[si]!] = 1);
    if (si === model.start) return void (reachProbability[names[si]!] = 1);
    const target = nodes.map((node) => node.state === si);
    // h_i = P(hit from i) = sum_j P(i,j) (target_j ? 1 : h_j); solve (I - Q') h = b.
    const m = identity(n);
    const b = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      if (target[i]) continue;
      for (const [j, p] of next[i]!) {
        if (target[j]) b[i]! += p;
        else m[i]![j]! -= p;
      }
    }
    const h = solve(m, b);
    reachProbability[names[si]!] = start.reduce((acc, i, k) => acc + startP[k]! * (target[i] ? 1 : h[i]!), 0);
  });

  return {
    expectedEventsPerSession: expected,
    expectedVisits,
    visitFrequencies,
    reachProbability,
    capProbability,
    uncappedExpectedEventsPerSession: uncapped,
    expandedStates: n,
  };
}
