/**
 * The predict job: fills a prediction set (created with its settings by createPredictionRun) by running
 * its model over the split, writing each answer as it arrives, then queues the set's evaluation.
 *
 * Retries resume: images that already have a prediction are skipped. Settings that cannot work (a model
 * folder gone, a key or URL the server refuses) fail at once; a model server that stays unreachable
 * fails the attempt, and the queue retries it later. A cancel stops at once and keeps what was written.
 */
import { fillPredictionSet } from "../../server/inference/fill-prediction-set";
import { InferenceSettingsError } from "../../server/inference/settings-error";
import { jobQueueOptions } from "../../server/jobs/job-payloads";
import { NotFoundError } from "../../server/queries/find-split";
import { PermanentJobError, type JobHandler } from "../job-context";

export const predictHandler: JobHandler<"predict"> = async ({ predictionSetId }, ctx) => {
  const set = await ctx.prisma.predictionSet.findUnique({ where: { id: predictionSetId }, select: { name: true, status: true, origin: true } });
  if (!set) throw new PermanentJobError(`no prediction set with id ${predictionSetId}`);
  const setStatus = (status: "running" | "failed" | "cancelled") =>
    ctx.prisma.predictionSet.updateMany({ where: { id: predictionSetId, status: { not: "complete" } }, data: { status } });
  if (set.status !== "complete" && set.status !== "running") await setStatus("running");
  try {
    const r = await fillPredictionSet(ctx.prisma, predictionSetId, {
      signal: ctx.signal,
      onProgress: (done, total) => ctx.progress(done, total, `${set.name}: ${done} of ${total} images answered`),
      log: ctx.log,
    });
    ctx.log(`prediction set ${predictionSetId} complete: ${r.total} images, ${r.written} answered now (${r.failed} failed), ${r.resumed} from earlier attempts`);
  } catch (error) {
    if (error instanceof InferenceSettingsError || error instanceof NotFoundError) {
      await setStatus("failed");
      throw new PermanentJobError(`${error instanceof InferenceSettingsError ? `${error.field}: ` : ""}${error.message}`);
    }
    if (ctx.signal.aborted) {
      // A cancel ends the set here; a worker shutdown or a lost claim leaves it running for the next attempt.
      if (ctx.signal.reason instanceof Error && ctx.signal.reason.name === "JobCancelledError") await setStatus("cancelled");
      throw error;
    }
    if (ctx.attempt >= jobQueueOptions.predict.retryLimit) await setStatus("failed");
    throw error;
  }
  await ctx.enqueue("evaluate", { predictionSetId });
};
