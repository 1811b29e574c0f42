/**
 * Password hashing with scrypt (node:crypto): a random 16-byte salt per hash, stored as
 * `scrypt$N$r$p$salt$hash` (salt and hash in base64) so parameters can be raised later without
 * invalidating old hashes.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { z } from "zod";

/** N = 2^15, r = 8: 32 MiB and about 0.1 s per hash on one core of the reference machine. */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
// A stored hash is trusted input, but a tampered row must not make one login eat gigabytes.
const MAX_N = 2 ** 20;

export const PASSWORD_MIN_LENGTH = 10;
// Long enough for any passphrase, short enough that hashing stays cheap for a hostile request.
export const PASSWORD_MAX_LENGTH = 1024;

/** A new password: 10 to 1024 characters, anything allowed (spaces and unicode included). */
export const newPasswordSchema = z
  .string("the password must be text")
  .min(PASSWORD_MIN_LENGTH, `the password needs at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `the password may have at most ${PASSWORD_MAX_LENGTH} characters`);

function scrypt(password: string, salt: Buffer, params: { N: number; r: number; p: number }, keylen: number): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) =>
    // NFC so the same passphrase typed on different systems gives the same bytes.
    scryptCallback(password.normalize("NFC"), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Hashes `password` with a fresh salt; takes about 0.1 s (scrypt, N = 2^15). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const { N, r, p } = SCRYPT_PARAMS;
  const key = await scrypt(password, salt, SCRYPT_PARAMS, KEY_BYTES);
  return ["scrypt", N, r, p, salt.toString("base64"), key.toString("base64")].join("$");
}

interface ParsedHash {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly key: Buffer;
}

const HASH_PATTERN = /^scrypt\$(\d{1,8})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

function parseHash(stored: string): ParsedHash | null {
  const m = HASH_PATTERN.exec(stored);
  if (!m) return null;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const powerOfTwo = (N & (N - 1)) === 0;
  if (!(N > 1 && N <= MAX_N && powerOfTwo && r >= 1 && r <= 32 && p >= 1 && p <= 16)) return null;
  const salt = Buffer.from(m[4] ?? "", "base64");
  const key = Buffer.from(m[5] ?? "", "base64");
  if (salt.length < 8 || key.length < 16) return null;
  return { N, r, p, salt, key };
}

/**
 * True when `password` matches `stored`. Compares in constant time; a malformed stored hash is
 * false, never an exception, so one bad row cannot break sign-in for the others.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const key = await scrypt(password, parsed.salt, parsed, parsed.key.length);
  return timingSafeEqual(key, parsed.key);
}
