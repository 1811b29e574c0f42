import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./", import.meta.url)) } },
  test: {
    include: ["**/*.test.ts", "**/*.test.tsx"],
    exclude: ["node_modules/**", ".next/**", "e2e/**", "var/**"],
    testTimeout: 30_000,
    // createTestDatabase() runs the migrations in beforeAll; on an embedded fallback server the
    // first one in each worker also loads the schema engine.
    hookTimeout: 60_000,
    // Picks the PostgreSQL server for test databases once per run (TEST_DATABASE_URL, the local
    // server, or an embedded one); see server/db/test-server.ts.
    globalSetup: ["./server/db/test-global-setup.ts"],
  },
});
