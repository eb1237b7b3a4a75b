import assert from 'node:assert/strict';
import { createGenerator } from '../../src/core/index.js';
import { NO_CONCURRENCY_CHECK, STREAM_DOES_NOT_EXIST, STREAM_EXISTS } from '../../src/store/index.js';
import { HttpError } from '../../src/sidecar/index.js';
import { parseAppendRequest, parseExpectedVersion } from '../../src/replay/index.js';

const session = createGenerator({ seed: 1 }).session(0, 0);
const streamId = session[0]!.stream_id;

function httpError(fn: () => unknown, status: number, code: string): void {
  assert.throws(fn, (err: unknown) => err instanceof HttpError && err.status === status && err.code === code);
}

describe('replay target request parsing (unit)', () => {
  describe('parseExpectedVersion', () => {
    it('takes numbers, digit strings, the three names (any case) and, in If-Match, * and ETag quotes', () => {
      assert.equal(parseExpectedVersion(0, 'expected_version'), 0);
      assert.equal(parseExpectedVersion(12, 'expected_version'), 12);
      assert.equal(parseExpectedVersion('7', 'If-Match'), 7);
      assert.equal(parseExpectedVersion('"7"', 'If-Match'), 7);
      assert.equal(parseExpectedVersion('no_stream', 'If-Match'), STREAM_DOES_NOT_EXIST);
      assert.equal(parseExpectedVersion('ANY', 'expected_version'), NO_CONCURRENCY_CHECK);
      assert.equal(parseExpectedVersion('stream_exists', 'expected_version'), STREAM_EXISTS);
      assert.equal(parseExpectedVersion('*', 'If-Match'), STREAM_EXISTS);
    });

    it('refuses anything else with a 400 naming the allowed values', () => {
      for (const bad of [-1, 1.5, '-1', '1e3', '', 'latest', null, true, {}, Number.MAX_SAFE_INTEGER + 1]) {
        httpError(() => parseExpectedVersion(bad, 'expected_version'), 400, 'INVALID_EXPECTED_VERSION');
      }
      httpError(() => parseExpectedVersion('*', 'expected_version'), 400, 'INVALID_EXPECTED_VERSION');
      assert.throws(() => parseExpectedVersion('x', 'If-Match'), /If-Match is "x"; allowed: a number >= 0, "no_stream", "any" or "stream_exists" \(or \* for stream_exists\)/);
    });
  });

  describe('parseAppendRequest', () => {
    it('one event: type = event_type, data = the event itself, idempotency key = event_id', () => {
      const r = parseAppendRequest(session[0], { 'if-match': '0' }, streamId);
      assert.equal(r.batch, false);
      assert.equal(r.expected, 0);
      assert.deepEqual(r.events, [{ type: 'login', data: session[0], idempotencyKey: session[0]!.event_id }]);
      assert.equal(r.events[0]!.data, session[0], 'the very object: nothing rewritten');
    });

    it('an array is a batch; the envelopes carry their own expected version', () => {
      const batch = parseAppendRequest(session, {}, streamId);
      assert.equal(batch.batch, true);
      assert.equal(batch.expected, undefined);
      assert.equal(batch.events.length, session.length);
      const env = parseAppendRequest({ expected_version: 'no_stream', events: session }, {}, streamId);
      assert.equal(env.expected, STREAM_DOES_NOT_EXIST);
      const single = parseAppendRequest({ expected_version: 3, event: session[1] }, { 'if-match': '3' }, streamId);
      assert.equal(single.expected, 3);
      assert.equal(single.batch, false);
    });

    it('rejects bodies that are not generated events of this stream', () => {
      httpError(() => parseAppendRequest({ ...session[0], stream_id: 'x' }, {}, streamId), 400, 'STREAM_ID_MISMATCH');
      httpError(() => parseAppendRequest([], {}, streamId), 400, 'BAD_REQUEST');
      httpError(() => parseAppendRequest([session[0], session[0]], {}, streamId), 400, 'INVALID_EVENT');
      httpError(() => parseAppendRequest({ event: session[0], events: session }, {}, streamId), 400, 'BAD_REQUEST');
      httpError(() => parseAppendRequest({ events: 'x' }, {}, streamId), 400, 'BAD_REQUEST');
      httpError(() => parseAppendRequest({ event_type: '', event_id: 'a' }, {}, streamId), 400, 'INVALID_EVENT');
      httpError(() => parseAppendRequest({ event_type: 'x', event_id: 5 }, {}, streamId), 400, 'INVALID_EVENT');
      httpError(() => parseAppendRequest([session[0], 'x'], {}, streamId), 400, 'INVALID_EVENT');
      httpError(() => parseAppendRequest({ expected_version: 1, event: session[0] }, { 'if-match': '2' }, streamId), 400, 'INVALID_EXPECTED_VERSION');
    });

    it('accepts an event without stream_id (posted to the stream the path names)', () => {
      const { stream_id: _omit, ...rest } = session[1]!;
      assert.equal(parseAppendRequest(rest, {}, streamId).events.length, 1);
    });
  });
});
