/**
 * Prisma clients over node-postgres (`@prisma/adapter-pg`): no native engine, works in Next server
 * code, the CLI and the workers alike.
 *
 *   const prisma = getPrisma();          // DATABASE_URL, or the embedded server's URL
 *   const prisma = getPrisma(url);       // any other database (tests, tools)
 *
 * One client (one connection pool) per URL per process, created on first use. Call
 * `disconnectAll()` before a script exits so open pools do not keep it alive.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { resolveDatabaseUrl } from "./database-url";

export type { PrismaClient } from "./generated/client";

// Kept on globalThis so that Next's development server, which re-evaluates modules on every edit,
// does not open a new pool each time.
const registry = globalThis as typeof globalThis & { __sggPrismaClients?: Map<string, PrismaClient> };
const clients = (registry.__sggPrismaClients ??= new Map<string, PrismaClient>());

export function getPrisma(url: string = resolveDatabaseUrl()): PrismaClient {
  let client = clients.get(url);
  if (!client) {
    client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
    clients.set(url, client);
  }
  return client;
}

/** Closes the client for `url`, if one was opened; a later `getPrisma(url)` opens a new one. */
export async function disconnect(url: string): Promise<void> {
  const client = clients.get(url);
  if (!client) return;
  clients.delete(url);
  await client.$disconnect();
}

export async function disconnectAll(): Promise<void> {
  const all = [...clients.values()];
  clients.clear();
  await Promise.all(all.map((c) => c.$disconnect()));
}
