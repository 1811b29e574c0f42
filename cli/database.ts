import { env } from "../server/env";
import { disconnectAll, getPrisma, type PrismaClient } from "../server/db/client";
import { embeddedPostgresOptions, startEmbeddedPostgres, type EmbeddedPostgres } from "../server/db/embedded-postgres";
import { applyMigrations } from "../server/db/migrate";

export interface OpenDatabase {
  readonly url: string;
  readonly prisma: PrismaClient;
  close(): Promise<void>;
}

/**
 * The database a command works on: `DATABASE_URL` when set, else the embedded server (reused when the
 * workbench already runs it, started and stopped around the command otherwise). Migrations are applied
 * first, so a fresh checkout needs no separate step.
 */
export async function openDatabase(): Promise<OpenDatabase> {
  const config = env();
  let embedded: EmbeddedPostgres | undefined;
  let url = config.database.url;
  if (!url) {
    embedded = await startEmbeddedPostgres(embeddedPostgresOptions(config));
    url = embedded.url;
  }
  await applyMigrations(url);
  return {
    url,
    prisma: getPrisma(url),
    close: async () => {
      await disconnectAll();
      await embedded?.stop();
    },
  };
}

/** Runs `fn` with an open database and always closes it. */
export async function withDatabase<T>(fn: (db: OpenDatabase) => Promise<T>): Promise<T> {
  const db = await openDatabase();
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}
