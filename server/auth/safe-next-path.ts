/**
 * Where to go after signing in: only a path on this same site. Anything that a browser could read as
 * another host (`//evil.com`, `/\evil.com`, `https://evil.com`, control characters) becomes "/", so
 * the sign-in page cannot be used as an open redirect. Pure: used by the server page and the form.
 */
const BASE = "http://sgg.invalid";

export function safeNextPath(next: unknown, fallback = "/"): string {
  if (typeof next !== "string" || next.length === 0 || next.length > 2048) return fallback;
  if (!next.startsWith("/") || next.startsWith("//")) return fallback;
  // Browsers treat "\" like "/" and drop tabs and newlines, so "/\evil.com" and "/\t/evil.com" mean "//evil.com".
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Back to the sign-in page would be a loop.
  return url.pathname === "/login" || path.startsWith("//") ? fallback : path;
}
