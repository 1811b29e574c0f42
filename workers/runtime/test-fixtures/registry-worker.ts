/**
 * A worker process with the real handlers of the registry, for fault tests that SIGKILL it mid-job.
 * Prints "ready" once it claims jobs. SGG_DATA_DIR and friends come from the environment.
 *
 *   node --import tsx workers/runtime/test-fixtures/registry-worker.ts '{"databaseUrl": "...", "jobNames": ["predict"]}'
 */
import type { JobName } from "../../../server/jobs/job-payloads";
import { startWorker } from "../run-worker";
import { FAST } from "../test-support";

const { databaseUrl, jobNames } = JSON.parse(process.argv[2] ?? "{}") as { databaseUrl: string; jobNames?: JobName[] };
await startWorker({ databaseUrl, concurrency: 1, jobNames, log: (line) => process.stderr.write(`${line}\n`), ...FAST });
process.stdout.write("ready\n");
