import type { PrismaClient } from "../db/client";
import { Prisma } from "../db/generated/client";
import { AccountError, parseAccountField, publicUserSelect, usernameSchema, type PublicUser, type Role } from "./accounts";
import { hashPassword, newPasswordSchema } from "./password";

/**
 * Creates an account. The username is validated and lower-cased (`usernameSchema`), the password
 * must have 10+ characters and is stored only as an scrypt hash. Throws `AccountError` ("invalid"
 * naming the field, or "exists" when the name is taken).
 */
export async function createUser(
  prisma: PrismaClient,
  input: { username: unknown; password: unknown; role?: Role },
): Promise<PublicUser> {
  const username = parseAccountField(usernameSchema, input.username, "username");
  const password = parseAccountField(newPasswordSchema, input.password, "password");
  const passwordHash = await hashPassword(password);
  try {
    return await prisma.user.create({ data: { username, passwordHash, role: input.role ?? "researcher" }, select: publicUserSelect });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      throw new AccountError("exists", `a user named "${username}" already exists`, "username");
    }
    throw e;
  }
}
