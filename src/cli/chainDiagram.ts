import { spawn } from 'node:child_process';
import type { CompiledDomain } from '../core/domain/compileDomain.js';

/** What a diagram needs of a chain (a domain's chain has this shape). */
export interface DrawableChain {
  readonly name: string;
  readonly states: ReadonlyArray<{
    readonly name: string;
    readonly outcomes: ReadonlyArray<{ readonly name: string; readonly targets: readonly number[]; readonly weights: readonly number[] }>;
    readonly outcomeCumulative: readonly number[];
  }>;
  readonly start: number;
  readonly terminal: number;
  /** A comment line about guards, when some transitions may be barred. */
  readonly guardNote?: string;
  /** What the header calls it ("domain"). */
  readonly kind: string;
}

/** A domain's chain as a drawable chain; guarded event types are named in a comment. */
export function domainChain(domain: CompiledDomain): DrawableChain {
  const guarded = domain.events.filter((e) => e.hasGuard).map((e) => e.name);
  return {
    name: domain.name, states: domain.chain.states, start: domain.chain.start, terminal: domain.chain.terminal, kind: 'domain',
    ...(guarded.length > 0 ? { guardNote: `guarded (taken only when the guard holds; a barred transition's weight goes to the others): ${guarded.join(', ')}` } : {}),
  };
}

/** An edge of the drawn chain; `outcome` set for the edge into a state's outcome. */
interface DrawnEdge { from: string; to: string; label: string; }

/** The chain as drawable nodes and edges (ids still raw: state names and outcome keys). */
interface DrawnChain {
  states: string[];
  /** Outcome nodes: `${state}::${outcome}`. */
  outcomes: string[];
  edges: DrawnEdge[];
  start: string;
  terminal: string;
  guardNote: string | undefined;
}

/** A probability for an edge label: 3 decimals, or scientific below 0.0005. */
export function formatProbability(p: number): string {
  return p >= 0.0005 || p === 0 ? p.toFixed(3) : p.toExponential(1);
}

function drawnChain(model: DrawableChain): DrawnChain {
  const names = model.states.map((s) => s.name);
  const edges: DrawnEdge[] = [];
  const outcomes: string[] = [];
  for (const s of model.states) {
    const named = s.outcomes.length > 0 && s.outcomes[0]!.name !== '';
    const outcomeTotal = s.outcomeCumulative[s.outcomeCumulative.length - 1] ?? 1;
    s.outcomes.forEach((o, oi) => {
      let from = s.name;
      if (named) {
        from = `${s.name}::${o.name}`;
        outcomes.push(from);
        const w = s.outcomeCumulative[oi]! - (oi === 0 ? 0 : s.outcomeCumulative[oi - 1]!);
        edges.push({ from: s.name, to: from, label: `${o.name} ${formatProbability(w / outcomeTotal)}` });
      }
      const total = o.weights.reduce((a, b) => a + b, 0);
      o.targets.forEach((t, ti) => edges.push({ from, to: names[t]!, label: formatProbability(o.weights[ti]! / total) }));
    });
  }
  return {
    states: names,
    outcomes,
    edges,
    start: names[model.start]!,
    terminal: names[model.terminal]!,
    guardNote: model.guardNote,
  };
}

const NOTE = 'edge labels: P(next state | state, outcome) from the chain\'s weights';
const MERMAID_RESERVED = new Set(['state', 'note', 'end', 'direction', 'classDef', 'class', 'style', 'click', 'as', 'left', 'right', 'of', 'over']);

/** The chain as a Mermaid `stateDiagram-v2`; outcomes are choice nodes entered by labelled edges. */
export function chainToMermaid(model: DrawableChain): string {
  const chain = drawnChain(model);
  const ids = new Map<string, string>();
  const used = new Set<string>();
  const declarations: string[] = [];
  const idOf = (key: string, isOutcome: boolean): string => {
    let id = ids.get(key);
    if (id !== undefined) return id;
    const base = key.replace(/::/g, '__').replace(/[^A-Za-z0-9_]/g, '_');
    id = /^[A-Za-z]/.test(base) && !MERMAID_RESERVED.has(base) ? base : `s_${base}`;
    for (let i = 2; used.has(id); i++) id = `${base}_${i}`;
    used.add(id);
    ids.set(key, id);
    if (isOutcome) declarations.push(`  state ${id} <<choice>>`);
    else if (id !== key) declarations.push(`  state "${key}" as ${id}`);
    return id;
  };
  chain.states.forEach((s) => idOf(s, false));
  chain.outcomes.forEach((o) => idOf(o, true));
  const lines = [`%% mockjutsu ${model.kind} ${JSON.stringify(model.name)}; ${NOTE}`];
  if (chain.guardNote !== undefined) lines.push(`%% ${chain.guardNote}`);
  lines.push('stateDiagram-v2', '  direction LR', ...declarations, `  [*] --> ${ids.get(chain.start)}`);
  for (const e of chain.edges) lines.push(`  ${ids.get(e.from)} --> ${ids.get(e.to)}: ${e.label}`);
  lines.push(`  ${ids.get(chain.terminal)} --> [*]`);
  return lines.join('\n') + '\n';
}

function dotId(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
}

/** The chain as Graphviz dot; edge labels are transition probabilities, outcomes small diamonds. */
export function chainToDot(model: DrawableChain): string {
  const chain = drawnChain(model);
  const lines = [
    `// mockjutsu ${model.kind} ${JSON.stringify(model.name)}; ${NOTE}`,
    ...(chain.guardNote !== undefined ? [`// ${chain.guardNote}`] : []),
    `digraph ${dotId(model.name)} {`,
    '  rankdir=LR;',
    '  node [shape=box, style=rounded, fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
    '  "__start__" [shape=point, width=0.15, label=""];',
    `  ${dotId(chain.terminal)} [shape=doublecircle, style=solid];`,
  ];
  for (const o of chain.outcomes) lines.push(`  ${dotId(o)} [shape=diamond, label="", width=0.25, height=0.25];`);
  lines.push(`  "__start__" -> ${dotId(chain.start)};`);
  for (const e of chain.edges) lines.push(`  ${dotId(e.from)} -> ${dotId(e.to)} [label=${dotId(e.label)}];`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

/** Renders dot text to SVG with Graphviz's `dot`; a clear error when it is not installed. */
export function dotToSvg(dot: string, command = 'dot'): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, ['-Tsvg'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => undefined); // dot failed early; its exit status says why
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(new Error(e.code === 'ENOENT'
        ? `--format svg needs Graphviz, but "${command}" was not found on PATH; install it (apt-get install graphviz, brew install graphviz) or use --format dot and render the text elsewhere`
        : `cannot run Graphviz "${command}": ${e.message}`));
    });
    child.on('close', (code) => {
      if (code === 0) resolvePromise(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`Graphviz "${command} -Tsvg" failed (exit ${code}): ${Buffer.concat(err).toString('utf8').trim()}`));
    });
    child.stdin.end(dot);
  });
}
