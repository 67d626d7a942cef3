// @ts-check
/**
 * The formats of admin credentials in the environment: password hashes and
 * the `ROSTER_ADMINS` list. Plain JavaScript with no server imports so that
 * `lib/env.mjs` (and through it `next.config.mjs`) can reject a malformed value
 * before the server starts, and `scripts/` can use it under tsx.
 *
 * A hash reads `scrypt:N:r:p:salt:key` (salt and key in base64url). It has no
 * `$` on purpose: Next's env loading expands `$NAME` inside values.
 */

export const HASH_SCHEME = "scrypt";

/** Bounds that keep a hash from the environment from asking for absurd work or memory. */
const LIMITS = {
  logNMin: 10,
  logNMax: 20,
  rMax: 32,
  pMax: 16,
  saltMinBytes: 16,
  keyMinBytes: 16,
  keyMaxBytes: 128,
};

/**
 * @typedef {{ N: number; r: number; p: number; salt: Buffer; key: Buffer }} PasswordHash
 * @typedef {{ email: string; hash: PasswordHash }} AdminEntry
 */

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const EMAIL = /^[^\s@,=]+@[^\s@,=]+\.[^\s@,=]+$/;

/** @param {string} text */
function positiveInt(text) {
  return /^[1-9][0-9]{0,9}$/.test(text) ? Number(text) : NaN;
}

/**
 * Parses one hash, or returns the reason it is not one (never echoing it).
 * @param {string} text
 * @returns {{ ok: true; hash: PasswordHash } | { ok: false; reason: string }}
 */
export function parsePasswordHash(text) {
  const parts = text.trim().split(":");
  if (parts.length !== 6 || parts[0] !== HASH_SCHEME) {
    return { ok: false, reason: `is not a password hash (expected ${HASH_SCHEME}:N:r:p:salt:key)` };
  }
  const [, nText = "", rText = "", pText = "", saltText = "", keyText = ""] = parts;
  const N = positiveInt(nText);
  const r = positiveInt(rText);
  const p = positiveInt(pText);
  const logN = Math.log2(N);
  if (!Number.isInteger(logN) || logN < LIMITS.logNMin || logN > LIMITS.logNMax) {
    return {
      ok: false,
      reason: `has a cost N that is not a power of 2 from 2^${LIMITS.logNMin} to 2^${LIMITS.logNMax}`,
    };
  }
  if (!(r >= 1 && r <= LIMITS.rMax) || !(p >= 1 && p <= LIMITS.pMax)) {
    return {
      ok: false,
      reason: `has r or p out of range (r 1-${LIMITS.rMax}, p 1-${LIMITS.pMax})`,
    };
  }
  if (!BASE64URL.test(saltText) || !BASE64URL.test(keyText)) {
    return { ok: false, reason: "has a salt or key that is not base64url" };
  }
  const salt = Buffer.from(saltText, "base64url");
  const key = Buffer.from(keyText, "base64url");
  if (
    salt.length < LIMITS.saltMinBytes ||
    key.length < LIMITS.keyMinBytes ||
    key.length > LIMITS.keyMaxBytes
  ) {
    return { ok: false, reason: "has a salt or key of the wrong length" };
  }
  return { ok: true, hash: { N, r, p, salt, key } };
}

/**
 * @param {PasswordHash} hash
 * @returns {string}
 */
export function formatPasswordHash(hash) {
  return [
    HASH_SCHEME,
    hash.N,
    hash.r,
    hash.p,
    hash.salt.toString("base64url"),
    hash.key.toString("base64url"),
  ].join(":");
}

/**
 * Parses `ROSTER_ADMINS`: `email=hash` entries separated by commas (spaces and
 * line breaks around entries are ignored). Emails compare case-insensitively.
 * Throws an Error saying which entry is wrong and why; the message never
 * contains a hash.
 * @param {string | undefined} value
 * @returns {AdminEntry[]}
 */
export function parseAdmins(value) {
  /** @type {AdminEntry[]} */
  const admins = [];
  if (value === undefined || value.trim() === "") return admins;
  const entries = value.split(",").map((entry) => entry.trim());
  entries.forEach((entry, index) => {
    const where = `entry ${index + 1} of ${entries.length}`;
    if (entry === "") throw new Error(`${where} is empty (check for a stray comma)`);
    // base64url has no `=`, so the last one separates the email from the hash.
    const eq = entry.lastIndexOf("=");
    if (eq <= 0) throw new Error(`${where} is not email=hash`);
    const email = entry.slice(0, eq).trim().toLowerCase();
    if (!EMAIL.test(email)) throw new Error(`${where} does not start with an email address`);
    const parsed = parsePasswordHash(entry.slice(eq + 1));
    if (!parsed.ok)
      throw new Error(
        `${where} (${email}) ${parsed.reason}; create one with npm run hash-password`,
      );
    if (admins.some((admin) => admin.email === email)) throw new Error(`${where} repeats ${email}`);
    admins.push({ email, hash: parsed.hash });
  });
  return admins;
}
