// 04 - Your own domain, compiled ahead: the recommended way to run a custom domain in k6.
//
// domains/ledger.json is a small domain of accounts (opened, deposits, withdrawals that never
// exceed the balance, closed). Compiled ahead into domains/ledger.k6.js, a standalone module: the
// domain's chain and rules as data and its expressions as code. Each VU imports it beside
// mockjutsu.js (which carries no compiler), so a VU neither parses nor validates the domain nor
// evaluates code at init: per VU it costs about what the built-in shop costs (figures: README, k6).
// Every VU replays its own sessions of the domain (partition = exec.vu.idInTest) and appends each
// event to its event-store stream, with expected version stream_version - 1 (as example 01).
//
// Compile (again whenever domains/ledger.json changes; `npm run build` does it for this example):
//   npx mockjutsu domain --compile k6-scripts/domains/ledger.json --target k6 --out k6-scripts/domains/ledger.k6.js
// Run (after `npm run build`, with the sidecar or another event store listening):
//   k6 run -e SEED=42 -e TARGET_URL=http://127.0.0.1:8099 k6-scripts/04-domain-compiled-ahead.js
// Same SEED => the same events for every VU as the library's
// createSessionStream({ seed, partition: vuId, domain }) of the same JSON.
import http from 'k6/http';
import { check } from 'k6';
import ledger from './domains/ledger.k6.js';
import { sessionStream } from '../dist/k6/mockjutsu.js';

export const options = {
  vus: 10,
  duration: '30s',
  thresholds: { checks: ['rate>0.99'] },
};

const TARGET_URL = __ENV.TARGET_URL || 'http://127.0.0.1:8099';

// Init context: the module is linked here (no compiler, no validation: it was compiled ahead).
const stream = sessionStream({ seed: __ENV.SEED, domain: ledger });

export default function () {
  const event = stream.next();
  // Events are plain objects: JSON.stringify is their text (native, the fastest writer in k6).
  const res = http.post(`${TARGET_URL}/streams/${encodeURIComponent(event.stream_id)}`, JSON.stringify(event), {
    headers: { 'Content-Type': 'application/json', 'If-Match': String(event.stream_version - 1) },
    tags: { name: 'POST /streams/:id', event_type: event.event_type },
  });
  check(res, {
    'event appended (201, or 200 duplicate)': (r) => r.status === 201 || r.status === 200,
    'no version conflict (409)': (r) => r.status !== 409,
  });
}
