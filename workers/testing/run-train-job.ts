/**
 * Runs one attempt of the train job in its own process, as a worker would (test double of the worker
 * runner, for fault tests that kill the worker mid-run):
 *
 *   node --import tsx workers/testing/run-train-job.ts <database-url> <run-id> <job-id> [attempt]
 *
 * SIGTERM aborts the attempt like a worker shutdown. Exit code 0 when the handler resolved, 1 otherwise.
 */
import { disconnectAll, getPrisma } from "../../server/db/client";
import { enqueueJob } from "../../server/jobs/enqueue-job";
import { getQueue, stopQueues } from "../../server/jobs/queue";
import type { JobContext } from "../job-context";
import { trainHandler } from "../tasks/train";

const [databaseUrl, runId, jobId, attempt] = process.argv.slice(2);
if (!databaseUrl || !runId || !jobId) {
  console.error("usage: run-train-job.ts <database-url> <run-id> <job-id> [attempt]");
  process.exit(2);
}
const prisma = getPrisma(databaseUrl);
const stop = new AbortController();
process.on("SIGTERM", () => stop.abort(new Error("the worker stopped while this attempt ran")));
const ctx: JobContext = {
  jobId,
  attempt: Number(attempt ?? 0),
  signal: stop.signal,
  prisma,
  databaseUrl,
  progress: async (done, total) => {
    await prisma.job.update({ where: { id: jobId }, data: { progressDone: done, progressTotal: total } });
  },
  enqueue: async (name, payload) => {
    const boss = await getQueue(databaseUrl);
    return prisma.$transaction((tx) => enqueueJob(tx, boss, name, payload));
  },
  log: (m) => console.log(`[train ${jobId.slice(0, 8)}] ${m}`),
};
let code = 0;
try {
  await trainHandler({ runId: Number(runId) }, ctx);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  code = 1;
} finally {
  await stopQueues();
  await disconnectAll();
}
process.exit(code);
