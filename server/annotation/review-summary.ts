import type { PrismaClient } from "../db/generated/client";

export interface ReviewSummary {
  /** Predicted triplets accepted into ground truth. */
  readonly accepted: number;
  /** Ground-truth triplets flagged as wrong and removed. */
  readonly flagged: number;
}

/** How many triplets of a split were accepted from predictions and flagged, optionally from one prediction set's review. */
export async function reviewSummary(prisma: PrismaClient, splitId: number, predictionSetId?: number): Promise<ReviewSummary> {
  const rows = await prisma.tripletReview.groupBy({
    by: ["kind"],
    where: { image: { splitId }, ...(predictionSetId === undefined ? {} : { predictionSetId }) },
    _count: { _all: true },
  });
  const count = (kind: string) => rows.find((r) => r.kind === kind)?._count._all ?? 0;
  return { accepted: count("accepted"), flagged: count("flagged") };
}
