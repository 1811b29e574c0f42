import type { PgBoss } from "pg-boss";
import type { PrismaClient } from "../db/generated/client";
import { cancelJob, JobFinishedError } from "../jobs/cancel-job";
import { getQueue } from "../jobs/queue";
import { NotFoundError } from "../queries/find-split";
import { TrainingRunError } from "./training-run-error";

export interface CancelRunResult {
  /** The run's status after the call: cancelled at once when its job had not started (or was gone),
   * else still running until the train job sees the request, stops the trainer and marks it cancelled. */
  readonly status: string;
  /** False when the run had already finished; nothing was changed. */
  readonly requested: boolean;
}

/**
 * Cancels a run through its `train` job (server/jobs/cancel-job.ts): a job that has not started never
 * runs and the run is marked cancelled here; a running job's handler gets its abort signal, kills the
 * trainer's process group (or scancels the Slurm job) and marks the run cancelled. Finished runs are
 * left as they are.
 */
export async function cancelRun(prisma: PrismaClient, runId: number, options: { boss?: PgBoss } = {}): Promise<CancelRunResult> {
  const run = await prisma.run.findUnique({ where: { id: runId }, select: { id: true, status: true, jobId: true } });
  if (!run) throw new TrainingRunError(`no run with id ${runId}`, "runId", "not-found");
  if (run.status !== "queued" && run.status !== "running") return { status: run.status, requested: false };
  let stopsNow = true;
  if (run.jobId) {
    try {
      const r = await cancelJob(prisma, options.boss ?? (await getQueue()), run.jobId);
      stopsNow = r.outcome === "cancelled";
    } catch (e) {
      // The job is gone or finished (a dead worker's last attempt): nothing will mark the run, so do it here.
      if (!(e instanceof JobFinishedError || e instanceof NotFoundError)) throw e;
    }
  }
  if (!stopsNow) return { status: "running", requested: true };
  await prisma.run.updateMany({ where: { id: runId, status: { in: ["queued", "running"] } }, data: { status: "cancelled", finishedAt: new Date() } });
  return { status: "cancelled", requested: true };
}
