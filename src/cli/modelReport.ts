import { modelStatistics, type MarkovModel, type ModelStatistics } from '../core/index.js';

/** Statistics of a model plus what the table shows beside them (`model --stats --json`). */
export interface ModelReport extends ModelStatistics {
  model: { name: string; states: number; start: string; terminal: string; maxSteps: number; maxCartLines: number };
  /** Expected events per session of each outcome, by state: visits x the outcome's share. */
  expectedOutcomes: Record<string, Record<string, number>>;
}

/** Exact statistics of `model` (see `modelStatistics`) with the model's outline. */
export function modelReport(model: MarkovModel): ModelReport {
  const stats = modelStatistics(model);
  const expectedOutcomes: Record<string, Record<string, number>> = {};
  for (const s of model.states) {
    if (s.outcomes.length === 0 || s.outcomes[0]!.name === '') continue;
    const total = s.outcomeCumulative[s.outcomeCumulative.length - 1]!;
    const row: Record<string, number> = {};
    s.outcomes.forEach((o, i) => {
      const share = (s.outcomeCumulative[i]! - (i === 0 ? 0 : s.outcomeCumulative[i - 1]!)) / total;
      row[o.name] = stats.expectedVisits[s.name]! * share;
    });
    expectedOutcomes[s.name] = row;
  }
  return {
    model: {
      name: model.name,
      states: model.states.length,
      start: model.states[model.start]!.name,
      terminal: model.states[model.terminal]!.name,
      maxSteps: model.maxSteps,
      maxCartLines: model.maxCartLines,
    },
    ...stats,
    expectedOutcomes,
  };
}

const pct = (p: number) => (p * 100).toFixed(2) + '%';

/** The report as a readable table. */
export function formatModelReport(r: ModelReport, model: MarkovModel): string {
  const m = r.model;
  const out: string[] = [];
  out.push(`model ${JSON.stringify(m.name)}: ${m.states} states, start ${m.start}, terminal ${m.terminal}, max_steps ${m.maxSteps}, max_cart_lines ${m.maxCartLines}`);
  out.push('');
  const summary: Array<[string, string]> = [
    ['expected events per session', r.expectedEventsPerSession.toFixed(4)],
    ['  without the max_steps cap', r.uncappedExpectedEventsPerSession.toFixed(4)],
    ['P(session cut by max_steps)', r.capProbability.toExponential(3)],
  ];
  for (const role of ['checkout', 'payment'] as const) {
    const s = model.states.find((st) => st.role === role);
    if (s) summary.push([`P(reach ${s.name})`, pct(r.reachProbability[s.name]!)]);
  }
  for (const [state, outcomes] of Object.entries(r.expectedOutcomes)) {
    const parts = Object.entries(outcomes).map(([o, v]) => `${o} ${v.toFixed(4)}`);
    summary.push([`${state} outcomes per session`, parts.join(', ')]);
  }
  summary.push(['expanded chain states', String(r.expandedStates)]);
  const keyWidth = Math.max(...summary.map(([k]) => k.length));
  for (const [k, v] of summary) out.push(`${k.padEnd(keyWidth)}  ${v}`);
  out.push('');
  const header = ['state', 'visits/session', 'share of events', 'P(reach)'];
  const rows = model.states.map((s) => [s.name, r.expectedVisits[s.name]!.toFixed(4), pct(r.visitFrequencies[s.name]!), pct(r.reachProbability[s.name]!)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (row: string[]) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  out.push(fmt(header));
  out.push(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) out.push(fmt(row));
  return out.join('\n') + '\n';
}
