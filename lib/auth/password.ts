/**
 * Password hashing with node:crypto scrypt. No `server-only` and no env here:
 * `scripts/hash-password.ts` and the demo script import it under tsx.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

import { formatPasswordHash, parsePasswordHash, type PasswordHash } from "./admins.mjs";

/** OWASP's scrypt floor is N=2^17 with r=8; 2^15 keeps sign-in near 100 ms on small hosts while the throttle caps guessing. */
export const DEFAULT_SCRYPT = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

function deriveKey(
  password: string,
  salt: Buffer,
  keyLength: number,
  params: ScryptOptions,
): Promise<Buffer> {
  const N = params.N ?? DEFAULT_SCRYPT.N;
  const r = params.r ?? DEFAULT_SCRYPT.r;
  // Node's default maxmem (32 MiB) is exactly 128*N*r for the defaults; leave headroom.
  const maxmem = 256 * N * r;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, keyLength, { ...params, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Hashes `password` into the `scrypt:N:r:p:salt:key` form ROSTER_ADMINS expects. */
export async function hashPassword(
  password: string,
  params: { N: number; r: number; p: number } = DEFAULT_SCRYPT,
): Promise<string> {
  if (password.length === 0) throw new Error("The password is empty");
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(password, salt, KEY_BYTES, params);
  return formatPasswordHash({ ...params, salt, key });
}

async function matches(password: string, hash: PasswordHash): Promise<boolean> {
  const key = await deriveKey(password, hash.salt, hash.key.length, {
    N: hash.N,
    r: hash.r,
    p: hash.p,
  });
  return timingSafeEqual(key, hash.key);
}

/** True when `password` matches `hash`; false for a wrong password or a malformed hash. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const parsed = parsePasswordHash(hash);
  if (!parsed.ok) return false;
  return matches(password, parsed.hash);
}

/** Stands in for unknown emails; its random key matches no password. */
const DUMMY_HASH: PasswordHash = {
  ...DEFAULT_SCRYPT,
  salt: randomBytes(SALT_BYTES),
  key: randomBytes(KEY_BYTES),
};

/**
 * Checks a password for an admin who may not exist. An unknown email still
 * costs one scrypt run with the default cost, so response times do not tell
 * which emails are admins.
 */
export async function verifyAdminPassword(
  password: string,
  hash: PasswordHash | undefined,
): Promise<boolean> {
  const matched = await matches(password, hash ?? DUMMY_HASH);
  return matched && hash !== undefined;
}
