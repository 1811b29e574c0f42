import { NextResponse } from "next/server";
import { errorResponse } from "@/app/api/_lib/route";
import { identifyRequest } from "@/server/auth/authorize-request";
import { clearedSessionCookies } from "@/server/auth/session-cookies";
import { env } from "@/server/env";

/**
 * Who this browser is signed in as: `{ user: { username, role } | null, publicRead }`. Answers for
 * anonymous visitors too (the sign-in link needs it); a cookie of an ended session is cleared.
 */
export async function GET(request: Request): Promise<Response> {
  try {
    const who = await identifyRequest(request);
    const actor = who.actor;
    const user =
      actor?.kind === "user" ? { username: actor.username, role: actor.role } : actor?.kind === "admin-token" ? { username: "admin token", role: "admin" } : null;
    const response = NextResponse.json({ user, publicRead: env().security.publicRead }, { headers: { "cache-control": "no-store" } });
    if (who.staleCookie) for (const cookie of clearedSessionCookies(env().security.secureCookies)) response.headers.append("set-cookie", cookie);
    return response;
  } catch (e) {
    return errorResponse(e);
  }
}
