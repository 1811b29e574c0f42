import type { PgBoss } from "pg-boss";
import type { PrismaClient } from "../db/generated/client";
import { NotFoundError } from "../queries/find-split";
import type { CompatFlag } from "../scene-graph/types";
import { enqueueJob } from "./enqueue-job";

/** The prediction set cannot be evaluated now (still being filled, or its predict job failed). */
export class PredictionSetNotReadyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PredictionSetNotReadyError";
  }
}

export interface StartEvaluationOptions {
  readonly createdById?: number | null;
  /** Run no earlier than this. */
  readonly startAfter?: Date;
  /** The split's GT version to evaluate against; default: its current one when the job runs. */
  readonly gtVersion?: number;
  readonly compat?: readonly CompatFlag[];
}

/**
 * Queues an evaluate job for a complete prediction set; returns the job id. Throws NotFoundError for an
 * unknown set and PredictionSetNotReadyError for one that is not complete.
 */
export async function startEvaluationJob(prisma: PrismaClient, boss: PgBoss, predictionSetId: number, options: StartEvaluationOptions = {}): Promise<string> {
  return prisma.$transaction(async (tx) => {
    const set = await tx.predictionSet.findUnique({ where: { id: predictionSetId }, select: { name: true, status: true } });
    if (!set) throw new NotFoundError(`no prediction set with id ${predictionSetId}`);
    if (set.status !== "complete") throw new PredictionSetNotReadyError(`prediction set ${predictionSetId} (${set.name}) is ${set.status}; only a complete set can be evaluated`);
    const payload = {
      predictionSetId,
      ...(options.gtVersion === undefined ? {} : { gtVersion: options.gtVersion }),
      ...(options.compat?.length ? { compat: [...options.compat] } : {}),
    };
    const id = await enqueueJob(tx, boss, "evaluate", payload, { createdById: options.createdById ?? null, startAfter: options.startAfter });
    if (options.startAfter) await tx.job.update({ where: { id }, data: { message: `waits until ${options.startAfter.toISOString()}` } });
    return id;
  });
}
