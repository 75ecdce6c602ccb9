import { describe, expect, it } from 'vitest';
import { DECOY_HASH, decoyIsStale, hashPassword, verifyPassword } from '../../src-main/accounts/passwords';
import { UnknownLoginAttempts } from '../../src-main/accounts/unknown-logins';

describe('sign-in for logins that do not exist', () => {
  it('the decoy hash costs what a real one does: same argon2 parameters as new hashes', async () => {
    expect(decoyIsStale()).toBe(false);
    const real = await hashPassword('Свой-пароль-1');
    expect(DECOY_HASH.split('$').slice(0, 4)).toEqual(real.split('$').slice(0, 4));
    expect(await verifyPassword(DECOY_HASH, '')).toBe(false);
    expect(await verifyPassword(DECOY_HASH, 'decoy')).toBe(false);
  }, 60_000);

  it('failures of unknown logins are remembered up to a bound, the oldest forgotten first', () => {
    const attempts = new UnknownLoginAttempts(2);
    attempts.set('a', { failures: 1, lockedUntil: null });
    attempts.set('b', { failures: 2, lockedUntil: null });
    attempts.set('a', { failures: 3, lockedUntil: null });
    attempts.set('c', { failures: 1, lockedUntil: null });
    expect([attempts.get('a').failures, attempts.get('b').failures, attempts.get('c').failures]).toEqual([3, 0, 1]);
  });
});
