import type { PrismaClient } from "../db/generated/client";
import { NotFoundError } from "./find-split";

const evaluationSelect = { id: true, compat: true, evaluatorVersion: true, summary: true, createdAt: true } as const;

const predictionSetSelect = {
  id: true,
  name: true,
  origin: true,
  count: true,
  failedCount: true,
  createdAt: true,
  evaluations: { orderBy: { id: "desc" }, select: evaluationSelect },
} as const;

/**
 * Every dataset with its splits, each split's prediction sets and their evaluations (protocol and
 * summary): the datasets page in one round trip. Per-image and per-predicate rows stay out.
 */
export async function listDatasetOverview(prisma: PrismaClient) {
  return prisma.dataset.findMany({
    orderBy: { createdAt: "desc" },
    include: {
      splits: {
        orderBy: { name: "asc" },
        select: {
          id: true,
          name: true,
          status: true,
          imageCount: true,
          objectCount: true,
          relationCount: true,
          predictionSets: { orderBy: { id: "asc" }, select: predictionSetSelect },
        },
      },
    },
  });
}
export type DatasetOverview = Awaited<ReturnType<typeof listDatasetOverview>>[number];

/** One split with its dataset and prediction sets (with evaluations), or `NotFoundError`. */
export async function getSplitOverview(prisma: PrismaClient, splitId: number) {
  const split = await prisma.split.findUnique({
    where: { id: splitId },
    select: {
      id: true,
      name: true,
      status: true,
      imageCount: true,
      objectCount: true,
      relationCount: true,
      dataset: { select: { id: true, name: true, datasetType: true, attribution: true } },
      predictionSets: { orderBy: { id: "asc" }, select: predictionSetSelect },
    },
  });
  if (!split) throw new NotFoundError(`no split with id ${splitId}`);
  return split;
}
export type SplitOverview = Awaited<ReturnType<typeof getSplitOverview>>;
