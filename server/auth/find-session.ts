import type { PrismaClient } from "../db/client";
import type { Role } from "./accounts";
import { isTokenShaped, sessionIdForToken } from "./session-token";

export interface ActiveSession {
  readonly sessionId: string;
  readonly csrfToken: string;
  readonly expiresAt: Date;
  readonly user: { readonly id: number; readonly username: string; readonly role: Role };
}

/**
 * The live session for a cookie token, or null when the token is malformed, unknown or expired at
 * `now` (an expired row is deleted on sight). One primary-key lookup.
 */
export async function findSession(prisma: PrismaClient, token: string, now: Date = new Date()): Promise<ActiveSession | null> {
  if (!isTokenShaped(token)) return null;
  const id = sessionIdForToken(token);
  const row = await prisma.session.findUnique({
    where: { id },
    select: { id: true, csrfToken: true, expiresAt: true, user: { select: { id: true, username: true, role: true } } },
  });
  if (!row) return null;
  if (row.expiresAt.getTime() <= now.getTime()) {
    await prisma.session.deleteMany({ where: { id } });
    return null;
  }
  return { sessionId: row.id, csrfToken: row.csrfToken, expiresAt: row.expiresAt, user: row.user };
}
