import type { PrismaClient } from "../db/client";
import { AccountError, parseAccountField, usernameSchema } from "./accounts";
import { hashPassword, newPasswordSchema } from "./password";

/**
 * Replaces a user's password (10+ characters) and signs out every browser of that user, so a
 * leaked password stops working everywhere at once. Returns the number of sessions ended.
 */
export async function setPassword(prisma: PrismaClient, input: { username: unknown; password: unknown }): Promise<{ sessionsEnded: number }> {
  const username = parseAccountField(usernameSchema, input.username, "username");
  const password = parseAccountField(newPasswordSchema, input.password, "password");
  const passwordHash = await hashPassword(password);
  return prisma.$transaction(async (tx) => {
    const updated = await tx.user.updateMany({ where: { username }, data: { passwordHash } });
    if (updated.count === 0) throw new AccountError("not-found", `no user named "${username}"`, "username");
    const ended = await tx.session.deleteMany({ where: { user: { username } } });
    return { sessionsEnded: ended.count };
  });
}
