import assert from 'node:assert/strict';
import { buildUserProfile, createGenerator, createSessionStream, userProfileFromRecord, type Session } from '../../src/core/index.js';

const N = 50;
const RECORDS = Array.from({ length: N }, (_, i) => ({ id: `sut-${i}`, email: `real${i}@example.com` }));

function sessions(options: Parameters<typeof createSessionStream>[0], count: number): Session[] {
  const s = createSessionStream(options);
  return Array.from({ length: count }, () => s.nextSession());
}

describe('sessions of users that exist in the system under test (users: records)', () => {
  it('the records replace the seeded users index for index: the same sessions, with the recorded user ids', () => {
    const seeded = sessions({ seed: 42, users: N, partition: 3 }, 40);
    const real = sessions({ seed: 42, users: RECORDS, partition: 3 }, 40);
    const indexOf = new Map(Array.from({ length: N }, (_, i) => [buildUserProfile('42', i).user_id, i]));
    let checked = 0;
    seeded.forEach((session, k) => {
      const idx = indexOf.get(session[0]!.user_id)!;
      assert.ok(idx !== undefined);
      const expected = session.map((e) => ({ ...e, user_id: RECORDS[idx]!.id }));
      assert.deepEqual(real[k], expected, `session ${k}`);
      checked += session.length;
    });
    assert.ok(checked > 100);
    assert.ok(new Set(real.map((s) => s[0]!.user_id)).size > 10, 'sessions spread over many users');
  });

  it('deterministic: the same seed and records regenerate the same sessions (what verify relies on)', () => {
    const a = createGenerator({ seed: 'v', users: RECORDS });
    const b = createGenerator({ seed: 'v', users: RECORDS.map((r) => ({ ...r })) });
    for (let k = 0; k < 20; k++) assert.equal(JSON.stringify(a.session(7, k)), JSON.stringify(b.session(7, k)));
  });

  it('record fields win over seeded ones; name splits into first and last; numeric ids become strings', () => {
    const p = userProfileFromRecord('s', { user_id: 17, name: 'Ada King Lovelace', preferred_auth: 'sso', city: 'London' }, 4);
    const seeded = buildUserProfile('s', 4);
    assert.deepEqual(p, { ...seeded, user_id: '17', first_name: 'Ada', last_name: 'King Lovelace', preferred_auth: 'sso', city: 'London' });
    const only = sessions({ seed: 1, users: [{ user_id: 'only-one', preferred_auth: 'magic_link' }] }, 30);
    for (const s of only) for (const e of s) assert.equal(e.user_id, 'only-one');
    const logins = only.flat().filter((e) => e.event_type === 'login').map((e) => (e.payload as { auth_method: string }).auth_method);
    assert.ok(logins.includes('magic_link'));
    assert.ok(logins.every((m) => m === 'magic_link' || m === 'password'));
  });

  it('bad user lists: errors naming the record and field', () => {
    assert.throws(() => createGenerator({ users: [] }), /users is an array of 0; allowed: an integer from 1 to 10000000, or an array of 1 to 10000000 user records/);
    assert.throws(() => createGenerator({ users: [{ id: 'a' }, { email: 'x@y' }] as any }), (e: any) => e.code === 'INVALID_OPTION' && /^users\[1\] has user_id\/id undefined/.test(e.message));
    assert.throws(() => createGenerator({ users: [{ id: 'a', email: 5 }] as any }), /users\[0\]\.email is 5; expected a string/);
    assert.throws(() => createGenerator({ users: ['a'] as any }), /users\[0\] is "a"; expected an object with a user_id/);
  });
});
