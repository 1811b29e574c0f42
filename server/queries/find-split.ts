import type { PrismaClient } from "../db/generated/client";

/** Raised when a dataset or split named by the user does not exist or is not fully ingested. */
export class NotFoundError extends Error {}

/** The ready split `split` of dataset `dataset`, or a `NotFoundError` naming what is missing. */
export async function findSplit(prisma: PrismaClient, dataset: string, split: string) {
  const row = await prisma.split.findFirst({ where: { name: split, dataset: { name: dataset } }, include: { dataset: true } });
  if (!row) {
    const ds = await prisma.dataset.findUnique({ where: { name: dataset }, include: { splits: { select: { name: true } } } });
    if (!ds) throw new NotFoundError(`no dataset named "${dataset}"`);
    throw new NotFoundError(`dataset "${dataset}" has no split "${split}" (it has: ${ds.splits.map((s) => s.name).join(", ") || "none"})`);
  }
  if (row.status !== "ready") throw new NotFoundError(`split ${dataset}/${split} is ${row.status}, not ready`);
  return row;
}
