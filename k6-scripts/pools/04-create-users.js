// 04 - Data creation: create users in the system under test and record what was created.
//
// setup() registers USERS users (seeded, realistic profiles) in the event store: one
// `user_registered` event per user, appended to a new stream `user-<user_id>` (If-Match: 0).
// handleSummary() then writes the users that were created (201) to RECORDS_OUT, one JSON record
// per line: the file the load scenario (05-sign-in-sessions.js) draws its users from, and that
// `mockjutsu records` / the library's pools read.
//
// Run (after `npm run build`, with the sidecar's replay target or another event store listening):
//   k6 run -e SEED=42 -e TARGET_URL=http://127.0.0.1:8099 k6-scripts/pools/04-create-users.js
// Options: -e USERS=200 (how many), -e RECORDS_OUT=recorder-data/users.ndjson (where, relative
// to the directory k6 runs in).
//
// k6 scripts cannot write files while VUs run, so creation happens in setup() (one VU, in
// order) and the file is written once at the end. Once the sidecar records (`POST
// /record/users`), creation can move to the default function and spread over many VUs.
import http from 'k6/http';
import { check } from 'k6';
import { bulk } from '../../dist/k6/mockjutsu.js';

export const options = {
  vus: 1,
  iterations: 1,
  thresholds: { checks: ['rate==1'] },
};

const TARGET_URL = __ENV.TARGET_URL || 'http://127.0.0.1:8099';
const USERS = Number(__ENV.USERS || 200);
const RECORDS_OUT = __ENV.RECORDS_OUT || 'recorder-data/users.ndjson';

export function setup() {
  const created = [];
  for (const user of bulk('user', { seed: __ENV.SEED, count: USERS })) {
    const streamId = 'user-' + user.user_id;
    const event = { event_id: 'registered-' + user.user_id, event_type: 'user_registered', stream_id: streamId, user_id: user.user_id, payload: user };
    const res = http.post(`${TARGET_URL}/streams/${encodeURIComponent(streamId)}`, JSON.stringify(event), {
      headers: { 'Content-Type': 'application/json', 'If-Match': '0' },
      tags: { name: 'POST /streams/:id (register user)' },
    });
    // Only users that exist in the system are recorded.
    if (check(res, { 'user registered (201)': (r) => r.status === 201 })) created.push(user);
  }
  return { created: created };
}

// Nothing else to do per iteration: the data was created in setup().
export default function () {}

/** The records file: one user per line. */
export function handleSummary(summary) {
  const users = summary.setup_data.created;
  const out = {};
  out[RECORDS_OUT] = users.map((u) => JSON.stringify(u) + '\n').join('');
  out.stdout = `recorded ${users.length} users in ${RECORDS_OUT}\n`;
  return out;
}
