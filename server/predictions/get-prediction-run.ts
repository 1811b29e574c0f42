import type { PrismaClient } from "../db/generated/client";

export interface PredictionRunView {
  readonly id: number;
  readonly name: string;
  /** running | complete | failed | cancelled (imports are complete). */
  readonly status: string;
  readonly origin: string;
  /** Answers stored so far, and how many of them failed. */
  readonly count: number;
  readonly failedCount: number;
  /** Images the run covers (the split's first `imageLimit`, or all). */
  readonly total: number;
  readonly jobId: string | null;
  readonly split: { readonly id: number; readonly name: string; readonly dataset: string };
  /** The newest evaluation of the set, once its evaluate job stored one. */
  readonly evaluationId: number | null;
}

/** A prediction set as the predict page follows it while its job runs; null when there is none. */
export async function getPredictionRun(prisma: PrismaClient, id: number): Promise<PredictionRunView | null> {
  const set = await prisma.predictionSet.findUnique({
    where: { id },
    include: { split: { include: { dataset: true } }, evaluations: { select: { id: true }, orderBy: { createdAt: "desc" }, take: 1 } },
  });
  if (!set) return null;
  const limit = (set.settings as { imageLimit?: unknown } | null)?.imageLimit;
  const total = typeof limit === "number" ? Math.min(limit, set.split.imageCount) : set.split.imageCount;
  return {
    id: set.id,
    name: set.name,
    status: set.status,
    origin: set.origin,
    count: set.count,
    failedCount: set.failedCount,
    total,
    jobId: set.jobId,
    split: { id: set.split.id, name: set.split.name, dataset: set.split.dataset.name },
    evaluationId: set.evaluations[0]?.id ?? null,
  };
}
