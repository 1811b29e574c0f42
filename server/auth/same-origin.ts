/**
 * Cross-site check for cookie-authenticated writes: a browser names the page a request comes from in
 * `Origin` (or at least `Referer`); it must be this server. Requests that carry neither (curl, scripts)
 * pass here and still need the CSRF token.
 */

function hostOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.host.toLowerCase() : null;
  } catch {
    return null;
  }
}

/** Host names (with port) under which this request reached the server. */
function ownHosts(request: Request): Set<string> {
  const hosts = new Set<string>();
  const host = request.headers.get("host");
  if (host) hosts.add(host.trim().toLowerCase());
  // A reverse proxy names the public host here; browsers cannot set it cross-site without a preflight.
  const forwarded = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  if (forwarded) hosts.add(forwarded.toLowerCase());
  const own = hostOf(request.url);
  if (own) hosts.add(own);
  return hosts;
}

/** Why the request looks cross-site, or null when it does not. */
export function crossSiteReason(request: Request): string | null {
  if (request.headers.get("sec-fetch-site") === "cross-site") return "the request comes from another site";
  const origin = request.headers.get("origin");
  const referer = request.headers.get("referer");
  const source = origin ?? referer;
  if (source === null) return null;
  const label = origin !== null ? "Origin" : "Referer";
  const host = hostOf(source);
  if (host === null) return `the ${label} header (${source.slice(0, 100)}) is not a web page of this server`;
  if (!ownHosts(request).has(host)) return `the ${label} header names another site (${host.slice(0, 100)})`;
  return null;
}
