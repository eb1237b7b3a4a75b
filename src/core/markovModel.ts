import { MockjutsuError, describeValue } from './mockjutsuError.js';

/** Log-normal think time after an event of a state: `median_ms * exp(sigma * N(0,1))`. */
export interface ThinkTimeDefinition {
  median_ms: number;
  sigma: number;
}

/** One outcome of a state (e.g. a payment that succeeds or fails), with its own way out. */
export interface OutcomeDefinition {
  weight: number;
  transitions: Record<string, number>;
}

/** A state of the chain; its name is the `event_type` it emits. */
export interface StateDefinition {
  think_time?: ThinkTimeDefinition;
  /** Next state => positive weight. */
  transitions?: Record<string, number>;
  /** Alternative to `transitions`: the state draws an outcome, each with its own transitions. */
  outcomes?: Record<string, OutcomeDefinition>;
}

/** A Markov model as data: load it from JSON or pass the object. */
export interface MarkovModelDefinition {
  name?: string;
  start: string;
  terminal: string;
  /** Most events a session may have, login and logout included (default 200). */
  max_steps?: number;
  /** Most distinct lines a cart holds; further adds raise a line's quantity (default 8). */
  max_cart_lines?: number;
  /** `aggregate_type` of the sessions' streams (default "ShoppingSession"). */
  aggregate_type?: string;
  states: Record<string, StateDefinition>;
}

/** Effects a state's event has on the session's cart/order, and what it needs to happen. */
export type StateRole =
  | 'login' | 'page_view' | 'search' | 'add_to_cart' | 'remove_from_cart' | 'checkout' | 'payment' | 'logout' | 'custom';

const BUILT_IN_ROLES = new Set<string>(['login', 'page_view', 'search', 'add_to_cart', 'remove_from_cart', 'checkout', 'payment', 'logout']);

/** Guards: a transition into a state with a requirement is skipped while it is unmet. */
export const REQUIRES_CART = 1;
export const REQUIRES_ORDER = 2;

export interface CompiledOutcome {
  name: string;
  /** Target state indices, and cumulative weights per guard mask (index: mask of met requirements). */
  targets: number[];
  weights: number[];
}

export interface CompiledState {
  index: number;
  name: string;
  role: StateRole;
  requires: number;
  thinkMedianMs: number;
  thinkSigma: number;
  outcomes: CompiledOutcome[];
  outcomeCumulative: number[];
}

/** A validated model, with indices ready for the simulator and the statistics. */
export interface MarkovModel {
  readonly definition: MarkovModelDefinition;
  readonly name: string;
  readonly states: readonly CompiledState[];
  readonly start: number;
  readonly terminal: number;
  readonly maxSteps: number;
  readonly maxCartLines: number;
  readonly aggregateType: string;
  readonly stateIndex: ReadonlyMap<string, number>;
}

const NAME_RE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const DEFAULT_THINK: ThinkTimeDefinition = { median_ms: 5000, sigma: 0.6 };

function fail(path: string, message: string): never {
  throw new MockjutsuError('INVALID_MODEL', `${path}: ${message}`, path);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function positiveWeight(path: string, w: unknown): number {
  if (typeof w !== 'number' || !Number.isFinite(w) || w <= 0) {
    fail(path, `weight is ${describeValue(w)}; weights must be finite numbers > 0`);
  }
  return w;
}

function requirementOf(role: StateRole): number {
  if (role === 'remove_from_cart' || role === 'checkout') return REQUIRES_CART;
  if (role === 'payment') return REQUIRES_ORDER;
  return 0;
}

/** Parses JSON text into a validated model; errors name the bad field. */
export function parseModel(json: string): MarkovModel {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new MockjutsuError('INVALID_MODEL', `model is not valid JSON: ${(e as Error).message}`, 'model');
  }
  return compileModel(raw as MarkovModelDefinition);
}

/** Validates a model definition and compiles it. Accepts an already compiled model as is. */
export function compileModel(input: MarkovModelDefinition | MarkovModel): MarkovModel {
  if (isObject(input) && 'stateIndex' in input && 'definition' in input) return input as MarkovModel;
  if (!isObject(input)) fail('model', `expected an object with start, terminal and states, got ${describeValue(input)}`);
  const def = input as MarkovModelDefinition;
  if (!isObject(def.states) || Object.keys(def.states).length === 0) {
    fail('model.states', 'expected an object mapping each state name to { transitions } (at least the start and terminal states)');
  }
  const names = Object.keys(def.states);
  const known = names.map((n) => JSON.stringify(n)).join(', ');
  for (const n of names) {
    if (!NAME_RE.test(n)) fail(`model.states.${n}`, `state name ${JSON.stringify(n)} is not allowed; use 1-64 letters, digits, "_", "." or "-", starting with a letter`);
  }
  if (def.start === undefined || def.start === null || def.start === '') fail('model.start', `missing start state; name one of the states: ${known}`);
  if (typeof def.start !== 'string' || !(def.start in def.states)) fail('model.start', `unknown state ${describeValue(def.start)}; known states: ${known}`);
  if (def.terminal === undefined || def.terminal === null || def.terminal === '') fail('model.terminal', `missing terminal state; name one of the states: ${known}`);
  if (typeof def.terminal !== 'string' || !(def.terminal in def.states)) fail('model.terminal', `unknown state ${describeValue(def.terminal)}; known states: ${known}`);
  if (def.start === def.terminal) fail('model.start', `start and terminal are both ${JSON.stringify(def.start)}; a session needs a start state distinct from its terminal state`);
  const maxSteps = def.max_steps ?? 200;
  if (!Number.isInteger(maxSteps) || maxSteps < 2 || maxSteps > 100000) fail('model.max_steps', `is ${describeValue(def.max_steps)}; allowed: an integer from 2 to 100000`);
  const maxCartLines = def.max_cart_lines ?? 8;
  if (!Number.isInteger(maxCartLines) || maxCartLines < 1 || maxCartLines > 50) fail('model.max_cart_lines', `is ${describeValue(def.max_cart_lines)}; allowed: an integer from 1 to 50`);
  const aggregateType = def.aggregate_type ?? 'ShoppingSession';
  if (typeof aggregateType !== 'string' || !NAME_RE.test(aggregateType)) fail('model.aggregate_type', `is ${describeValue(def.aggregate_type)}; allowed: 1-64 letters, digits, "_", "." or "-", starting with a letter`);

  const stateIndex = new Map<string, number>();
  names.forEach((n, i) => stateIndex.set(n, i));
  const terminal = stateIndex.get(def.terminal)!;

  const states: CompiledState[] = names.map((name, index) => {
    const path = `model.states.${name}`;
    const sd = def.states[name];
    if (!isObject(sd)) fail(path, `expected an object with transitions or outcomes, got ${describeValue(sd)}`);
    const role: StateRole = BUILT_IN_ROLES.has(name) ? (name as StateRole) : 'custom';
    const think = sd.think_time ?? DEFAULT_THINK;
    if (!isObject(think)) fail(`${path}.think_time`, `expected { median_ms, sigma }, got ${describeValue(think)}`);
    if (typeof think.median_ms !== 'number' || !Number.isFinite(think.median_ms) || think.median_ms <= 0) {
      fail(`${path}.think_time.median_ms`, `is ${describeValue(think.median_ms)}; allowed: a number of milliseconds > 0`);
    }
    if (typeof think.sigma !== 'number' || !Number.isFinite(think.sigma) || think.sigma < 0 || think.sigma > 5) {
      fail(`${path}.think_time.sigma`, `is ${describeValue(think.sigma)}; allowed: a number from 0 to 5`);
    }
    const isTerminal = index === terminal;
    const hasTransitions = sd.transitions !== undefined && (!isObject(sd.transitions) || Object.keys(sd.transitions).length > 0);
    const hasOutcomes = sd.outcomes !== undefined;
    if (isTerminal) {
      if (hasTransitions || hasOutcomes) fail(`${path}.transitions`, `the terminal state ${JSON.stringify(name)} must have no transitions (a session ends there)`);
      return { index, name, role, requires: requirementOf(role), thinkMedianMs: think.median_ms, thinkSigma: think.sigma, outcomes: [], outcomeCumulative: [] };
    }
    if (hasTransitions && hasOutcomes) fail(path, 'has both transitions and outcomes; give one of them');
    const outcomeDefs: Array<[string, number, unknown, string]> = [];
    if (hasOutcomes) {
      if (!isObject(sd.outcomes) || Object.keys(sd.outcomes).length === 0) fail(`${path}.outcomes`, 'expected an object mapping outcome names to { weight, transitions }');
      for (const [oname, od] of Object.entries(sd.outcomes)) {
        if (!NAME_RE.test(oname)) fail(`${path}.outcomes.${oname}`, `outcome name ${JSON.stringify(oname)} is not allowed; use letters, digits, "_", "." or "-"`);
        if (!isObject(od)) fail(`${path}.outcomes.${oname}`, `expected { weight, transitions }, got ${describeValue(od)}`);
        if (role === 'payment' && oname !== 'success' && oname !== 'failed') fail(`${path}.outcomes.${oname}`, `payment outcomes are its status; allowed: "success", "failed"`);
        outcomeDefs.push([oname, positiveWeight(`${path}.outcomes.${oname}.weight`, od.weight), od.transitions, `${path}.outcomes.${oname}.transitions`]);
      }
    } else {
      if (!hasTransitions) fail(`${path}.transitions`, `state ${JSON.stringify(name)} has no transitions; every state but the terminal ${JSON.stringify(def.terminal)} needs at least one`);
      outcomeDefs.push(['', 1, sd.transitions, `${path}.transitions`]);
    }
    const outcomes: CompiledOutcome[] = outcomeDefs.map(([oname, , transitions, tpath]) => {
      if (!isObject(transitions) || Object.keys(transitions).length === 0) fail(tpath, 'expected an object mapping next states to weights, with at least one entry');
      const targets: number[] = [];
      const weights: number[] = [];
      for (const [to, w] of Object.entries(transitions)) {
        const t = stateIndex.get(to);
        if (t === undefined) fail(`${tpath}.${to}`, `unknown state ${JSON.stringify(to)}; known states: ${known}`);
        if (t === stateIndex.get(def.start)) fail(`${tpath}.${to}`, `transitions back into the start state ${JSON.stringify(def.start)} are not allowed: a session has exactly one start event`);
        targets.push(t);
        weights.push(positiveWeight(`${tpath}.${to}`, w));
      }
      return { name: oname, targets, weights };
    });
    const outcomeCumulative: number[] = [];
    let acc = 0;
    for (const [, w] of outcomeDefs) outcomeCumulative.push((acc += w));
    return { index, name, role, requires: requirementOf(role), thinkMedianMs: think.median_ms, thinkSigma: think.sigma, outcomes, outcomeCumulative };
  });

  // Every state must be able to end the session: reverse reachability from the terminal.
  const canEnd = new Array<boolean>(states.length).fill(false);
  canEnd[terminal] = true;
  for (let changed = true; changed; ) {
    changed = false;
    for (const s of states) {
      if (canEnd[s.index]) continue;
      if (s.outcomes.every((o) => o.targets.some((t) => canEnd[t]))) {
        canEnd[s.index] = true;
        changed = true;
      }
    }
  }
  for (const s of states) {
    if (!canEnd[s.index]) {
      const which = s.outcomes.length > 1 ? ' (in every outcome)' : '';
      fail(`model.states.${s.name}`, `state ${JSON.stringify(s.name)} has no way to the terminal state ${JSON.stringify(def.terminal)}${which}; add a transition that leads there`);
    }
  }

  return Object.freeze({
    definition: def,
    name: typeof def.name === 'string' ? def.name : 'custom',
    states,
    start: stateIndex.get(def.start)!,
    terminal,
    maxSteps,
    maxCartLines,
    aggregateType,
    stateIndex,
  });
}

/** Session variables the guards look at, as a mask of met requirements. */
export function guardMask(cartLines: number, orderPending: boolean): number {
  return (cartLines > 0 ? REQUIRES_CART : 0) | (orderPending ? REQUIRES_ORDER : 0);
}

/**
 * Allowed targets and their cumulative weights from `outcome` given the met-requirements mask.
 * When every target is barred, the session leaves (terminal).
 */
export function allowedTransitions(model: MarkovModel, outcome: CompiledOutcome, mask: number): { targets: number[]; cumulative: number[] } {
  const targets: number[] = [];
  const cumulative: number[] = [];
  let acc = 0;
  for (let i = 0; i < outcome.targets.length; i++) {
    const t = outcome.targets[i]!;
    const req = model.states[t]!.requires;
    if ((req & mask) !== req) continue;
    targets.push(t);
    cumulative.push((acc += outcome.weights[i]!));
  }
  if (targets.length === 0) {
    targets.push(model.terminal);
    cumulative.push(1);
  }
  return { targets, cumulative };
}

/** Effect of entering state `s` (with outcome `o`) on (cartLines, orderPending). */
export function applyEffect(model: MarkovModel, s: CompiledState, outcomeName: string, cartLines: number, orderPending: boolean): [number, boolean] {
  switch (s.role) {
    case 'add_to_cart':
      return [Math.min(cartLines + 1, model.maxCartLines), false];
    case 'remove_from_cart':
      return [Math.max(cartLines - 1, 0), false];
    case 'checkout':
      return [cartLines, cartLines > 0];
    case 'payment':
      return outcomeName === 'failed' ? [cartLines, orderPending] : [0, false];
    default:
      return [cartLines, orderPending];
  }
}
