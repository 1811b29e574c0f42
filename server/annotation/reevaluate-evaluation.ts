import type { PgBoss } from "pg-boss";
import type { PrismaClient } from "../db/generated/client";
import { startEvaluationJob } from "../jobs/start-evaluation-job";
import { NotFoundError } from "../queries/find-split";
import type { CompatFlag } from "../scene-graph/types";

/** The evaluation was already computed against the split's newest ground truth. */
export class EvaluationCurrentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EvaluationCurrentError";
  }
}

/**
 * Queues an evaluate job for the same prediction set and compatibility flags as evaluation
 * `evaluationId`, against its split's current GT version; the stored evaluation stays beside the
 * new one. Throws NotFoundError for an unknown evaluation, EvaluationCurrentError when it already is
 * at the current version, PredictionSetNotReadyError for a set that is not complete.
 */
export async function reevaluateEvaluation(
  prisma: PrismaClient,
  boss: PgBoss,
  evaluationId: number,
  options: { createdById?: number | null } = {},
): Promise<{ jobId: string; predictionSetId: number; gtVersion: number }> {
  const ev = await prisma.evaluation.findUnique({
    where: { id: evaluationId },
    select: { predictionSetId: true, compat: true, gtVersion: true, predictionSet: { select: { split: { select: { gtVersion: true } } } } },
  });
  if (!ev) throw new NotFoundError(`no evaluation with id ${evaluationId}`);
  const gtVersion = ev.predictionSet.split.gtVersion;
  if (ev.gtVersion === gtVersion) throw new EvaluationCurrentError(`evaluation ${evaluationId} is already against the newest ground truth (GT version ${gtVersion})`);
  const jobId = await startEvaluationJob(prisma, boss, ev.predictionSetId, { createdById: options.createdById ?? null, gtVersion, compat: ev.compat as CompatFlag[] });
  return { jobId, predictionSetId: ev.predictionSetId, gtVersion };
}
