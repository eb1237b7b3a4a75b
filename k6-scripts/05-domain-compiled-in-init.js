// 05 - Your own domain as JSON, compiled by every VU at init (no build step; heavier per VU).
//
// The same test as example 04, but the domain file is read with open() and compiled in the init
// context by mockjutsu-domains.js, the bundle that carries the domain compiler. Nothing to
// compile ahead, at a price every VU pays: a larger bundle to evaluate, the domain validated and
// its expressions parsed and generated into code at init (figures: README, k6). Prefer example 04
// (compile ahead) for load tests; this one suits trying a domain out while editing it.
//
// Run (after `npm run build`, with the sidecar or another event store listening):
//   k6 run -e SEED=42 -e TARGET_URL=http://127.0.0.1:8099 k6-scripts/05-domain-compiled-in-init.js
// Same SEED => the same events as example 04, and as the library for the same JSON.
import http from 'k6/http';
import { check } from 'k6';
import { sessionStream } from '../dist/k6/mockjutsu-domains.js';

export const options = {
  vus: 10,
  duration: '30s',
  thresholds: { checks: ['rate>0.99'] },
};

const TARGET_URL = __ENV.TARGET_URL || 'http://127.0.0.1:8099';

// Init context: open() reads the file (only allowed here), and the stream compiles the domain
// (a bad domain stops the test at once, its error naming the JSON path).
const ledger = JSON.parse(open('./domains/ledger.json'));
const stream = sessionStream({ seed: __ENV.SEED, domain: ledger });

export default function () {
  const event = stream.next();
  const res = http.post(`${TARGET_URL}/streams/${encodeURIComponent(event.stream_id)}`, JSON.stringify(event), {
    headers: { 'Content-Type': 'application/json', 'If-Match': String(event.stream_version - 1) },
    tags: { name: 'POST /streams/:id', event_type: event.event_type },
  });
  check(res, {
    'event appended (201, or 200 duplicate)': (r) => r.status === 201 || r.status === 200,
    'no version conflict (409)': (r) => r.status !== 409,
  });
}
