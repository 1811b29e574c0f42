import type { PrismaClient } from "../db/generated/client";
import type { BoxPx } from "../scene-graph/types";
import type { SourceRecord } from "../ingest/source-record";

const PAGE = 500;

/**
 * The split's current ground truth (the GtObject / GtRelation rows) as records, in ingest order, read in
 * pages. Boxes are original-image pixels `[x1, y1, x2, y2]`; relation ends are the ids of the objects
 * they point at. No image bytes: writers fetch those from the image store.
 */
export async function* currentGraphs(prisma: PrismaClient, splitId: number): AsyncGenerator<SourceRecord> {
  const split = await prisma.split.findUniqueOrThrow({ where: { id: splitId }, select: { name: true } });
  let cursor = 0;
  for (;;) {
    const page = await prisma.image.findMany({
      where: { splitId, id: { gt: cursor } },
      orderBy: { id: "asc" },
      take: PAGE,
      select: {
        id: true,
        imageKey: true,
        width: true,
        height: true,
        objects: { select: { label: true, x1: true, y1: true, x2: true, y2: true }, orderBy: { idx: "asc" } },
        relations: { select: { subjectIdx: true, objectIdx: true, predicate: true }, orderBy: { idx: "asc" } },
      },
    });
    for (const img of page) {
      const objects = img.objects.map((o) => ({ id: o.label, bbox: [o.x1, o.y1, o.x2, o.y2] as BoxPx }));
      yield {
        imageId: img.imageKey,
        split: split.name,
        width: img.width,
        height: img.height,
        objects,
        relationships: img.relations.map((r) => ({ subject: objects[r.subjectIdx]!.id, predicate: r.predicate, object: objects[r.objectIdx]!.id })),
        origin: `split ${splitId}#${img.imageKey}`,
      };
    }
    if (page.length < PAGE) return;
    cursor = page[page.length - 1]!.id;
  }
}
