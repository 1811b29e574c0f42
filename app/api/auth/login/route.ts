import { NextResponse } from "next/server";
import { z } from "zod";
import { publicMutation } from "@/app/api/_lib/route";
import { clientAddress, loginRateLimiter } from "@/server/auth/login-rate-limit";
import { sessionCookies } from "@/server/auth/session-cookies";
import { signIn, SignInError } from "@/server/auth/sign-in";
import { getPrisma } from "@/server/db/client";
import { env } from "@/server/env";

// Loose on purpose: any string is checked (and fails) the same way, so the answer never says whether a name exists.
const bodySchema = z.object({
  username: z.string().max(256, "the username is too long"),
  password: z.string().max(4096, "the password is too long"),
});

/** Signs in: sets the session and CSRF cookies and answers `{ username, role }`; 401 wrong credentials, 429 too many failures. */
export const POST = publicMutation({ body: bodySchema }, async ({ body, request }) => {
  try {
    const { user, session } = await signIn(getPrisma(), { ...body, client: clientAddress(request) }, loginRateLimiter());
    const response = NextResponse.json({ username: user.username, role: user.role });
    for (const cookie of sessionCookies({ ...session, secure: env().security.secureCookies })) response.headers.append("set-cookie", cookie);
    return response;
  } catch (e) {
    if (!(e instanceof SignInError)) throw e;
    const headers: Record<string, string> = e.retryAfterS ? { "retry-after": String(e.retryAfterS) } : {};
    return NextResponse.json({ error: e.message }, { status: e.status, headers });
  }
});
