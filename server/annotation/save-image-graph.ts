import { z } from "zod";
import type { Actor } from "../auth/actor";
import type { PrismaClient } from "../db/generated/client";
import { commitGraphRevision, type CommitRevisionResult } from "./commit-graph-revision";
import { imageGraphSchema, type ImageGraph } from "./image-graph-schema";

export const saveImageGraphSchema = z.object({
  imageId: z.number().int().positive(),
  baseRevision: z.number().int().min(0),
  graph: imageGraphSchema,
  message: z.string().max(500).nullish(),
});

export interface SaveImageGraphInput {
  readonly imageId: number;
  /** The revision the editor loaded (0: the graph as ingested). */
  readonly baseRevision: number;
  /** Boxes in original-image pixels (BoxPx). */
  readonly graph: ImageGraph;
  readonly message?: string | null;
  readonly actor: Actor;
}

/**
 * Saves an edited ground-truth graph as the image's next revision (kind "edit"), author and time
 * recorded. The first save of an image also writes revision 1, the graph as ingested, so it answers
 * with revision 2. Throws GraphConflictError when someone saved since `baseRevision` (nothing is
 * written), GraphValidationError naming each field that breaks a rule, NotFoundError for an unknown image.
 */
export async function saveImageGraph(prisma: PrismaClient, input: SaveImageGraphInput): Promise<CommitRevisionResult> {
  const { actor, ...rest } = input;
  const o = saveImageGraphSchema.parse(rest);
  return commitGraphRevision(prisma, { imageId: o.imageId, baseRevision: o.baseRevision, kind: "edit", message: o.message, actor, build: () => o.graph });
}
