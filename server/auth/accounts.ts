/**
 * What every account operation shares: the username rule, the public shape of a user (never the
 * password hash) and the error the CLI and routes show as is.
 */
import { z } from "zod";

export const USERNAME_MAX_LENGTH = 64;

/**
 * A username: 1-64 characters of a-z, 0-9, `.`, `_` and `-`, starting with a letter or digit, case
 * folded to lower case. Plain ASCII keeps look-alike names (Cyrillic "а" for "a") from impersonating
 * each other.
 */
export const usernameSchema = z
  .string("the username must be text")
  .trim()
  .toLowerCase()
  .min(1, "the username is empty")
  .max(USERNAME_MAX_LENGTH, `the username may have at most ${USERNAME_MAX_LENGTH} characters`)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "the username may use only letters a-z, digits, '.', '_' and '-', and must start with a letter or digit");

export const ROLES = ["admin", "researcher"] as const;
export type Role = (typeof ROLES)[number];

/** A user as any API or command shows it. */
export interface PublicUser {
  readonly id: number;
  readonly username: string;
  readonly role: Role;
  readonly createdAt: Date;
}

/** Prisma `select` for `PublicUser`: the password hash is never read where it is not needed. */
export const publicUserSelect = { id: true, username: true, role: true, createdAt: true } as const;

/** A rule an account operation broke (name taken, unknown user, weak password); safe to show. */
export class AccountError extends Error {
  constructor(
    readonly code: "exists" | "not-found" | "invalid",
    message: string,
    readonly field?: "username" | "password",
  ) {
    super(message);
    this.name = "AccountError";
  }
}

/** Parses with `schema` or throws `AccountError` with the first issue's message. */
export function parseAccountField<T>(schema: z.ZodType<T>, value: unknown, field: "username" | "password"): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AccountError("invalid", parsed.error.issues[0]?.message ?? `invalid ${field}`, field);
  return parsed.data;
}
