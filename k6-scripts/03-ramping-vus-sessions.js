// 03 - A ramping-vus scenario, showing how sessions map to VUs and iterations.
//
// The mapping: VU v (exec.vu.idInTest) owns partition v; each iteration takes the VU's next
// whole session, so iteration i of VU v posts session i of partition v, whatever the ramp does.
// A VU that ramping-vus stops and starts again keeps its JS state and simply continues its
// stream, and a test split into execution segments (k6-operator, Grafana Cloud, or
// `--execution-segment`) still gives every VU a distinct idInTest, so no session is sent twice.
// Each request is tagged with the VU, the session index and the iteration (use them in
// thresholds or to filter results; for many VUs, drop them to keep the number of series low).
// To look at one session again: generate('event_stream', { seed, partition: vu, session })
// returns the same events (global_position then counts from 1).
//
// Run (after `npm run build`, with the sidecar or another event store listening):
//   k6 run -e SEED=42 -e TARGET_URL=http://127.0.0.1:8099 k6-scripts/03-ramping-vus-sessions.js
// SEED is required (or -e MOCKJUTSU_SEED=...): every VU runs in its own VM, so only an explicit
// seed gives all VUs one user pool and catalog, and makes the run replayable. Running the same
// SEED twice against the same store is safe: the sidecar's store knows each event_id and answers
// an already stored event with 200 and "duplicate": true (idempotent retry), counted as appended.
// Print the mapping as it happens with -e LOG_SESSIONS=1.
import http from 'k6/http';
import exec from 'k6/execution';
import { check, sleep } from 'k6';
import { Counter } from 'k6/metrics';
// k6 before v0.53 loads CommonJS far more cheaply than an ES module; there, use instead:
// const { sessionStream, serializeEvent } = require('../dist/k6/mockjutsu.cjs.js');
import { sessionStream, serializeEvent } from '../dist/k6/mockjutsu.js';

export const options = {
  scenarios: {
    shoppers: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: '20s', target: 10 },
        { duration: '30s', target: 10 },
        { duration: '10s', target: 3 },
        { duration: '10s', target: 0 },
      ],
      gracefulRampDown: '10s',
    },
  },
  thresholds: { checks: ['rate>0.99'] },
};

const TARGET_URL = __ENV.TARGET_URL || 'http://127.0.0.1:8099';
const LOG_SESSIONS = __ENV.LOG_SESSIONS === '1';

const stream = sessionStream({ seed: __ENV.SEED });
const sessionsSent = new Counter('mockjutsu_sessions_sent');

export default function () {
  const sessionIndex = stream.getState().session; // index of the session the next event belongs to
  const session = stream.nextSession();
  const tags = {
    name: 'POST /streams/:id',
    vu: String(exec.vu.idInTest),
    session: String(sessionIndex),
    iteration: String(exec.vu.iterationInScenario),
  };
  if (LOG_SESSIONS) {
    console.log(`vu=${tags.vu} iteration=${tags.iteration} -> session ${sessionIndex} of partition ${stream.partition} (seed ${stream.seed}), ${session.length} events, stream ${session[0].stream_id}`);
  }
  for (let i = 0; i < session.length; i++) {
    const event = session[i];
    const res = http.post(`${TARGET_URL}/streams/${encodeURIComponent(event.stream_id)}`, serializeEvent(event), {
      headers: { 'Content-Type': 'application/json', 'If-Match': String(event.stream_version - 1) },
      tags,
    });
    check(res, { 'event appended (201, or 200 duplicate)': (r) => r.status === 201 || r.status === 200 });
    sleep(0.1);
  }
  sessionsSent.add(1, { vu: tags.vu });
}
