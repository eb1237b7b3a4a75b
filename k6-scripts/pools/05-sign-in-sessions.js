// 05 - Load: sign in users that exist in the system under test, each exactly once, and run
// their sessions. The users come from a non-recyclable data pool over the records that
// 04-create-users.js wrote.
//
// Each iteration takes the next unused user (exec.scenario.iterationInTest picks it, an id k6
// keeps unique across VUs and across the instances of a distributed run, so no two VUs or
// instances ever sign in the same user), appends `user_signed_in` to the user's stream with
// If-Match: 1 (right after registration: a user signed in twice would get 409), then posts that
// user's session (generated for this user: session 0 of partition user_id) as one batch.
//
// Run (after `npm run build` and 04-create-users.js, with the same event store listening):
//   k6 run -e SEED=42 -e TARGET_URL=http://127.0.0.1:8099 k6-scripts/pools/05-sign-in-sessions.js
// Options: -e RECORDS=../../recorder-data/users.ndjson (relative to this script; `mockjutsu
// records users --format ndjson` prints a recorder's .msgpack file in this form),
// -e USERS=200 (iterations: at most one per recorded user).
//
// When the pool runs out, tryNext() returns undefined and the iteration returns early (the
// message is logged once per VU). To end the whole test instead, call
// exec.test.abort(users.exhaustedMessage), or create the pool with { onExhausted: 'abort' }.
import http from 'k6/http';
import { check } from 'k6';
import { SharedArray } from 'k6/data';
import { Counter } from 'k6/metrics';
import { dataPool, generate, parseNdjsonRecords, serializeSession } from '../../dist/k6/mockjutsu.js';

export const options = {
  scenarios: {
    signIn: { executor: 'shared-iterations', vus: 10, iterations: Number(__ENV.USERS || 200) },
  },
  thresholds: { checks: ['rate>0.99'] },
};

const TARGET_URL = __ENV.TARGET_URL || 'http://127.0.0.1:8099';
const RECORDS = __ENV.RECORDS || '../../recorder-data/users.ndjson';

// Loaded once, in init; every VU shares the one copy.
const records = new SharedArray('users', function () { return parseNdjsonRecords(open(RECORDS), RECORDS); });
const users = dataPool(records, { name: 'users' });
const exhausted = new Counter('mockjutsu_pool_exhausted');
let warned = false;

export default function () {
  const user = users.tryNext();
  if (user === undefined) {
    exhausted.add(1);
    if (!warned) console.warn(users.exhaustedMessage);
    warned = true;
    return;
  }
  const userStream = 'user-' + user.user_id;
  const signIn = { event_id: 'signed-in-' + user.user_id, event_type: 'user_signed_in', stream_id: userStream, user_id: user.user_id, payload: { email: user.email } };
  const signed = http.post(`${TARGET_URL}/streams/${encodeURIComponent(userStream)}`, JSON.stringify(signIn), {
    headers: { 'Content-Type': 'application/json', 'If-Match': '1' },
    tags: { name: 'POST /streams/:id (sign in)' },
  });
  check(signed, { 'signed in once (201)': (r) => r.status === 201 });

  const session = generate('event_stream', { seed: __ENV.SEED, users: [user], partition: user.user_id });
  const first = session[0];
  const res = http.post(`${TARGET_URL}/streams/${encodeURIComponent(first.stream_id)}`, serializeSession(session), {
    headers: { 'Content-Type': 'application/json', 'If-Match': '0' },
    tags: { name: 'POST /streams/:id (session)' },
  });
  check(res, { 'session appended (201)': (r) => r.status === 201 });
}
