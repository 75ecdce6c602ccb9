import argon2 from 'argon2';

// argon2id, 64 MiB, 3 passes, 4 lanes: about 130 ms a login on this project's 2-core
// build machine (the target is 100–500 ms). Changing these keeps old hashes
// valid: the parameters are stored inside each hash.
const OPTIONS = { type: argon2.argon2id, memoryCost: 65_536, timeCost: 3, parallelism: 4 } as const;

// The test suites sign in thousands of times on a 2-core machine, where one hash takes half a
// second under load. They ask for light parameters (still argon2id, still verified for real)
// with ZHURNAL_ARGON2_PROFILE=test; the app's shell removes the variable before the core
// starts, and the bench never sets it. A hash carries its own parameters, so either verifies.
const TEST_SUITE_OPTIONS = { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 } as const;

function hashOptions() {
  return process.env.ZHURNAL_ARGON2_PROFILE === 'test' ? TEST_SUITE_OPTIONS : OPTIONS;
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, hashOptions());
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/**
 * A hash no one knows a password for (made from 32 random bytes, then thrown away), with the
 * same parameters as every other hash: an unknown login is verified against it, so it costs
 * the same argon2 work as a wrong password for a real login. Regenerate it if OPTIONS change.
 */
export const DECOY_HASH = '$argon2id$v=19$m=65536,p=4,t=3$GHv44130RSRwLE7m3C88vQ$/Ja/XHrv3TCksGiAMkgKrq66lNSmoG65NKRST5PRv/E';

/** True when the decoy no longer matches the parameters new hashes are made with. */
export function decoyIsStale(): boolean {
  return argon2.needsRehash(DECOY_HASH, OPTIONS);
}
