import { z } from "zod";
import type { Actor } from "../auth/actor";
import type { PrismaClient } from "../db/generated/client";
import { cat } from "../scene-graph/text";
import { authorOf } from "./author-of";
import { commitGraphRevision, type CommitRevisionResult } from "./commit-graph-revision";
import { GraphValidationError } from "./graph-errors";
import { graphObjectSchema, tripletSchema, type GraphObject, type ImageGraph, type Triplet } from "./image-graph-schema";

export const reviewTripletSchema = z.object({
  imageId: z.number().int().positive(),
  baseRevision: z.number().int().min(0),
  kind: z.enum(["accepted", "flagged"]),
  triplet: tripletSchema,
  predictionSetId: z.number().int().positive().nullish(),
  /** The predicted objects an accepted triplet needs that ground truth lacks, boxes in original-image pixels. */
  objects: z.array(graphObjectSchema).max(2).optional(),
});
export type ReviewTripletInput = z.infer<typeof reviewTripletSchema> & { readonly actor: Actor };

export interface ReviewTripletResult extends CommitRevisionResult {
  /** The triplet as the new revision holds it (accepted objects may have been renumbered). */
  readonly triplet: Triplet;
  /** Incoming object id → the id it was saved under, for the ids that collided. */
  readonly renamed: Record<string, string>;
}

/**
 * Reviews one triplet against an image's ground truth, as a new revision (kind "review") with a
 * TripletReview row. "accepted": adds a predicted triplet ground truth lacks, with each end either an
 * existing ground-truth object or one of `objects` (a predicted object, clipped to the image); an
 * incoming id that collides with an existing one is renumbered to the next free `<class>.<n>`.
 * "flagged": removes a ground-truth triplet judged wrong (its objects stay). Throws
 * GraphValidationError naming `triplet…` when the triplet cannot be applied, GraphConflictError when
 * someone saved since `baseRevision`.
 */
export async function reviewTriplet(prisma: PrismaClient, input: ReviewTripletInput): Promise<ReviewTripletResult> {
  const { actor, ...rest } = input;
  const o = reviewTripletSchema.parse(rest);
  let stored: Triplet = o.triplet;
  let renamed: Record<string, string> = {};
  const t = o.triplet;
  const result = await commitGraphRevision(prisma, {
    imageId: o.imageId,
    baseRevision: o.baseRevision,
    kind: "review",
    message: `${o.kind} "${t.subject} ${t.predicate} ${t.object}"`,
    actor,
    build: (current, size) => {
      const next = o.kind === "accepted" ? acceptTriplet(current, t, o.objects ?? [], size) : flagTriplet(current, t);
      stored = next.triplet;
      renamed = next.renamed;
      return next.graph;
    },
    after: async (tx, revision) => {
      await tx.tripletReview.create({
        data: { imageId: o.imageId, revisionNumber: revision, kind: o.kind, ...stored, predictionSetId: o.predictionSetId ?? null, ...authorOf(actor) },
      });
    },
  });
  return { ...result, triplet: stored, renamed };
}

interface Applied {
  graph: ImageGraph;
  triplet: Triplet;
  renamed: Record<string, string>;
}

const same = (a: Triplet, b: Triplet) => a.subject === b.subject && a.predicate === b.predicate && a.object === b.object;

function acceptTriplet(current: ImageGraph, t: Triplet, incoming: readonly GraphObject[], size: { width: number; height: number }): Applied {
  const objects = [...current.objects];
  const taken = new Set(objects.map((x) => x.id));
  const renamed: Record<string, string> = {};
  const resolve = (id: string, field: "subject" | "object"): string => {
    if (id in renamed) return renamed[id]!;
    const predicted = incoming.find((x) => x.id === id);
    if (!predicted) {
      if (taken.has(id)) return id;
      throw new GraphValidationError([{ field: `triplet.${field}`, message: `"${id}" is neither a ground-truth object nor one of the predicted objects sent` }]);
    }
    const newId = taken.has(id) ? nextFreeId(cat(id), taken) : id;
    if (newId !== id) renamed[id] = newId;
    taken.add(newId);
    objects.push({ id: newId, bbox: clip(predicted.bbox, size) });
    return newId;
  };
  const triplet = { subject: resolve(t.subject, "subject"), predicate: t.predicate, object: resolve(t.object, "object") };
  if (current.relationships.some((r) => same(r, triplet))) {
    throw new GraphValidationError([{ field: "triplet", message: `"${triplet.subject} ${triplet.predicate} ${triplet.object}" is already in the ground truth` }]);
  }
  return { graph: { objects, relationships: [...current.relationships, triplet] }, triplet, renamed };
}

function flagTriplet(current: ImageGraph, t: Triplet): Applied {
  const at = current.relationships.findIndex((r) => same(r, t));
  if (at < 0) throw new GraphValidationError([{ field: "triplet", message: `"${t.subject} ${t.predicate} ${t.object}" is not in the ground truth` }]);
  return { graph: { objects: current.objects, relationships: current.relationships.filter((_, i) => i !== at) }, triplet: t, renamed: {} };
}

/** `<class>.<n>` with n one past the highest number the class uses. */
function nextFreeId(cls: string, taken: ReadonlySet<string>): string {
  let n = 0;
  for (const id of taken) {
    if (cat(id) !== cls) continue;
    const k = Number(id.slice(cls.length + 1));
    if (Number.isInteger(k) && k > n) n = k;
  }
  return `${cls}.${n + 1}`;
}

/** A predicted box (BoxPx) clipped to the image: model boxes may run past its edges. */
function clip(b: readonly number[], size: { width: number; height: number }): [number, number, number, number] {
  const cx = (v: number) => Math.min(Math.max(v, 0), size.width);
  const cy = (v: number) => Math.min(Math.max(v, 0), size.height);
  return [cx(b[0]!), cy(b[1]!), cx(b[2]!), cy(b[3]!)];
}
