import type { PrismaClient } from "../db/client";
import { AccountError, parseAccountField, usernameSchema } from "./accounts";

/**
 * Deletes a user and their sessions. Jobs and runs they started stay, with no creator recorded
 * (the schema's `onDelete: SetNull`). Throws `AccountError` ("not-found") for an unknown name.
 */
export async function removeUser(prisma: PrismaClient, input: { username: unknown }): Promise<void> {
  const username = parseAccountField(usernameSchema, input.username, "username");
  const removed = await prisma.user.deleteMany({ where: { username } });
  if (removed.count === 0) throw new AccountError("not-found", `no user named "${username}"`, "username");
}
