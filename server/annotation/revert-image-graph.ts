import { z } from "zod";
import type { Actor } from "../auth/actor";
import type { PrismaClient } from "../db/generated/client";
import { NotFoundError } from "../queries/find-split";
import { commitGraphRevision, type CommitRevisionResult } from "./commit-graph-revision";
import { getRevision } from "./get-revision";

export const revertImageGraphSchema = z.object({
  imageId: z.number().int().positive(),
  baseRevision: z.number().int().min(0),
  toRevision: z.number().int().min(0),
});

/**
 * Reverts an image's graph to an earlier revision by saving that revision's graph as a new one
 * (kind "revert"): history only grows. `toRevision` 0 is the graph as ingested. Throws NotFoundError
 * for an unknown image or revision, GraphConflictError when someone saved since `baseRevision`.
 */
export async function revertImageGraph(
  prisma: PrismaClient,
  input: { imageId: number; baseRevision: number; toRevision: number; actor: Actor },
): Promise<CommitRevisionResult> {
  const o = revertImageGraphSchema.parse({ imageId: input.imageId, baseRevision: input.baseRevision, toRevision: input.toRevision });
  const target = await getRevision(prisma, o.imageId, o.toRevision);
  if (!target) throw new NotFoundError(`image ${o.imageId} has no revision ${o.toRevision}`);
  return commitGraphRevision(prisma, {
    imageId: o.imageId,
    baseRevision: o.baseRevision,
    kind: "revert",
    message: `revert to revision ${o.toRevision}`,
    actor: input.actor,
    earlierObjects: target.objects,
    build: () => ({ objects: target.objects, relationships: target.relationships }),
  });
}
