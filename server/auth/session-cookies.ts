/**
 * The two cookies of a signed-in browser, written as Set-Cookie header values (no framework needed):
 * `sgg_session` (the token; HttpOnly so page scripts never see it) and `sgg_csrf` (readable, echoed
 * by the browser client in the `x-sgg-csrf` header). Both SameSite=Lax, Path=/, Secure on request.
 */
import { CSRF_COOKIE, SESSION_COOKIE } from "./actor";

/** Session lifetime: 14 days, in seconds. */
export const SESSION_MAX_AGE_S = 14 * 24 * 60 * 60;

function cookie(name: string, value: string, opts: { maxAgeS: number; httpOnly: boolean; secure: boolean }): string {
  const parts = [`${name}=${value}`, "Path=/", `Max-Age=${opts.maxAgeS}`, "SameSite=Lax"];
  if (opts.httpOnly) parts.push("HttpOnly");
  if (opts.secure) parts.push("Secure");
  return parts.join("; ");
}

/** Set-Cookie values that sign a browser in. */
export function sessionCookies(input: { token: string; csrfToken: string; maxAgeS: number; secure: boolean }): string[] {
  return [
    cookie(SESSION_COOKIE, input.token, { maxAgeS: input.maxAgeS, httpOnly: true, secure: input.secure }),
    cookie(CSRF_COOKIE, input.csrfToken, { maxAgeS: input.maxAgeS, httpOnly: false, secure: input.secure }),
  ];
}

/** Set-Cookie values that remove both cookies (sign out, or a session the server no longer knows). */
export function clearedSessionCookies(secure: boolean): string[] {
  return [
    cookie(SESSION_COOKIE, "", { maxAgeS: 0, httpOnly: true, secure }),
    cookie(CSRF_COOKIE, "", { maxAgeS: 0, httpOnly: false, secure }),
  ];
}

/** The value of cookie `name` in a Cookie request header (the first one when repeated), or undefined. */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return undefined;
}
