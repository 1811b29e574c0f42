import type { PrismaClient } from "../db/client";
import type { PublicUser } from "./accounts";
import { createSession, type NewSession } from "./create-session";
import type { LoginRateLimiter } from "./login-rate-limit";
import { verifyCredentials } from "./verify-credentials";

/** A refused sign-in: 401 for wrong credentials (never saying which part), 429 when rate-limited. */
export class SignInError extends Error {
  constructor(
    readonly status: 401 | 429,
    message: string,
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = "SignInError";
  }
}

/**
 * Checks a username and password (about 0.1 s either way) and opens a 14-day session. Failures are
 * counted per username and `client` address; past the limit the answer is `SignInError` 429 with
 * the seconds to wait, before any password is checked.
 */
export async function signIn(
  prisma: PrismaClient,
  input: { username: string; password: string; client: string },
  limiter: LoginRateLimiter,
): Promise<{ user: PublicUser; session: NewSession }> {
  const verdict = limiter.check(input.username, input.client);
  if (!verdict.allowed) {
    throw new SignInError(429, `too many failed sign-ins for this user; try again in ${Math.ceil(verdict.retryAfterS / 60)} min`, verdict.retryAfterS);
  }
  const user = await verifyCredentials(prisma, input);
  if (!user) {
    limiter.recordFailure(input.username, input.client);
    throw new SignInError(401, "wrong username or password");
  }
  limiter.recordSuccess(input.username, input.client);
  return { user, session: await createSession(prisma, user.id) };
}
