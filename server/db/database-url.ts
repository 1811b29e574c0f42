/**
 * Which PostgreSQL the workbench talks to: `DATABASE_URL` when set, otherwise the embedded server
 * that scripts/start.sh starts (server/db/embedded-postgres.ts) on `SGG_EMBEDDED_PG_PORT`.
 *
 * Safe to import anywhere (Next included): it only reads the validated environment.
 */
import { env, type Env } from "../env";

/** The embedded server's role, password and database. It listens on 127.0.0.1 only. */
export const EMBEDDED_USER = "postgres";
export const EMBEDDED_PASSWORD = "postgres";
export const EMBEDDED_DATABASE = "sgg";

export function embeddedDatabaseUrl(port: number, database: string = EMBEDDED_DATABASE): string {
  return `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${database}`;
}

/** True when `DATABASE_URL` is unset, i.e. the workbench uses its embedded server. */
export function usesEmbeddedDatabase(config: Env = env()): boolean {
  return config.database.url === undefined;
}

export function resolveDatabaseUrl(config: Env = env()): string {
  return config.database.url ?? embeddedDatabaseUrl(config.database.embeddedPort);
}
