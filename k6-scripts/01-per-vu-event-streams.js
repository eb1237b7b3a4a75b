// 01 - Per-VU session streams, one event per request.
//
// Every VU replays its own deterministic sessions (partition = exec.vu.idInTest, so VUs never
// share a session, even across the instances of a distributed run) and appends each event to
// its event-store stream: POST ${TARGET_URL}/streams/${event.stream_id}, body = the event,
// expected version in the `If-Match` header (event n is appended with expected version n-1;
// 201 with the new version, 409 on a version conflict).
//
// Run (after `npm run build`, with the sidecar or another event store listening):
//   k6 run -e SEED=42 -e TARGET_URL=http://127.0.0.1:8099 k6-scripts/01-per-vu-event-streams.js
// SEED is required (or -e MOCKJUTSU_SEED=...): every VU runs in its own VM, so only an explicit
// seed gives all VUs one user pool and catalog, and makes the run replayable. Running the same
// SEED twice against the same store is safe: the sidecar's store knows each event_id and answers
// an already stored event with 200 and "duplicate": true (idempotent retry), counted as appended.
// Same SEED => the same events in the same order for every VU, run after run.
import http from 'k6/http';
import { check } from 'k6';
import { Counter } from 'k6/metrics';
// k6 before v0.53 loads CommonJS far more cheaply than an ES module; there, use instead:
// const { sessionStream, serializeEvent } = require('../dist/k6/mockjutsu.cjs.js');
import { sessionStream, serializeEvent } from '../dist/k6/mockjutsu.js';

export const options = {
  vus: 10,
  duration: '30s',
  thresholds: {
    checks: ['rate>0.99'],
    mockjutsu_events_sent: ['count>0'],
  },
};

const TARGET_URL = __ENV.TARGET_URL || 'http://127.0.0.1:8099';

// Init context: options are validated here (a bad seed or model stops the test at once); the
// VU id is only read on the first stream.next().
const stream = sessionStream({ seed: __ENV.SEED });
const eventsSent = new Counter('mockjutsu_events_sent');

export default function () {
  const event = stream.next();
  const res = http.post(`${TARGET_URL}/streams/${encodeURIComponent(event.stream_id)}`, serializeEvent(event), {
    headers: { 'Content-Type': 'application/json', 'If-Match': String(event.stream_version - 1) },
    // One name for every stream keeps k6's URL metrics from exploding into one series per stream.
    tags: { name: 'POST /streams/:id', event_type: event.event_type },
  });
  eventsSent.add(1, { event_type: event.event_type });
  check(res, {
    'event appended (201, or 200 duplicate)': (r) => r.status === 201 || r.status === 200,
    'no version conflict (409)': (r) => r.status !== 409,
  });
}
