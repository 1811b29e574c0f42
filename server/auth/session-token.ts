/**
 * Session tokens: 32 random bytes (base64url, 43 characters) in the cookie; only their SHA-256 goes
 * to the database, so reading the Session table does not let anyone sign in.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A fresh random token (base64url of 32 bytes). */
export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString("base64url");
}

/** True when `value` has the shape `newToken` produces (checked before any database lookup). */
export function isTokenShaped(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

/** The Session row id for a cookie token: SHA-256, hex. */
export function sessionIdForToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * Constant-time equality of two secrets of any length: both are hashed first, so neither the content
 * nor the length of the expected value leaks through timing.
 */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}
