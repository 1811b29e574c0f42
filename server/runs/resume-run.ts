import type { PgBoss } from "pg-boss";
import type { PrismaClient } from "../db/generated/client";
import { enqueueJob } from "../jobs/enqueue-job";
import { getQueue } from "../jobs/queue";
import { TrainingRunError } from "./training-run-error";

const RESUMABLE = ["failed", "cancelled"] as const;

/**
 * Starts a failed or cancelled run again: a new `train` job in the same transaction as the Run going back
 * to queued. The job replays the run's event log (nothing is stored twice) and the trainer continues
 * from its newest checkpoint in the run folder.
 */
export async function resumeRun(prisma: PrismaClient, runId: number, options: { createdById: number | null; boss?: PgBoss }): Promise<{ runId: number; jobId: string }> {
  const run = await prisma.run.findUnique({ where: { id: runId }, select: { id: true, status: true } });
  if (!run) throw new TrainingRunError(`no run with id ${runId}`, "runId", "not-found");
  if (!(RESUMABLE as readonly string[]).includes(run.status)) {
    throw new TrainingRunError(`run ${runId} is ${run.status}; only failed or cancelled runs can be resumed`, "runId", "conflict");
  }
  const boss = options.boss ?? (await getQueue());
  return prisma.$transaction(async (tx) => {
    const jobId = await enqueueJob(tx, boss, "train", { runId }, { createdById: options.createdById });
    // Conditional on the state read above: two resumes at once start one job, the other rolls back.
    const { count } = await tx.run.updateMany({
      where: { id: runId, status: { in: [...RESUMABLE] } },
      data: { status: "queued", jobId, error: null, finishedAt: null },
    });
    if (count !== 1) throw new TrainingRunError(`run ${runId} changed state while resuming; try again`, "runId", "conflict");
    return { runId, jobId };
  });
}
