import { NextResponse } from "next/server";
import { mutation } from "@/app/api/_lib/route";
import { SESSION_COOKIE } from "@/server/auth/actor";
import { endSession } from "@/server/auth/end-session";
import { clearedSessionCookies, readCookie } from "@/server/auth/session-cookies";
import { getPrisma } from "@/server/db/client";
import { env } from "@/server/env";

/** Signs this browser out: ends its session and clears both cookies. */
export const POST = mutation({}, async ({ request }) => {
  const token = readCookie(request.headers.get("cookie"), SESSION_COOKIE);
  if (token) await endSession(getPrisma(), token);
  const response = NextResponse.json({ ok: true });
  for (const cookie of clearedSessionCookies(env().security.secureCookies)) response.headers.append("set-cookie", cookie);
  return response;
});
