import { randomBytes } from "node:crypto";
import type { PrismaClient } from "../db/client";
import { SESSION_MAX_AGE_S } from "./session-cookies";
import { newToken, sessionIdForToken } from "./session-token";

export interface NewSession {
  /** Goes into the `sgg_session` cookie and nowhere else; the database keeps only its SHA-256. */
  readonly token: string;
  /** Goes into the readable `sgg_csrf` cookie; mutating requests echo it in `x-sgg-csrf`. */
  readonly csrfToken: string;
  readonly expiresAt: Date;
  /** Seconds until `expiresAt`, for the cookies' Max-Age. */
  readonly maxAgeS: number;
}

/**
 * Signs `userId` in: a new Session row (id = SHA-256 of a 32-byte random token, its own random CSRF
 * token) valid for 14 days (`maxAgeS` to change). The user's expired sessions are removed on the
 * way, so the table does not grow without bound.
 */
export async function createSession(
  prisma: PrismaClient,
  userId: number,
  options: { now?: Date; maxAgeS?: number } = {},
): Promise<NewSession> {
  const now = options.now ?? new Date();
  const maxAgeS = options.maxAgeS ?? SESSION_MAX_AGE_S;
  const token = newToken();
  const csrfToken = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + maxAgeS * 1000);
  await prisma.$transaction([
    prisma.session.deleteMany({ where: { userId, expiresAt: { lte: now } } }),
    prisma.session.create({ data: { id: sessionIdForToken(token), userId, csrfToken, createdAt: now, expiresAt } }),
  ]);
  return { token, csrfToken, expiresAt, maxAgeS };
}
