/**
 * Prisma CLI configuration. Only `prisma generate` (and validate/format) is used from the CLI:
 * migrations run through scripts/db-migrate.ts, see prisma/README.md.
 */
import { defineConfig } from "prisma/config";

// Every CLI command first checks for the native schema engine and downloads it when missing, which
// fails offline. generate/validate/format never run it, so any existing file satisfies the check.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
// No update check (it would try the network on every command).
process.env.CHECKPOINT_DISABLE ??= "1";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
