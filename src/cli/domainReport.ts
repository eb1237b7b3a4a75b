import type { DomainStatistics, Estimate } from '../core/domain/domainStatistics.js';

// `mockjutsu domain --stats`: the statistics as a table that says how they were obtained.

function num(e: Estimate, digits = 4): string {
  return e.ci95 === undefined ? e.value.toFixed(digits) : `${e.value.toFixed(digits)} [${e.ci95[0].toFixed(digits)}, ${e.ci95[1].toFixed(digits)}]`;
}

function pct(e: Estimate): string {
  const p = (x: number) => (x * 100).toFixed(2) + '%';
  return e.ci95 === undefined ? p(e.value) : `${p(e.value)} [${p(e.ci95[0])}, ${p(e.ci95[1])}]`;
}

/** The statistics as readable text: the method first ("exact" or "simulated, 95% CI"). */
export function formatDomainStatistics(s: DomainStatistics): string {
  const out: string[] = [];
  out.push(`domain ${JSON.stringify(s.domain)}: ${s.states} event types, start ${s.start}, terminal ${s.terminal}, max_steps ${s.maxSteps}`);
  if (s.method === 'exact') {
    out.push('statistics: exact (absorbing Markov chain; no guard or instance rule makes the next event depend on variables)');
  } else {
    out.push(`statistics: simulated, 95% CI in brackets (${s.sessions} sessions, seed ${JSON.stringify(s.seed)}; --sessions and --seed change them)`);
    for (const r of s.reasons) out.push(`  not exact: ${r}`);
  }
  out.push('');
  const summary: Array<[string, string]> = [['expected events per session', num(s.expectedEventsPerSession)]];
  if (s.uncappedExpectedEventsPerSession !== undefined) summary.push(['  without the max_steps cap', s.uncappedExpectedEventsPerSession.toFixed(4)]);
  summary.push(['P(session has max_steps events)', s.capProbability.ci95 === undefined ? s.capProbability.value.toExponential(3) : pct(s.capProbability)]);
  summary.push(['session length p50 / p90 / p99 / max', `${s.length.p50} / ${s.length.p90} / ${s.length.p99} / ${s.length.max}`]);
  for (const e of s.eventTypes) {
    if (e.outcomes === undefined) continue;
    summary.push([`${e.name} outcomes per session`, Object.entries(e.outcomes).map(([o, v]) => `${o} ${v.toFixed(4)}`).join(', ')]);
  }
  const keyWidth = Math.max(...summary.map(([k]) => k.length));
  for (const [k, v] of summary) out.push(`${k.padEnd(keyWidth)}  ${v}`);
  out.push('');
  const header = ['event type', 'events/session', 'share of events', s.method === 'exact' ? 'P(in session), no cap' : 'P(in session)'];
  const rows = s.eventTypes.map((e) => [e.name, num(e.expectedVisits), (e.share * 100).toFixed(2) + '%', pct(e.visitProbability)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (row: string[]) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  out.push(fmt(header));
  out.push(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) out.push(fmt(row));
  return out.join('\n') + '\n';
}
