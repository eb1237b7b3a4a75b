import { describeValue } from '../mockjutsuError.js';
import type { ChainDefinition } from './domainDefinition.js';
import { DOMAIN_LIMITS, checkCount, checkKeys, checkName, expectRecord, fail, isRecord } from './domainChecks.js';
import { didYouMean } from './nearestName.js';

/** One outcome of a compiled state: targets and their weights. */
export interface ChainOutcome {
  name: string;
  targets: number[];
  weights: number[];
}

export interface ChainState {
  index: number;
  name: string;
  thinkMedianMs: number;
  thinkSigma: number;
  outcomes: ChainOutcome[];
  outcomeCumulative: number[];
}

/** A validated chain, with indices ready for the simulator and the statistics. */
export interface Chain {
  readonly states: readonly ChainState[];
  readonly stateIndex: ReadonlyMap<string, number>;
  readonly start: number;
  readonly terminal: number;
  readonly maxSteps: number;
}

const DEFAULT_THINK = { median_ms: 5000, sigma: 0.6 };

function positiveWeight(path: string, w: unknown): number {
  if (typeof w !== 'number' || !Number.isFinite(w) || w <= 0) fail(path, `weight is ${describeValue(w)}; weights must be finite numbers > 0`);
  return w;
}

/**
 * Validates and compiles a chain. Work is linear in states + transitions (a huge chain is
 * refused by the limits first), so a hostile file cannot hang the CLI or the sidecar.
 */
export function compileChain(input: unknown, path = 'chain'): Chain {
  const def = expectRecord(path, input, 'an object with start, terminal and states') as unknown as ChainDefinition;
  checkKeys(path, def as unknown as Record<string, unknown>, ['start', 'terminal', 'max_steps', 'states']);
  const statesDef = expectRecord(`${path}.states`, def.states, 'an object mapping each state name to { transitions } (at least the start and terminal states)');
  const names = Object.keys(statesDef);
  if (names.length === 0) fail(`${path}.states`, 'expected at least the start and terminal states');
  checkCount(`${path}.states`, names.length, DOMAIN_LIMITS.states, 'states');
  const stateIndex = new Map<string, number>();
  names.forEach((n, i) => {
    checkName(`${path}.states.${n}`, n, 'state name');
    stateIndex.set(n, i);
  });
  const knownList = (): string => names.length <= 20 ? names.map((n) => JSON.stringify(n)).join(', ') : names.slice(0, 20).map((n) => JSON.stringify(n)).join(', ') + `, ... (${names.length} in all)`;
  for (const key of ['start', 'terminal'] as const) {
    const v = def[key];
    if (v === undefined || v === null || v === '') fail(`${path}.${key}`, `missing ${key} state; name one of the states: ${knownList()}`);
    if (typeof v !== 'string' || !stateIndex.has(v)) fail(`${path}.${key}`, `unknown state ${describeValue(v)}; known states: ${knownList()}`);
  }
  if (def.start === def.terminal) fail(`${path}.start`, `start and terminal are both ${JSON.stringify(def.start)}; a session needs a start state distinct from its terminal state`);
  const maxSteps = def.max_steps ?? 200;
  if (!Number.isInteger(maxSteps) || maxSteps < 2 || maxSteps > 100000) fail(`${path}.max_steps`, `is ${describeValue(def.max_steps)}; allowed: an integer from 2 to 100000`);
  const start = stateIndex.get(def.start)!;
  const terminal = stateIndex.get(def.terminal)!;
  let transitionCount = 0;

  const states: ChainState[] = names.map((name, index) => {
    const spath = `${path}.states.${name}`;
    const sd = statesDef[name];
    if (!isRecord(sd)) fail(spath, `expected an object with transitions or outcomes, got ${describeValue(sd)}`);
    checkKeys(spath, sd, ['think_time', 'transitions', 'outcomes']);
    const think = (sd.think_time ?? DEFAULT_THINK) as Record<string, unknown>;
    if (!isRecord(think)) fail(`${spath}.think_time`, `expected { median_ms, sigma }, got ${describeValue(think)}`);
    checkKeys(`${spath}.think_time`, think, ['median_ms', 'sigma']);
    if (typeof think.median_ms !== 'number' || !Number.isFinite(think.median_ms) || think.median_ms <= 0) fail(`${spath}.think_time.median_ms`, `is ${describeValue(think.median_ms)}; allowed: a number of milliseconds > 0`);
    if (typeof think.sigma !== 'number' || !Number.isFinite(think.sigma) || think.sigma < 0 || think.sigma > 5) fail(`${spath}.think_time.sigma`, `is ${describeValue(think.sigma)}; allowed: a number from 0 to 5`);
    const hasTransitions = sd.transitions !== undefined && (!isRecord(sd.transitions) || Object.keys(sd.transitions).length > 0);
    const hasOutcomes = sd.outcomes !== undefined;
    if (index === terminal) {
      if (hasTransitions || hasOutcomes) fail(`${spath}.transitions`, `the terminal state ${JSON.stringify(name)} must have no transitions (a session ends there)`);
      return { index, name, thinkMedianMs: think.median_ms, thinkSigma: think.sigma, outcomes: [], outcomeCumulative: [] };
    }
    if (hasTransitions && hasOutcomes) fail(spath, 'has both transitions and outcomes; give one of them');
    const outcomeDefs: Array<[string, number, unknown, string]> = [];
    if (hasOutcomes) {
      const od = expectRecord(`${spath}.outcomes`, sd.outcomes, 'an object mapping outcome names to { weight, transitions }');
      const onames = Object.keys(od);
      if (onames.length === 0) fail(`${spath}.outcomes`, 'expected at least one outcome');
      checkCount(`${spath}.outcomes`, onames.length, DOMAIN_LIMITS.outcomesPerState, 'outcomes');
      for (const oname of onames) {
        const opath = `${spath}.outcomes.${oname}`;
        checkName(opath, oname, 'outcome name');
        const o = expectRecord(opath, od[oname], '{ weight, transitions }');
        checkKeys(opath, o, ['weight', 'transitions']);
        outcomeDefs.push([oname, positiveWeight(`${opath}.weight`, o.weight), o.transitions, `${opath}.transitions`]);
      }
    } else {
      if (!hasTransitions) fail(`${spath}.transitions`, `state ${JSON.stringify(name)} has no transitions; every state but the terminal ${JSON.stringify(def.terminal)} needs at least one`);
      outcomeDefs.push(['', 1, sd.transitions, `${spath}.transitions`]);
    }
    const outcomes: ChainOutcome[] = outcomeDefs.map(([oname, , transitions, tpath]) => {
      if (!isRecord(transitions) || Object.keys(transitions).length === 0) fail(tpath, 'expected an object mapping next states to weights, with at least one entry');
      const tnames = Object.keys(transitions);
      checkCount(tpath, tnames.length, DOMAIN_LIMITS.transitionsPerState, 'transitions');
      transitionCount += tnames.length;
      checkCount(`${path}.states`, transitionCount, DOMAIN_LIMITS.transitions, 'transitions in all');
      const targets: number[] = [];
      const weights: number[] = [];
      for (const to of tnames) {
        const t = stateIndex.get(to);
        if (t === undefined) {
          fail(`${tpath}.${to}`, `unknown state ${JSON.stringify(to)}${didYouMean(to, names)}; known states: ${knownList()}`);
        }
        if (t === start) fail(`${tpath}.${to}`, `transitions back into the start state ${JSON.stringify(def.start)} are not allowed: a session has exactly one start event`);
        targets.push(t);
        weights.push(positiveWeight(`${tpath}.${to}`, transitions[to]));
      }
      return { name: oname, targets, weights };
    });
    const outcomeCumulative: number[] = [];
    let acc = 0;
    for (const [, w] of outcomeDefs) outcomeCumulative.push((acc += w));
    return { index, name, thinkMedianMs: think.median_ms, thinkSigma: think.sigma, outcomes, outcomeCumulative };
  });

  checkReachability(path, states, start, terminal);
  return Object.freeze({ states, stateIndex, start, terminal, maxSteps });
}


/**
 * Every state must be reachable from the start and able to end: some path of transitions (in any
 * of its outcomes) leads on to the terminal. Then, the weights being positive, every session ends
 * with probability 1 (an absorbing chain): an outcome that loops back is drawn again later. Both
 * walks are linear in the transitions.
 */
function checkReachability(path: string, states: readonly ChainState[], start: number, terminal: number): void {
  const n = states.length;
  const reached = new Uint8Array(n);
  const queue: number[] = [start];
  reached[start] = 1;
  while (queue.length > 0) {
    const s = states[queue.pop()!]!;
    for (const o of s.outcomes) for (const t of o.targets) if (reached[t] === 0) { reached[t] = 1; queue.push(t); }
  }
  for (const s of states) {
    if (reached[s.index] === 0) fail(`${path}.states.${s.name}`, `state ${JSON.stringify(s.name)} cannot be reached from the start state ${JSON.stringify(states[start]!.name)}; add a transition into it or remove it`);
  }
  // Reverse edges: target -> the states that have it in some outcome.
  const into: number[][] = Array.from({ length: n }, () => []);
  for (const s of states) for (const o of s.outcomes) for (const t of o.targets) into[t]!.push(s.index);
  const canEnd = new Uint8Array(n);
  canEnd[terminal] = 1;
  const work = [terminal];
  while (work.length > 0) {
    for (const s of into[work.pop()!]!) if (canEnd[s] === 0) { canEnd[s] = 1; work.push(s); }
  }
  for (const s of states) {
    if (canEnd[s.index] === 0) {
      fail(`${path}.states.${s.name}`, `state ${JSON.stringify(s.name)} has no way to the terminal state ${JSON.stringify(states[terminal]!.name)}; add a transition that leads there`);
    }
  }
}

