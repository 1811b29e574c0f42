import type { PrismaClient } from "../db/generated/client";

export interface ImageReview {
  readonly id: number;
  readonly revisionNumber: number;
  /** accepted | flagged */
  readonly kind: string;
  readonly subject: string;
  readonly predicate: string;
  readonly object: string;
  readonly predictionSetId: number | null;
  readonly authorName: string;
  readonly createdAt: Date;
}

/** The triplet reviews of one image, newest first. */
export async function listImageReviews(prisma: PrismaClient, imageId: number): Promise<ImageReview[]> {
  return prisma.tripletReview.findMany({
    where: { imageId },
    orderBy: { id: "desc" },
    select: { id: true, revisionNumber: true, kind: true, subject: true, predicate: true, object: true, predictionSetId: true, authorName: true, createdAt: true },
  });
}
