/**
 * vitest globalSetup: chooses the test PostgreSQL server once per run (see test-server.ts) and hands
 * its URL to the test files, where `createTestDatabase()` makes one database per file on it.
 */
import type { TestProject } from "vitest/node";
import { dropOrphanedTestDatabases, resolveTestServer } from "./test-server";

declare module "vitest" {
  export interface ProvidedContext {
    /** Maintenance-database URL of the test server; see server/db/test-server.ts. */
    sggTestServerUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await resolveTestServer();
  await dropOrphanedTestDatabases(server.adminUrl).catch(() => []);
  project.provide("sggTestServerUrl", server.adminUrl);
  return async () => {
    await server.stop();
  };
}
