import type { PrismaClient } from "../db/generated/client";

/** Stored evaluations with their protocol and summary, newest first; filter by split or prediction set. */
export async function listEvaluations(prisma: PrismaClient, filter: { splitId?: number; predictionSetId?: number } = {}) {
  return prisma.evaluation.findMany({
    where: {
      predictionSetId: filter.predictionSetId,
      predictionSet: filter.splitId === undefined ? undefined : { splitId: filter.splitId },
    },
    orderBy: { createdAt: "desc" },
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
