import type { PrismaClient } from "../db/client";
import { env as loadedEnv, type Env } from "../env";
import { AuthError } from "./actor";
import { identifyRequest } from "./authorize-request";
import { safeNextPath } from "./safe-next-path";
import { clearedSessionCookies } from "./session-cookies";

export type PageAccess =
  | { readonly allow: true }
  | { readonly allow: false; readonly redirectTo: string; readonly setCookies: readonly string[] };

/**
 * Whether a page request may render (the page proxy asks). With SGG_PUBLIC_READ on, always, without
 * a database lookup. Otherwise only for a live session or the admin token; anyone else goes to
 * `/login?next=<this page>`, and a cookie of an ended session is cleared on the way.
 */
export async function pageAccess(request: Request, options: { env?: Env; prisma?: PrismaClient; now?: Date } = {}): Promise<PageAccess> {
  const config = options.env ?? loadedEnv();
  if (config.security.publicRead) return { allow: true };
  let stale = false;
  try {
    const who = await identifyRequest(request, { ...options, env: config });
    if (who.actor) return { allow: true };
    stale = who.staleCookie;
  } catch (e) {
    if (!(e instanceof AuthError)) throw e;
  }
  const url = new URL(request.url);
  const next = safeNextPath(`${url.pathname}${url.search}`);
  const redirectTo = next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`;
  return { allow: false, redirectTo, setCookies: stale ? clearedSessionCookies(config.security.secureCookies) : [] };
}
