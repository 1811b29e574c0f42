/**
 * Who is asking. Every mutating route and every job-starting action needs an actor; read-only
 * browsing may go without one when SGG_PUBLIC_READ is on.
 */
export type Actor =
  | { readonly kind: "user"; readonly userId: number; readonly username: string; readonly role: "admin" | "researcher" }
  | { readonly kind: "admin-token" };

/** 401: nobody signed in; 403: signed in but not allowed, or a request that fails the CSRF check. */
export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
    this.name = "AuthError";
  }
}

/** 401 for a session cookie the server no longer knows (expired, signed out, password changed): answers clear the cookies. */
export class SessionExpiredError extends AuthError {
  constructor(message: string) {
    super(401, message);
    this.name = "SessionExpiredError";
  }
}

/** The user id to record as creator (null for the admin token). */
export function actorUserId(actor: Actor): number | null {
  return actor.kind === "user" ? actor.userId : null;
}

/** Cookie and header names shared by the server checks and the browser client. */
export const SESSION_COOKIE = "sgg_session";
export const CSRF_COOKIE = "sgg_csrf";
export const CSRF_HEADER = "x-sgg-csrf";
