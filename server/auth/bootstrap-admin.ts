import { randomBytes } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { PrismaClient } from "../db/client";
import { AccountError } from "./accounts";
import { createUser } from "./create-user";

export const BOOTSTRAP_USERNAME = "admin";
export const BOOTSTRAP_PASSWORD_FILE = "admin-password.txt";

export type BootstrapResult =
  | { readonly created: false; readonly users: number }
  | {
      readonly created: true;
      readonly username: string;
      readonly password: string;
      /** Where the password was written, or null with `fileError` when that failed. */
      readonly passwordFile: string | null;
      readonly fileError?: string;
    };

/**
 * First start: when no user exists, creates `admin` (role admin) with a random 24-character password
 * and writes it to `<dataDir>/admin-password.txt` (mode 0600). Does nothing when any user exists, so
 * every start may call it. Two concurrent calls create one admin: the loser sees the name taken.
 * A file that cannot be written is reported, not thrown: the caller still has the password to show.
 */
export async function bootstrapAdmin(prisma: PrismaClient, dataDir: string): Promise<BootstrapResult> {
  const users = await prisma.user.count();
  if (users > 0) return { created: false, users };
  const password = randomBytes(18).toString("base64url");
  try {
    await createUser(prisma, { username: BOOTSTRAP_USERNAME, password, role: "admin" });
  } catch (e) {
    if (e instanceof AccountError && e.code === "exists") return { created: false, users: await prisma.user.count() };
    throw e;
  }
  const passwordFile = path.join(dataDir, BOOTSTRAP_PASSWORD_FILE);
  try {
    await mkdir(dataDir, { recursive: true });
    // `mode` applies only to a new file: remove an old one rather than write into its looser bits.
    await rm(passwordFile, { force: true });
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600, flag: "wx" });
    return { created: true, username: BOOTSTRAP_USERNAME, password, passwordFile };
  } catch (e) {
    return { created: true, username: BOOTSTRAP_USERNAME, password, passwordFile: null, fileError: `${passwordFile}: ${(e as Error).message}` };
  }
}
