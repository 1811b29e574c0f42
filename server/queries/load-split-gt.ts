import type { PrismaClient } from "../db/generated/client";
import type { GtRecord } from "../scene-graph/types";

type ImageRow = {
  id: number;
  imageKey: string;
  width: number;
  height: number;
  objects: { idx: number; label: string; x1: number; y1: number; x2: number; y2: number }[];
  relations: { subjectIdx: number; objectIdx: number; predicate: string }[];
};

/** Rebuilds the method's ground-truth record (boxes in original pixels) from stored rows. */
export function toGtRecord(img: ImageRow): GtRecord {
  const objects = img.objects.map((o) => ({ id: o.label, bbox: [o.x1, o.y1, o.x2, o.y2] as const }));
  return {
    image_id: img.imageKey,
    width: img.width,
    height: img.height,
    objects,
    relationships: img.relations.map((r) => ({ subject: objects[r.subjectIdx]!.id, predicate: r.predicate, object: objects[r.objectIdx]!.id })),
  };
}

const gtSelect = {
  id: true,
  imageKey: true,
  width: true,
  height: true,
  objects: { select: { idx: true, label: true, x1: true, y1: true, x2: true, y2: true }, orderBy: { idx: "asc" as const } },
  relations: { select: { subjectIdx: true, objectIdx: true, predicate: true }, orderBy: { idx: "asc" as const } },
};

/**
 * The whole split as ground-truth records in dataset (ingest) order, with each record's image row id.
 * Read in pages so a large split does not become one huge query.
 */
export async function loadSplitGt(prisma: PrismaClient, splitId: number): Promise<{ records: GtRecord[]; rowIds: number[] }> {
  const records: GtRecord[] = [];
  const rowIds: number[] = [];
  let cursor = 0;
  for (;;) {
    const page = await prisma.image.findMany({ where: { splitId, id: { gt: cursor } }, orderBy: { id: "asc" }, take: 2000, select: gtSelect });
    for (const img of page) {
      records.push(toGtRecord(img));
      rowIds.push(img.id);
    }
    if (page.length < 2000) break;
    cursor = page[page.length - 1]!.id;
  }
  return { records, rowIds };
}

/** One image's ground truth. */
export async function loadImageGt(prisma: PrismaClient, imageId: number): Promise<GtRecord | null> {
  const img = await prisma.image.findUnique({ where: { id: imageId }, select: gtSelect });
  return img ? toGtRecord(img) : null;
}
