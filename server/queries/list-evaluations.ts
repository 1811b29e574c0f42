import type { PrismaClient } from "../db/generated/client";

/**
 * Stored evaluations with their protocol and summary, newest first (by id, the primary key), filtered by
 * split or prediction set, paged: pass the last id seen as `before`.
 */
export async function listEvaluations(
  prisma: PrismaClient,
  filter: { splitId?: number; predictionSetId?: number; before?: number; limit?: number } = {},
) {
  return prisma.evaluation.findMany({
    where: {
      predictionSetId: filter.predictionSetId,
      predictionSet: filter.splitId === undefined ? undefined : { splitId: filter.splitId },
      id: filter.before === undefined ? undefined : { lt: filter.before },
    },
    orderBy: { id: "desc" },
    take: Math.min(filter.limit ?? 100, 500),
    include: { predictionSet: { select: { id: true, name: true, splitId: true, count: true, failedCount: true } } },
  });
}

/** One evaluation with its per-predicate rows in predicate-id order. */
export async function getEvaluation(prisma: PrismaClient, evaluationId: number) {
  return prisma.evaluation.findUnique({
    where: { id: evaluationId },
    include: { predicates: { orderBy: { predicateId: "asc" } }, predictionSet: { include: { split: { include: { dataset: true } } } } },
  });
}
