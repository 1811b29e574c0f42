import type { PrismaClient } from "../db/generated/client";
import { NotFoundError } from "../queries/find-split";

export interface RevisionSummary {
  readonly number: number;
  readonly splitVersion: number;
  readonly authorName: string;
  /** import | edit | revert | review */
  readonly kind: string;
  readonly message: string | null;
  readonly createdAt: Date;
  readonly objectCount: number;
  readonly relationCount: number;
}

/**
 * An image's revisions, newest first. Empty for an image never edited (its graph is as ingested,
 * revision 0). Throws NotFoundError for an unknown image.
 */
export async function listRevisions(prisma: PrismaClient, imageId: number): Promise<RevisionSummary[]> {
  const image = await prisma.image.findUnique({ where: { id: imageId }, select: { id: true } });
  if (!image) throw new NotFoundError(`no image with id ${imageId}`);
  return prisma.$queryRaw<RevisionSummary[]>`
    SELECT number, "splitVersion", "authorName", kind, message, "createdAt",
           jsonb_array_length(objects) AS "objectCount", jsonb_array_length(relationships) AS "relationCount"
    FROM "GtRevision" WHERE "imageId" = ${imageId} ORDER BY number DESC`;
}
