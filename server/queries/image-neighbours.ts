import type { PrismaClient } from "../db/generated/client";

export interface ImageNeighbours {
  /** The image before this one in its split (by id), or null at the start. */
  previous: number | null;
  /** The image after this one in its split (by id), or null at the end. */
  next: number | null;
  /** 1-based position of the image in its split, and the split's size. */
  position: number;
  total: number;
  splitName: string;
  datasetName: string;
}

/**
 * Where an image sits in its split, for previous/next navigation; both ends use the (splitId, id) index.
 * Takes only the image id so a page can run it alongside the image's own load; null for an unknown id.
 */
export async function imageNeighbours(prisma: PrismaClient, imageId: number): Promise<ImageNeighbours | null> {
  const row = await prisma.image.findUnique({ where: { id: imageId }, select: { splitId: true } });
  if (!row) return null;
  const { splitId } = row;
  const [prev, next, before, total, split] = await Promise.all([
    prisma.image.findFirst({ where: { splitId, id: { lt: imageId } }, orderBy: { id: "desc" }, select: { id: true } }),
    prisma.image.findFirst({ where: { splitId, id: { gt: imageId } }, orderBy: { id: "asc" }, select: { id: true } }),
    prisma.image.count({ where: { splitId, id: { lt: imageId } } }),
    prisma.image.count({ where: { splitId } }),
    prisma.split.findUnique({ where: { id: splitId }, select: { name: true, dataset: { select: { name: true } } } }),
  ]);
  return {
    previous: prev?.id ?? null,
    next: next?.id ?? null,
    position: before + 1,
    total,
    splitName: split?.name ?? "",
    datasetName: split?.dataset.name ?? "",
  };
}
