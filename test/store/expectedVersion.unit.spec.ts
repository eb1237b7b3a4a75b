import assert from 'node:assert/strict';
import {
  assertExpectedVersion,
  ConcurrencyConflict,
  NO_CONCURRENCY_CHECK,
  STREAM_DOES_NOT_EXIST,
  STREAM_EXISTS,
  type ExpectedStreamVersion,
} from '../../src/store/index.js';

describe('assertExpectedVersion', () => {
  const outcome = (actual: number, expected: ExpectedStreamVersion): string => {
    try {
      assertExpectedVersion('s', actual, expected);
      return 'ok';
    } catch (error) {
      return error instanceof ConcurrencyConflict ? 'conflict' : (error as Error).name;
    }
  };

  it('decides every expectation against versions 0 and 2', () => {
    const table = ([0, 2, STREAM_DOES_NOT_EXIST, STREAM_EXISTS, NO_CONCURRENCY_CHECK] as const).map((expected) => [
      expected,
      outcome(0, expected),
      outcome(2, expected),
    ]);

    assert.deepEqual(table, [
      [0, 'ok', 'conflict'],
      [2, 'conflict', 'ok'],
      [STREAM_DOES_NOT_EXIST, 'ok', 'conflict'],
      [STREAM_EXISTS, 'conflict', 'ok'],
      [NO_CONCURRENCY_CHECK, 'ok', 'ok'],
    ]);
  });

  it('defaults to no check', () => {
    assert.doesNotThrow(() => assertExpectedVersion('s', 7));
  });

  it('rejects malformed expectations as RangeError', () => {
    assert.deepEqual(
      [-1, 1.5, Number.NaN, 'ANY' as unknown as ExpectedStreamVersion].map((expected) => outcome(0, expected)),
      ['RangeError', 'RangeError', 'RangeError', 'RangeError'],
    );
  });

  it('carries stream, expected and actual on the conflict', () => {
    const error = (() => {
      try {
        assertExpectedVersion('account-1', 3, STREAM_DOES_NOT_EXIST);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();

    assert.ok(error instanceof ConcurrencyConflict);
    assert.deepEqual([error.streamId, error.expected, error.actual], ['account-1', STREAM_DOES_NOT_EXIST, 3]);
    assert.equal(error.message, 'Concurrency conflict on stream "account-1": expected STREAM_DOES_NOT_EXIST, actual version 3');
  });
});
