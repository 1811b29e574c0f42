/**
 * Decides who a request comes from and whether it may proceed.
 *
 * First cut: the admin token (Authorization: Bearer) only. Sessions, CSRF and public reads are added in
 * this same function, so routes never change.
 */
import { timingSafeEqual } from "node:crypto";
import { env } from "../env";
import { AuthError, type Actor } from "./actor";

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Returns the actor, or null for an anonymous read that is allowed. Throws `AuthError` (401/403) when
 * the request may not proceed. `mutating` requests always need an actor.
 */
export async function authorizeRequest(request: Request, options: { mutating: boolean }): Promise<Actor | null> {
  const token = env().security.adminToken;
  const header = request.headers.get("authorization") ?? "";
  if (token && header.startsWith("Bearer ") && sameSecret(header.slice(7).trim(), token)) return { kind: "admin-token" };
  if (options.mutating) throw new AuthError(401, "sign in to do this");
  if (!env().security.publicRead) throw new AuthError(401, "sign in to browse this workbench");
  return null;
}
