import type { PrismaClient } from "../db/generated/client";
import { graphFromJson, graphFromRows, graphRowsSelect } from "./current-graph";
import type { ImageGraph } from "./image-graph-schema";

export interface RevisionView extends ImageGraph {
  readonly number: number;
  readonly splitVersion: number;
  readonly authorName: string;
  readonly kind: string;
  readonly message: string | null;
  readonly createdAt: Date;
}

/**
 * One revision of an image's graph (boxes in original-image pixels). Number 0 is the graph as
 * ingested, whether or not the image was edited since. Null when the image or the revision does not exist.
 */
export async function getRevision(prisma: PrismaClient, imageId: number, number: number): Promise<RevisionView | null> {
  const image = await prisma.image.findUnique({ where: { id: imageId }, select: { gtRevision: true, split: { select: { createdAt: true } } } });
  if (!image) return null;
  if (number === 0 && image.gtRevision === 0) {
    const rows = await prisma.image.findUniqueOrThrow({ where: { id: imageId }, select: graphRowsSelect });
    return { number: 0, splitVersion: 0, authorName: "dataset", kind: "import", message: null, createdAt: image.split.createdAt, ...graphFromRows(rows) };
  }
  // Revision 1 holds the graph as ingested once the image has been edited.
  const rev = await prisma.gtRevision.findUnique({ where: { imageId_number: { imageId, number: number === 0 ? 1 : number } } });
  if (!rev) return null;
  return {
    number,
    splitVersion: rev.splitVersion,
    authorName: rev.authorName,
    kind: rev.kind,
    message: rev.message,
    createdAt: rev.createdAt,
    ...graphFromJson(rev.objects, rev.relationships),
  };
}
