import type { Prisma, PrismaClient } from "../db/generated/client";
import type { PredictionOutcome } from "../inference/backend";
import { buildPredictionRow } from "./prediction-row";

export interface RecordedPrediction {
  /** False when the image already had a prediction in this set (nothing was written). */
  readonly inserted: boolean;
  readonly parseOk: boolean;
}

/**
 * Stores one model answer in a prediction set as it arrives, and counts it (count, failedCount) in the
 * same transaction, so the counters always equal the rows. An image that already has a prediction in
 * the set is left alone (a resumed or duplicated job never writes an image twice). An answer that never
 * came (timeout, refused request, missing image) is stored empty, failing as "no_answer" with its reason.
 */
export async function recordPrediction(prisma: PrismaClient, predictionSetId: number, o: PredictionOutcome): Promise<RecordedPrediction> {
  const error = o.usage.error;
  const row = buildPredictionRow(o.imageId, o.response, o.boxScale, {
    usage: JSON.parse(JSON.stringify(o.usage)) as Prisma.InputJsonValue,
    failureNote: error ? `inference failed (${error.kind}): ${error.message}` : undefined,
  });
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.prediction.createMany({ data: [{ ...row, predictionSetId }], skipDuplicates: true });
    if (count === 0) return { inserted: false, parseOk: row.parseOk };
    await tx.predictionSet.update({
      where: { id: predictionSetId },
      data: { count: { increment: 1 }, ...(row.parseOk ? {} : { failedCount: { increment: 1 } }) },
    });
    return { inserted: true, parseOk: row.parseOk };
  });
}
