import assert from 'node:assert/strict';
import { buildSessionUser, buildUserProfile, UserPool } from '../../src/core/userPool.js';

describe('core: user pool', () => {
  it('a session user is the profile\'s session fields, from the same draws, for any seed and index', () => {
    for (const seed of ['42', 'alpha', '']) {
      for (let index = 0; index < 300; index++) {
        const p = buildUserProfile(seed, index);
        assert.deepEqual(buildSessionUser(seed, index), { user_id: p.user_id, user_agent: p.user_agent, preferred_auth: p.preferred_auth, preferred_payment: p.preferred_payment });
      }
    }
  });

  it('the pool returns the same user whatever its cache size', () => {
    const small = new UserPool('42', 1000, 2);
    const none = new UserPool('42', 1000, 0);
    for (let i = 0; i < 200; i++) {
      const index = (i * 7919) % 1000;
      assert.deepEqual(small.get(index), buildSessionUser('42', index));
      assert.deepEqual(none.get(index), buildSessionUser('42', index));
    }
  });
});
