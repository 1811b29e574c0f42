/**
 * The worker process: `node --import tsx workers/main.ts`. Serves every job name against the
 * workbench database (DATABASE_URL, or the embedded server's URL) with SGG_WORKER_CONCURRENCY jobs of
 * each name at a time, until SIGINT/SIGTERM. `./bin/sgg worker` does the same from the command line.
 */
import { disconnectAll } from "../server/db/client";
import { resolveDatabaseUrl } from "../server/db/database-url";
import { env, EnvError } from "../server/env";
import { serveUntilSignal } from "./runtime/serve-until-signal";

try {
  const config = env();
  await serveUntilSignal({ databaseUrl: resolveDatabaseUrl(config), concurrency: config.workers.concurrency });
  await disconnectAll();
  process.exit(0);
} catch (error) {
  console.error(error instanceof EnvError ? error.message : `worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
}
