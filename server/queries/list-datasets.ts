import type { PrismaClient } from "../db/generated/client";

/** Every dataset with its splits and their counts, newest first. */
export async function listDatasets(prisma: PrismaClient) {
  return prisma.dataset.findMany({
    orderBy: { createdAt: "desc" },
    include: {
      splits: {
        orderBy: { name: "asc" },
        select: { id: true, name: true, status: true, imageCount: true, objectCount: true, relationCount: true, createdAt: true, _count: { select: { predictionSets: true } } },
      },
    },
  });
}
