import argon2 from 'argon2';

// argon2id, 64 MiB, 3 passes, 4 lanes: about 130 ms a login on this project's 2-core
// build machine (issue «Foundation» asks 100–500 ms). Changing these keeps old hashes
// valid: the parameters are stored inside each hash.
const OPTIONS = { type: argon2.argon2id, memoryCost: 65_536, timeCost: 3, parallelism: 4 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/**
 * A hash that no password matches, verified against when a login is unknown, so a
 * wrong login and a wrong password take the same time.
 */
let decoyHash: Promise<string> | null = null;
export function decoy(): Promise<string> {
  decoyHash ??= hashPassword(`decoy-${Math.random()}`);
  return decoyHash;
}
