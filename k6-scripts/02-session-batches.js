// 02 - Whole sessions as batches: one request per iteration carries a session's events.
//
// Each iteration takes this VU's next whole session (login ... logout) and appends it to its
// stream in one request: POST ${TARGET_URL}/streams/${stream_id} with a JSON array body and the
// expected version of the first event in the `If-Match` header (0 for a new stream).
//
// Run (after `npm run build`, with the sidecar or another event store listening):
//   k6 run -e SEED=42 -e TARGET_URL=http://127.0.0.1:8099 k6-scripts/02-session-batches.js
// SEED is required (or -e MOCKJUTSU_SEED=...): every VU runs in its own VM, so only an explicit
// seed gives all VUs one user pool and catalog, and makes the run replayable. Running the same
// SEED twice against the same store is safe: the sidecar's store knows each event_id and answers
// an already stored event with 200 and "duplicate": true (idempotent retry), counted as appended.
//
// Every VU sends the same number of sessions (the per-vu-iterations executor: VUS VUs, default 5,
// SESSIONS sessions each, default 20), so `mockjutsu verify` can regenerate what was sent:
//   k6 run -e SEED=42 -e VUS=10 -e SESSIONS=4 k6-scripts/02-session-batches.js
//   mockjutsu verify --seed 42 --partitions 1-10 --sessions 4 --against events.jsonl
// (k6's --vus N --iterations M is the shared-iterations executor: VUs get uneven shares.)
import http from 'k6/http';
import { check } from 'k6';
import { Counter, Trend } from 'k6/metrics';
// k6 before v0.53 loads CommonJS far more cheaply than an ES module; there, use instead:
// const { sessionStream, serializeSession } = require('../dist/k6/mockjutsu.cjs.js');
import { sessionStream, serializeSession } from '../dist/k6/mockjutsu.js';

export const options = {
  scenarios: {
    sessions: { executor: 'per-vu-iterations', vus: Number(__ENV.VUS || 5), iterations: Number(__ENV.SESSIONS || 20) },
  },
  thresholds: { checks: ['rate>0.99'] },
};

const TARGET_URL = __ENV.TARGET_URL || 'http://127.0.0.1:8099';

const stream = sessionStream({ seed: __ENV.SEED, users: Number(__ENV.USERS || 1000) });
const eventsSent = new Counter('mockjutsu_events_sent');
const sessionsSent = new Counter('mockjutsu_sessions_sent');
const sessionLength = new Trend('mockjutsu_session_events');

export default function () {
  const session = stream.nextSession();
  const first = session[0];
  const res = http.post(`${TARGET_URL}/streams/${encodeURIComponent(first.stream_id)}`, serializeSession(session), {
    headers: { 'Content-Type': 'application/json', 'If-Match': String(first.stream_version - 1) },
    tags: { name: 'POST /streams/:id (batch)' },
  });
  eventsSent.add(session.length);
  sessionsSent.add(1);
  sessionLength.add(session.length);
  check(res, {
    'session appended (201, or 200 duplicate)': (r) => r.status === 201 || r.status === 200,
    'no version conflict (409)': (r) => r.status !== 409,
  });
}
