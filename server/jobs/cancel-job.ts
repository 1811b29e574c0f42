/**
 * Cancelling a job: the request is recorded on the Job row and the queue job cancelled in one
 * transaction. A queued job is cancelled at once and never runs. A running one keeps status running
 * until its handler has stopped: the worker sees the request on its next Job row heartbeat (pg-boss
 * also stops renewing the cancelled claim), aborts the handler's signal, and marks the row cancelled.
 */
import type { PgBoss } from "pg-boss";
import { z } from "zod";
import type { PrismaClient } from "../db/generated/client";
import { NotFoundError } from "../queries/find-split";
import type { JobName } from "./job-payloads";
import { queueDb } from "./queue-db";

/** The job already finished; there is nothing to cancel. */
export class JobFinishedError extends Error {
  constructor(
    readonly jobId: string,
    readonly status: string,
  ) {
    super(`job ${jobId} is already ${status}; only queued or running jobs can be cancelled`);
    this.name = "JobFinishedError";
  }
}

export interface CancelResult {
  readonly id: string;
  /** cancelled: it never ran; cancelling: its running handler is being stopped. */
  readonly outcome: "cancelled" | "cancelling";
}

/**
 * Asks `jobId` to stop. Repeating the request for a job that is still stopping is harmless.
 * Throws NotFoundError for an unknown id and JobFinishedError for a finished job.
 */
export async function cancelJob(prisma: PrismaClient, boss: PgBoss, jobId: string, now = new Date()): Promise<CancelResult> {
  if (!z.uuid().safeParse(jobId).success) throw new NotFoundError(`no job with id ${jobId}`);
  return prisma.$transaction(async (tx) => {
    // Row lock: a worker claiming this job at the same moment either sees the request or runs first.
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM "Job" WHERE id = ${jobId}::uuid FOR UPDATE`;
    if (locked.length === 0) throw new NotFoundError(`no job with id ${jobId}`);
    const job = await tx.job.findUniqueOrThrow({ where: { id: jobId }, select: { name: true, status: true, cancelRequestedAt: true } });
    if (job.status !== "queued" && job.status !== "running") throw new JobFinishedError(jobId, job.status);
    await boss.cancel(job.name as JobName, jobId, { db: queueDb(tx) });
    if (job.status === "queued") {
      await tx.job.update({ where: { id: jobId }, data: { status: "cancelled", cancelRequestedAt: job.cancelRequestedAt ?? now, finishedAt: now, message: "cancelled before it started" } });
      return { id: jobId, outcome: "cancelled" as const };
    }
    await tx.job.update({ where: { id: jobId }, data: { cancelRequestedAt: job.cancelRequestedAt ?? now, message: "cancelling…" } });
    return { id: jobId, outcome: "cancelling" as const };
  });
}
