import type { PrismaClient } from "../db/generated/client";
import type { SourceRecord } from "../ingest/source-record";
import { NotFoundError } from "../queries/find-split";
import { graphFromJson, graphFromRows, graphRowsSelect } from "./current-graph";

/** One image of a split as it stood at a GT version: a reader record plus where it lives here. */
export interface GraphAtVersion extends SourceRecord {
  /** Image row id. */
  readonly rowId: number;
  /** Content key of the image bytes in the image store, null when the dataset has none. */
  readonly storageKey: string | null;
  /** The image's revision at that version; 0: as ingested. */
  readonly revision: number;
}

/**
 * Every image of a split with its ground-truth graph as it stood at the split's GT version `version`
 * (boxes in original-image pixels), in image-row order: per image the newest revision with
 * splitVersion ≤ version, or the graph as ingested when there is none. Read in pages; saves made while
 * it reads do not change what it yields. Throws NotFoundError for an unknown split or a version the
 * split has not reached.
 */
export async function* graphsAtVersion(prisma: PrismaClient, splitId: number, version: number, pageSize = 1000): AsyncGenerator<GraphAtVersion> {
  const split = await prisma.split.findUnique({ where: { id: splitId }, select: { name: true, gtVersion: true } });
  if (!split) throw new NotFoundError(`no split with id ${splitId}`);
  if (!Number.isInteger(version) || version < 0 || version > split.gtVersion) {
    throw new NotFoundError(`split ${splitId} has no GT version ${version} (its newest is ${split.gtVersion})`);
  }
  let cursor = 0;
  for (;;) {
    const page = await prisma.image.findMany({
      where: { splitId, id: { gt: cursor } },
      orderBy: { id: "asc" },
      take: pageSize,
      select: { id: true, imageKey: true, width: true, height: true, storageKey: true, gtRevision: true },
    });
    if (page.length === 0) return;
    cursor = page[page.length - 1]!.id;
    const unedited = page.filter((i) => i.gtRevision === 0).map((i) => i.id);
    const rows = new Map(
      (unedited.length ? await prisma.image.findMany({ where: { id: { in: unedited } }, select: { id: true, ...graphRowsSelect } }) : []).map((r) => [r.id, r]),
    );
    // Read after the rows: a save that changed them first wrote revision 1 (the graph as ingested),
    // so it shows up here and wins over the rows.
    const ids = page.map((i) => i.id);
    const revisions = await prisma.$queryRaw<{ imageId: number; number: number; objects: unknown; relationships: unknown }[]>`
      SELECT DISTINCT ON ("imageId") "imageId", number, objects, relationships FROM "GtRevision"
      WHERE "imageId" = ANY(${ids}::int[]) AND ("splitVersion" <= ${version} OR number = 1)
      ORDER BY "imageId", ("splitVersion" <= ${version}) DESC, number DESC`;
    const byImage = new Map(revisions.map((r) => [r.imageId, r]));
    for (const image of page) {
      const rev = byImage.get(image.id);
      const graph = rev ? graphFromJson(rev.objects as never, rev.relationships as never) : graphFromRows(rows.get(image.id)!);
      yield {
        imageId: image.imageKey,
        split: split.name,
        width: image.width,
        height: image.height,
        objects: graph.objects,
        relationships: graph.relationships,
        origin: `split ${splitId} at GT version ${version}#${image.imageKey}`,
        rowId: image.id,
        storageKey: image.storageKey,
        revision: rev?.number ?? 0,
      };
    }
    if (page.length < pageSize) return;
  }
}
