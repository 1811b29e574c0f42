import type { PrismaClient } from "../db/client";
import { isTokenShaped, sessionIdForToken } from "./session-token";

/** Signs out the browser holding `token`; true when a session was ended (unknown tokens are ignored). */
export async function endSession(prisma: PrismaClient, token: string): Promise<boolean> {
  if (!isTokenShaped(token)) return false;
  const ended = await prisma.session.deleteMany({ where: { id: sessionIdForToken(token) } });
  return ended.count > 0;
}
