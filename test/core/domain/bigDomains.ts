// Domains at and over the size limits, built from a fixed LCG (same domain every run).
import type { DomainDefinition } from '../../../src/core/domain/domainDefinition.js';

/** n states (the last one terminal); each has `fan` drawn targets, its successor and the terminal. */
export function bigDomain(n: number, fan: number, maxSteps = 200): DomainDefinition {
  const states: Record<string, { transitions?: Record<string, number> }> = {};
  let x = 12345;
  const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < n - 1; i++) {
    const t: Record<string, number> = {};
    for (let j = 0; j < fan; j++) t['s' + (1 + Math.floor(rnd() * (n - 2)))] = 1 + Math.floor(rnd() * 5);
    if (i + 1 < n - 1) t['s' + (i + 1)] = 3;
    t.end = 1;
    states['s' + i] = { transitions: t };
  }
  states.end = {};
  return { domain: 'big', aggregates: { A: {} }, chain: { start: 's0', terminal: 'end', max_steps: maxSteps, states } };
}
