/**
 * The PostgreSQL server that test databases are created on, chosen once per test run by
 * server/db/test-global-setup.ts:
 *
 * - `TEST_DATABASE_URL` (a server where the role may create databases), default
 *   postgresql://postgres@127.0.0.1:5432/postgres, when it answers;
 * - otherwise, or when `TEST_DATABASE_URL=embedded`, a throw-away embedded PostgreSQL in a temporary
 *   folder on a free port, removed when the run ends.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "./embedded-postgres";
import { redactUrl } from "./migrate";
import { serverAnswers } from "./server-answers";

export const DEFAULT_TEST_SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres";
/** Every test database's name starts with this, followed by the creating process id. */
export const TEST_DATABASE_PREFIX = "sgg_test_";

export interface TestServer {
  /** URL of a maintenance database on the server, used to create and drop test databases. */
  readonly adminUrl: string;
  readonly kind: "external" | "embedded";
  stop(): Promise<void>;
}

export { serverAnswers };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export async function startEmbeddedTestServer(): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "sgg-test-pg-"));
  try {
    const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: "postgres", fast: true });
    return {
      adminUrl: server.adminUrl,
      kind: "embedded",
      async stop() {
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Picks the server as described above; `warn` hears about a configured server that does not answer. */
export async function resolveTestServer(
  source: Readonly<Record<string, string | undefined>> = process.env,
  warn: (message: string) => void = (m) => console.warn(m),
): Promise<TestServer> {
  const configured = source.TEST_DATABASE_URL?.trim() || undefined;
  if (configured !== "embedded") {
    const url = configured ?? DEFAULT_TEST_SERVER_URL;
    if (await serverAnswers(url)) return { adminUrl: url, kind: "external", stop: async () => {} };
    warn(
      `test databases: ${redactUrl(url)} does not answer${configured ? " (TEST_DATABASE_URL)" : ""}; ` +
        "using a throw-away embedded PostgreSQL instead.",
    );
  }
  return startEmbeddedTestServer();
}

/**
 * Drops test databases left by test processes that no longer run (a crashed or killed run).
 * Only on a server on this machine, where process ids mean something.
 */
export async function dropOrphanedTestDatabases(adminUrl: string): Promise<string[]> {
  const host = new URL(adminUrl).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]", ""].includes(host)) return [];
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const dropped: string[] = [];
  try {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE $1",
      [`${TEST_DATABASE_PREFIX}%`],
    );
    for (const { datname } of rows) {
      const pid = Number(/^sgg_test_(\d+)_/.exec(datname)?.[1]);
      if (!pid || isAlive(pid)) continue;
      await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`);
      dropped.push(datname);
    }
  } finally {
    await client.end();
  }
  return dropped;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
