/**
 * Database migrations (the Prisma CLI's `migrate` needs a native engine that cannot be downloaded
 * here; this drives the same engine compiled to WebAssembly, see server/db/migrate.ts).
 *
 *   node --import tsx scripts/db-migrate.ts deploy            apply pending migrations
 *   node --import tsx scripts/db-migrate.ts dev <name>        write a migration for schema changes, apply it
 *   node --import tsx scripts/db-migrate.ts dev <name> --create-only
 *   node --import tsx scripts/db-migrate.ts status            compare prisma/migrations with the database
 *   node --import tsx scripts/db-migrate.ts diff [--exit-code] SQL the schema needs beyond the migrations
 *
 * Database: --url <url>, else DATABASE_URL, else the embedded server (started for the command and
 * stopped again if it is not already running).
 *
 * Exit codes: 0 done / up to date; 1 error; 2 usage; 3 `status` found the database not up to date;
 * 4 `diff --exit-code` found schema changes without a migration.
 */
import { parseArgs } from "node:util";
import { EnvError, env } from "../server/env";
import { resolveDatabaseUrl, usesEmbeddedDatabase } from "../server/db/database-url";
import { embeddedPostgresOptions, startEmbeddedPostgres, type EmbeddedPostgres } from "../server/db/embedded-postgres";
import { applyMigrations, createMigration, migrationStatus, pendingSchemaSql, redactUrl } from "../server/db/migrate";

const USAGE = `usage: db-migrate <command> [--url <postgres-url>]

commands:
  deploy                     apply every pending migration in prisma/migrations
  dev <name> [--create-only] create prisma/migrations/<timestamp>_<name> from schema changes and apply it
  status                     compare prisma/migrations with the database's history (exit 3: not up to date)
  diff [--exit-code]         print the SQL the schema needs beyond the migrations (exit 4 with --exit-code
                             when there is any)`;

const EXIT = { ok: 0, error: 1, usage: 2, notUpToDate: 3, schemaChanged: 4 } as const;

function fail(message: string, code: number = EXIT.error): never {
  console.error(`db-migrate: ${message}`);
  process.exit(code);
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        url: { type: "string" },
        "create-only": { type: "boolean", default: false },
        "exit-code": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`, EXIT.usage);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  if (!command || !["deploy", "dev", "status", "diff"].includes(command)) {
    fail(command ? `unknown command "${command}"\n${USAGE}` : USAGE, EXIT.usage);
  }
  if (command === "dev" ? rest.length !== 1 : rest.length !== 0) {
    fail(command === "dev" ? `dev needs exactly one migration name\n${USAGE}` : `unexpected "${rest.join(" ")}"\n${USAGE}`, EXIT.usage);
  }

  let config;
  try {
    config = env();
  } catch (error) {
    if (error instanceof EnvError) fail(error.message);
    throw error;
  }

  let embedded: EmbeddedPostgres | undefined;
  let url = values.url;
  if (!url) {
    if (usesEmbeddedDatabase(config)) {
      embedded = await startEmbeddedPostgres(embeddedPostgresOptions(config));
      url = embedded.url;
      console.log(`db-migrate: using the embedded PostgreSQL (${embedded.owned ? "started for this command" : "already running"}, port ${embedded.port})`);
    } else {
      url = resolveDatabaseUrl(config);
    }
  }
  const where = redactUrl(url);

  try {
    switch (command) {
      case "deploy": {
        const { applied } = await applyMigrations(url);
        console.log(applied.length ? `Applied ${applied.length} migration(s) to ${where}:\n  ${applied.join("\n  ")}` : `No pending migrations; ${where} is up to date.`);
        return EXIT.ok;
      }
      case "dev": {
        const r = await createMigration(url, rest[0]!, { createOnly: values["create-only"] });
        if (!r.created) {
          if (r.applied.length) console.log(`Applied: ${r.applied.join(", ")}`);
          console.log("The schema matches the migrations; no new migration.");
        } else {
          console.log(`Created prisma/migrations/${r.created}/migration.sql`);
          console.log(values["create-only"] ? "Not applied (--create-only); review it, then run deploy." : `Applied to ${where}: ${r.applied.join(", ")}`);
        }
        return EXIT.ok;
      }
      case "status": {
        const s = await migrationStatus(url);
        console.log(`${s.local.length} migration(s) in prisma/migrations; database ${where}`);
        if (!s.hasMigrationsTable) console.log("  the database has no migration history yet (_prisma_migrations)");
        for (const name of s.failedMigrationNames) console.log(`  FAILED:  ${name} (fix the database, then mark it rolled back)`);
        for (const name of s.editedMigrationNames) console.log(`  EDITED:  ${name} (changed after it was applied)`);
        const h = s.history;
        if (h?.diagnostic === "databaseIsBehind") for (const n of h.unappliedMigrationNames) console.log(`  pending: ${n}`);
        if (h?.diagnostic === "migrationsDirectoryIsBehind") for (const n of h.unpersistedMigrationNames) console.log(`  unknown: ${n} (applied to the database, missing here)`);
        if (h?.diagnostic === "historiesDiverge") {
          console.log(`  histories diverge after ${h.lastCommonMigrationName ?? "(the start)"}`);
          for (const n of h.unappliedMigrationNames) console.log(`  pending: ${n}`);
          for (const n of h.unpersistedMigrationNames) console.log(`  unknown: ${n} (applied to the database, missing here)`);
        }
        console.log(s.upToDate ? "Database schema is up to date." : "Database schema is NOT up to date.");
        return s.upToDate ? EXIT.ok : EXIT.notUpToDate;
      }
      case "diff": {
        const sql = await pendingSchemaSql(url);
        console.log(sql ?? "-- The schema matches the migrations.");
        return sql && values["exit-code"] ? EXIT.schemaChanged : EXIT.ok;
      }
    }
    return EXIT.usage;
  } finally {
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => fail(error instanceof Error ? error.message : String(error)),
);
