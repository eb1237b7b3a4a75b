import assert from 'node:assert/strict';
import { createGenerator, createSessionStream } from '../../src/index.js';

describe('core: partitions', () => {
  it('never share an event, session or correlation id', () => {
    const g = createGenerator({ seed: 'partitions' });
    const events = new Set<string>();
    const sessions = new Set<string>();
    const correlations = new Set<string>();
    for (const p of [0, 1, 2, 'vu-1', 'engine-a/Thread Group/1', 'engine-b/Thread Group/1']) {
      for (let k = 0; k < 300; k++) {
        const s = g.session(p, k);
        assert.ok(!sessions.has(s[0]!.session_id));
        assert.ok(!correlations.has(s[0]!.correlation_id));
        sessions.add(s[0]!.session_id);
        correlations.add(s[0]!.correlation_id);
        for (const e of s) {
          assert.ok(!events.has(e.event_id));
          events.add(e.event_id);
        }
      }
    }
    assert.equal(sessions.size, 1800);
  });

  it("a partition's k-th session does not depend on other partitions or earlier pulls", () => {
    const alone = createSessionStream({ seed: 's', partition: 'p1' });
    for (let k = 0; k < 5; k++) alone.nextSession();
    const sixth = alone.nextSession();

    const busy = createGenerator({ seed: 's' });
    const other = busy.stream('p2');
    other.take(777);
    const p1 = busy.stream('p1');
    p1.take(3); // pull some events first, then whole sessions
    while (p1.getState().session < 5) p1.next();
    const again = p1.nextSession();
    // Same content; only the stream-local global position may differ if pulls differ, and here they do not.
    assert.equal(JSON.stringify(again), JSON.stringify(sixth));
    // The pure function view: session 5 of p1, numbered from the same first position.
    assert.equal(JSON.stringify(busy.session('p1', 5, sixth[0]!.global_position)), JSON.stringify(sixth));
  });

  it('integer and string partition keys with the same text are the same partition', () => {
    const g = createGenerator({ seed: 3 });
    assert.equal(JSON.stringify(g.session(12, 0)), JSON.stringify(g.session('12', 0)));
  });
});
