/**
 * The evaluate job: the stored evaluation of a prediction set (server/evaluation), with progress in
 * images scored. The scoring itself is synchronous and cannot stop half-way; a cancel that arrives
 * during it takes effect before the next step.
 */
import { evaluatePredictionSet } from "../../server/evaluation/evaluate-prediction-set";
import { NotFoundError } from "../../server/queries/find-split";
import { PermanentJobError, type JobHandler } from "../job-context";

export const evaluateHandler: JobHandler<"evaluate"> = async ({ predictionSetId, gtVersion, compat }, ctx) => {
  const set = await ctx.prisma.predictionSet.findUnique({ where: { id: predictionSetId }, select: { name: true, status: true, count: true } });
  if (!set) throw new PermanentJobError(`no prediction set with id ${predictionSetId}`);
  if (set.status !== "complete") {
    throw new PermanentJobError(`prediction set ${predictionSetId} (${set.name}) is ${set.status}; only a complete set can be evaluated`);
  }
  ctx.signal.throwIfAborted();
  await ctx.progress(0, set.count, `scoring ${set.name}`);
  let evaluationId: number;
  let images = set.count;
  try {
    ({ evaluationId } = await evaluatePredictionSet(ctx.prisma, {
      predictionSetId,
      gtVersion,
      compat,
      onProgress: (done, total) => {
        images = total;
        void ctx.progress(done, total, `scoring ${set.name}: ${done} of ${total} images`);
      },
    }));
  } catch (error) {
    // The set was deleted between the check and the evaluation: retrying cannot bring it back.
    if (error instanceof NotFoundError) throw new PermanentJobError(error.message);
    throw error;
  }
  await ctx.progress(images, images, `stored as evaluation ${evaluationId}`);
  ctx.log(`prediction set ${predictionSetId} stored as evaluation ${evaluationId}`);
};
