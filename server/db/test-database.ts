/**
 * A fresh, migrated database for one vitest file:
 *
 *   let db: TestDatabase;
 *   beforeAll(async () => { db = await createTestDatabase(); });
 *   afterAll(async () => { await db?.drop(); });
 *   // db.prisma (a PrismaClient), db.url (for code that takes a URL)
 *
 * The server comes from server/db/test-global-setup.ts (TEST_DATABASE_URL, the local PostgreSQL,
 * or an embedded one); see .env.example.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { disconnect, getPrisma, type PrismaClient } from "./client";
import { applyMigrations } from "./migrate";
import { DEFAULT_TEST_SERVER_URL, TEST_DATABASE_PREFIX, serverAnswers } from "./test-server";

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  readonly prisma: PrismaClient;
  /** Closes the client and drops the database (idempotent). */
  drop(): Promise<void>;
}

async function testServerUrl(): Promise<string> {
  const provided = inject("sggTestServerUrl");
  if (provided) return provided;
  // Run without the project's vitest config: only a reachable configured server will do.
  const url = process.env.TEST_DATABASE_URL?.trim() || DEFAULT_TEST_SERVER_URL;
  if (url !== "embedded" && (await serverAnswers(url))) return url;
  throw new Error(
    "No test PostgreSQL: run the tests with the project's vitest.config.ts (its globalSetup falls back " +
      "to an embedded server), or set TEST_DATABASE_URL to a server that answers.",
  );
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates a uniquely named database on the test server and applies every migration to it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = await testServerUrl();
  const name = `${TEST_DATABASE_PREFIX}${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl, name);
  let dropped: Promise<void> | undefined;
  const drop = () =>
    (dropped ??= (async () => {
      await disconnect(url);
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    })());
  try {
    await applyMigrations(url);
  } catch (error) {
    await drop().catch(() => {});
    throw error;
  }
  return { name, url, prisma: getPrisma(url), drop };
}
