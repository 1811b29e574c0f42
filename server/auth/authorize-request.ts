/**
 * Decides who a request comes from and whether it may proceed, for every API route (through
 * app/api/_lib/route.ts) and the page proxy. Order: the admin token (Authorization: Bearer), then the
 * session cookie; writes with a session also need the CSRF header and a same-site Origin/Referer;
 * anonymous reads only when SGG_PUBLIC_READ is on.
 */
import { getPrisma, type PrismaClient } from "../db/client";
import { env as loadedEnv, type Env } from "../env";
import { AuthError, CSRF_HEADER, SESSION_COOKIE, SessionExpiredError, type Actor } from "./actor";
import { findSession, type ActiveSession } from "./find-session";
import { crossSiteReason } from "./same-origin";
import { readCookie } from "./session-cookies";
import { sameSecret } from "./session-token";

export interface AuthorizeOptions {
  readonly mutating: boolean;
  /** Defaults: the process environment, its database and the clock (tests pass their own). */
  readonly env?: Env;
  readonly prisma?: PrismaClient;
  readonly now?: Date;
}

export interface Identity {
  readonly actor: Actor;
  /** The session behind a cookie actor; null for the admin token. */
  readonly session: ActiveSession | null;
}

function adminActor(request: Request, config: Env): Actor | null {
  // Other schemes (Basic from a reverse proxy in front of the workbench) are not ours: ignored, never admin.
  const match = /^Bearer(?: +(.*))?$/i.exec(request.headers.get("authorization")?.trim() ?? "");
  if (!match) return null;
  if (!match[1]) throw new AuthError(401, "the Authorization header must be 'Bearer <admin token>'");
  const expected = config.security.adminToken;
  if (!expected) throw new AuthError(401, "this server has no admin token (SGG_ADMIN_TOKEN is not set)");
  if (!sameSecret(match[1], expected)) throw new AuthError(401, "the admin token is wrong");
  return { kind: "admin-token" };
}

/**
 * Who sent `request`, without deciding what they may do: the admin token, a live session, or null
 * (nobody; also a cookie whose session is unknown or expired, reported by `staleCookie`). A wrong or
 * malformed admin token throws `AuthError` 401 rather than falling back to anonymous.
 */
export async function identifyRequest(
  request: Request,
  options: Omit<AuthorizeOptions, "mutating"> = {},
): Promise<(Identity & { staleCookie: false }) | { actor: null; session: null; staleCookie: boolean }> {
  const config = options.env ?? loadedEnv();
  const admin = adminActor(request, config);
  if (admin) return { actor: admin, session: null, staleCookie: false };
  const token = readCookie(request.headers.get("cookie"), SESSION_COOKIE);
  if (!token) return { actor: null, session: null, staleCookie: false };
  const session = await findSession(options.prisma ?? getPrisma(), token, options.now);
  if (!session) return { actor: null, session: null, staleCookie: true };
  const { id, username, role } = session.user;
  return { actor: { kind: "user", userId: id, username, role }, session, staleCookie: false };
}

/**
 * Returns the actor, or null for an anonymous read that is allowed. Throws `AuthError` 401 (nobody,
 * or a session that ended: `SessionExpiredError`) or 403 (a write without the matching CSRF header,
 * or from another site). `mutating` requests always need an actor.
 */
export async function authorizeRequest(request: Request, options: AuthorizeOptions): Promise<Actor | null> {
  const config = options.env ?? loadedEnv();
  const who = await identifyRequest(request, options);
  if (who.actor === null) {
    if (who.staleCookie && (options.mutating || !config.security.publicRead)) {
      throw new SessionExpiredError("your session has expired or was ended; sign in again");
    }
    if (options.mutating) throw new AuthError(401, "sign in to do this");
    if (!config.security.publicRead) throw new AuthError(401, "sign in to browse this workbench");
    return null;
  }
  if (options.mutating && who.session) {
    const given = request.headers.get(CSRF_HEADER);
    if (!given) throw new AuthError(403, `missing the ${CSRF_HEADER} header: send the sgg_csrf cookie's value with every change`);
    if (!sameSecret(given, who.session.csrfToken)) throw new AuthError(403, `the ${CSRF_HEADER} header does not match this session`);
    const crossSite = crossSiteReason(request);
    if (crossSite) throw new AuthError(403, `refused a cross-site request: ${crossSite}`);
  }
  return who.actor;
}
