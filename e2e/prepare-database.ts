/**
 * The e2e suite's database: `create` makes a fresh database on the test server (TEST_DATABASE_URL, the
 * local PostgreSQL, or an embedded one), applies migrations, seeds the demo data into it and an image
 * store folder, and prints `DATABASE_URL=… SGG_DATA_DIR=…` lines for the shell; `drop NAME` removes it.
 */
import { execFileSync } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { applyMigrations } from "../server/db/migrate";
import { serverAnswers } from "../server/db/test-server";

const admin = process.env.TEST_DATABASE_URL?.trim() || "postgresql://postgres@127.0.0.1:5432/postgres";
const [cmd, arg] = process.argv.slice(2);

if (!(await serverAnswers(admin))) {
  console.error(`e2e: the test PostgreSQL at ${admin} does not answer (set TEST_DATABASE_URL)`);
  process.exit(1);
}
const client = new pg.Client({ connectionString: admin });
await client.connect();
if (cmd === "create") {
  const name = `sgg_e2e_${process.pid}`;
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.query(`CREATE DATABASE ${name}`);
  const u = new URL(admin);
  u.pathname = `/${name}`;
  const url = u.toString();
  await applyMigrations(url);
  const dataDir = await mkdtemp(path.join(tmpdir(), "sgg-e2e-"));
  execFileSync(path.resolve("bin/sgg"), ["seed-demo", "--synthetic", "60"], { env: { ...process.env, DATABASE_URL: url, SGG_DATA_DIR: dataDir }, stdio: ["ignore", process.stderr, "inherit"] });
  process.stdout.write(`DATABASE_URL=${url}\nSGG_DATA_DIR=${dataDir}\nE2E_DATABASE=${name}\n`);
} else if (cmd === "drop" && arg) {
  await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(arg)} WITH (FORCE)`);
} else {
  console.error("usage: prepare-database.ts create | drop NAME");
  process.exitCode = 2;
}
await client.end();
