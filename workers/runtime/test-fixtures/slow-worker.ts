/**
 * A worker process for the dead-worker test: its evaluate handler writes one line per attempt to a
 * marker file and then never returns, so the test can SIGKILL it mid-job.
 *
 *   node --import tsx workers/runtime/test-fixtures/slow-worker.ts '{"databaseUrl": "...", "marker": "/tmp/x", "fast": true}'
 */
import { appendFileSync } from "node:fs";
import { startWorker } from "../run-worker";
import { FAST } from "../test-support";

const { databaseUrl, marker, fast } = JSON.parse(process.argv[2] ?? "{}") as { databaseUrl: string; marker: string; fast: boolean };
await startWorker({
  databaseUrl,
  concurrency: 1,
  jobNames: ["evaluate"],
  handlers: {
    evaluate: async (_payload, ctx) => {
      appendFileSync(marker, `attempt ${ctx.attempt} pid ${process.pid}\n`);
      await new Promise(() => {});
    },
  },
  log: (line) => process.stderr.write(`${line}\n`),
  ...(fast ? FAST : {}),
});
process.stdout.write("ready\n");
