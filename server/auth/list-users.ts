import type { PrismaClient } from "../db/client";
import { publicUserSelect, type PublicUser } from "./accounts";

/** Every user by name, with how many unexpired sessions each has (`now` defaults to the clock). */
export async function listUsers(prisma: PrismaClient, now: Date = new Date()): Promise<(PublicUser & { activeSessions: number })[]> {
  const users = await prisma.user.findMany({
    orderBy: { username: "asc" },
    select: { ...publicUserSelect, _count: { select: { sessions: { where: { expiresAt: { gt: now } } } } } },
  });
  return users.map(({ _count, ...user }) => ({ ...user, activeSessions: _count.sessions }));
}
