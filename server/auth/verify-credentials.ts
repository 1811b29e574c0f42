import type { PrismaClient } from "../db/client";
import type { PublicUser } from "./accounts";
import { usernameSchema } from "./accounts";
import { hashPassword, PASSWORD_MAX_LENGTH, verifyPassword } from "./password";

// Made once per process with today's parameters, so checking it costs what checking a real hash costs.
let dummyHash: Promise<string> | undefined;
function dummy(): Promise<string> {
  return (dummyHash ??= hashPassword("not a password: equalises the time of an unknown user"));
}

/**
 * The user whose name and password match, or null. Takes one scrypt verification (about 0.1 s)
 * whether or not the user exists, so timing does not reveal which usernames are taken. Input that
 * could never be a valid name or password is treated as a miss, not an error.
 */
export async function verifyCredentials(
  prisma: PrismaClient,
  input: { username: unknown; password: unknown },
): Promise<PublicUser | null> {
  const name = usernameSchema.safeParse(input.username);
  const password = typeof input.password === "string" && input.password.length <= PASSWORD_MAX_LENGTH ? input.password : "";
  const user = name.success ? await prisma.user.findUnique({ where: { username: name.data } }) : null;
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummy()));
  if (!user || !ok || password === "") return null;
  return { id: user.id, username: user.username, role: user.role, createdAt: user.createdAt };
}
